"""Filing one prepared conversation: a new conversation, a new revision, or nothing at all
(content seen before under that id). Each filing is a savepoint of its own, so one that
the database refuses leaves nothing behind and does not spoil the rest of the batch.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import insert
from sqlalchemy.exc import DataError, IntegrityError
from sqlalchemy.orm import Session

from hegui.formats.jsonl import FormatError
from hegui.services.clock import Clock
from hegui.services.conversations.intake import Incoming
from hegui.services.conversations.models import (
    PENDING,
    ConversationRevision,
    StoredConversation,
    StoredUtterance,
)
from hegui.services.conversations.repository import ConversationRepository

# Two submissions racing to create one conversation or revision: the loser files again.
RETRIES = 3


def bound_to(conversation_id: str, content_hash: str) -> bytes:
    """Associated data of a sealed blob: it opens only on the row it was sealed for."""
    return f"{conversation_id}\x00{content_hash}".encode()


@dataclass(frozen=True, slots=True)
class Prepared:
    """A conversation ready to file: checked, masked, sealed."""

    incoming: Incoming
    content_hash: str
    texts: list[str]  # utterance texts, masked
    metadata: dict[str, Any]  # masked
    extra: dict[str, Any]  # unknown fields, masked
    sealed: bytes
    raw_kept: bool

    @property
    def conversation_id(self) -> str:
        return self.incoming.conversation.id


def _refused(exc: IntegrityError | DataError) -> FormatError:
    reason = str(exc.orig).splitlines()[0] if exc.orig is not None else str(exc)
    return FormatError(None, f"数据库拒绝保存 the database refused it: {reason}")


class Filing:
    def __init__(self, clock: Clock) -> None:
        self.clock = clock

    def file(self, session: Session, prepared: Prepared, actor: str) -> int | None:
        """The revision to inspect: a new one, or a pending one submitted again; None when
        the same content was already inspected. `FormatError` when the database refuses."""
        for attempt in range(RETRIES):
            try:
                with session.begin_nested():
                    return self._file(session, prepared, actor)
            except IntegrityError as exc:
                if attempt == RETRIES - 1:
                    raise _refused(exc) from exc
            except DataError as exc:  # a value the database cannot hold
                raise _refused(exc) from exc
        raise AssertionError("unreachable")

    def _file(self, session: Session, prepared: Prepared, actor: str) -> int | None:
        repo = ConversationRepository(session)
        cid = prepared.conversation_id
        # FOR NO KEY UPDATE: rows referencing this one (findings) may still be inserted.
        conversation = session.get(
            StoredConversation, cid, with_for_update={"key_share": True}, populate_existing=True
        )
        now = self.clock.now()
        if conversation is not None:
            seen = repo.revision_by_hash(cid, prepared.content_hash)
            if seen is not None:
                return seen.id if seen.status == PENDING else None
            number = conversation.revision + 1
        else:
            number = 1
            conversation = StoredConversation(id=cid, created_at=now, occurred_at=now)
        revision = self._revision(prepared, number, actor, now)
        incoming = prepared.incoming
        conversation.revision = number
        conversation.channel = incoming.conversation.channel
        conversation.agent_id = incoming.agent.get("id")
        conversation.team = incoming.agent.get("team")
        conversation.occurred_at = incoming.conversation.started_at or conversation.occurred_at
        conversation.updated_at = now
        repo.add(conversation)  # flushed first: no relationships order the inserts
        repo.add(revision)
        self._utterances(session, revision.id, prepared)
        return revision.id

    def _revision(
        self, prepared: Prepared, number: int, actor: str, now: Any
    ) -> ConversationRevision:
        incoming = prepared.incoming
        conversation = incoming.conversation
        return ConversationRevision(
            conversation_id=conversation.id,
            number=number,
            content_hash=prepared.content_hash,
            status=PENDING,
            channel=conversation.channel,
            industry=conversation.industry,
            agent_id=incoming.agent.get("id"),
            agent_name=incoming.agent.get("name"),
            team=incoming.agent.get("team"),
            customer_id=incoming.customer_id,
            started_at=conversation.started_at,
            meta=prepared.metadata,
            extra=prepared.extra,
            raw_sealed=prepared.sealed,
            raw_kept=prepared.raw_kept,
            submitted_by=actor,
            received_at=now,
            inspected_at=None,
        )

    def _utterances(self, session: Session, revision_id: int, prepared: Prepared) -> None:
        utterances = prepared.incoming.conversation.utterances
        rows = [
            {
                "revision_id": revision_id,
                "idx": i,
                "role": u.role,
                "text": text,
                "start_seconds": u.start,
                "end_seconds": u.end,
                "at": u.at.isoformat() if u.at is not None else None,
            }
            for i, (u, text) in enumerate(zip(utterances, prepared.texts, strict=True))
        ]
        if rows:
            session.execute(insert(StoredUtterance), rows)

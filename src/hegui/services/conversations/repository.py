"""Queries on conversations, revisions and utterances."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from hegui.services.conversations.models import (
    INSPECTED,
    PENDING,
    ConversationRevision,
    StoredConversation,
    StoredUtterance,
)


class ConversationRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def get(self, conversation_id: str) -> StoredConversation | None:
        return self.session.get(StoredConversation, conversation_id)

    def revision_by_hash(
        self, conversation_id: str, content_hash: str
    ) -> ConversationRevision | None:
        query = select(ConversationRevision).where(
            ConversationRevision.conversation_id == conversation_id,
            ConversationRevision.content_hash == content_hash,
        )
        return self.session.scalars(query).one_or_none()

    def revision(self, conversation_id: str, number: int) -> ConversationRevision | None:
        query = select(ConversationRevision).where(
            ConversationRevision.conversation_id == conversation_id,
            ConversationRevision.number == number,
        )
        return self.session.scalars(query).one_or_none()

    def revision_by_id(
        self, revision_id: int, *, lock: bool = False
    ) -> ConversationRevision | None:
        """`lock`: hold the row until the transaction ends (PostgreSQL)."""
        query = select(ConversationRevision).where(ConversationRevision.id == revision_id)
        if lock:
            # FOR NO KEY UPDATE: a submission may still reference it from a job item.
            query = query.with_for_update(key_share=True)
            query = query.execution_options(populate_existing=True)
        return self.session.scalars(query).one_or_none()

    def revisions(self, ids: Iterable[int]) -> dict[int, ConversationRevision]:
        wanted = list(ids)
        query = select(ConversationRevision).where(ConversationRevision.id.in_(wanted))
        return {r.id: r for r in self.session.scalars(query)}

    def utterances(self, revision_id: int) -> Sequence[StoredUtterance]:
        query = select(StoredUtterance).where(StoredUtterance.revision_id == revision_id)
        return self.session.scalars(query.order_by(StoredUtterance.idx)).all()

    def add(self, *rows: object) -> None:
        self.session.add_all(rows)
        self.session.flush()

    def current_revision_ids(
        self, since: datetime, until: datetime, *, status: str = INSPECTED
    ) -> list[int]:
        """Newest revisions of conversations that took place in [since, until)."""
        query = (
            select(ConversationRevision.id)
            .join(
                StoredConversation,
                (StoredConversation.id == ConversationRevision.conversation_id)
                & (StoredConversation.revision == ConversationRevision.number),
            )
            .where(
                StoredConversation.occurred_at >= since,
                StoredConversation.occurred_at < until,
                ConversationRevision.status == status,
            )
            .order_by(ConversationRevision.id)
        )
        return list(self.session.scalars(query))

    def page(
        self,
        *,
        agent_id: str | None = None,
        team: str | None = None,
        limit: int = 50,
        offset: int = 0,
    ) -> tuple[Sequence[StoredConversation], int]:
        query = select(StoredConversation)
        if agent_id is not None:
            query = query.where(StoredConversation.agent_id == agent_id)
        if team is not None:
            query = query.where(StoredConversation.team == team)
        total = self.session.scalar(select(func.count()).select_from(query.subquery())) or 0
        ordered = query.order_by(StoredConversation.occurred_at.desc(), StoredConversation.id)
        return self.session.scalars(ordered.limit(limit).offset(offset)).all(), total

    def count_pending(self) -> int:
        query = select(func.count()).where(ConversationRevision.status == PENDING)
        return self.session.scalar(query) or 0

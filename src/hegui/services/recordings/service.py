"""Keeping the recording of an uploaded call and playing it back.

Uploading has two halves around the conversation's own transaction: `save` copies the
upload into the store before it (no database lock held while writing), `attach` records it
on the revision the upload became, inside it; `discard` removes a saved copy that ended up
attached to nothing (the conversation refused, the transaction failed, or the revision
already had a recording: the first one is kept). Reading (`open`) is audited.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import BinaryIO

from sqlalchemy import select
from sqlalchemy.orm import Session

from hegui.adapters.recordings import RecordingStore, RecordingTooLarge, Saved, StoreError
from hegui.errors import HeguiError, Invalid, NotFound
from hegui.services.audit import AuditService
from hegui.services.clock import Clock
from hegui.services.conversations.models import ConversationRevision
from hegui.services.conversations.repository import ConversationRepository
from hegui.services.recordings.models import Recording

log = logging.getLogger(__name__)


class StoreUnavailable(HeguiError):
    """The recordings store cannot be written or read (503)."""

    status_code = 503


@dataclass(frozen=True)
class Playback:
    """An opened recording: its bytes (the caller closes `stream`), type, size and digest."""

    stream: BinaryIO
    media_type: str
    size: int
    sha256: str
    revision: int


class RecordingService:
    def __init__(
        self,
        store: RecordingStore,
        audit: AuditService,
        clock: Clock,
        *,
        max_bytes: int,
        keep: bool = True,
    ) -> None:
        """`keep` False (`HEGUI_KEEP_AUDIO=false`): new uploads are not kept; recordings
        kept before stay playable."""
        self.store = store
        self.audit = audit
        self.clock = clock
        self.max_bytes = max_bytes
        self.keep = keep

    def save(self, source: BinaryIO) -> Saved | None:
        """Copy `source` from its start into the store (None when recordings are not kept)."""
        if not self.keep:
            return None
        source.seek(0)
        try:
            return self.store.put(source, max_bytes=self.max_bytes)
        except RecordingTooLarge as exc:
            raise Invalid("file", f"录音过大 at most {exc.limit} bytes") from exc
        except StoreError as exc:
            raise StoreUnavailable(f"录音存储不可用 HEGUI_AUDIO_DIR: {exc}") from exc

    def attach(
        self,
        session: Session,
        conversation_id: str,
        content_hash: str,
        saved: Saved,
        media_type: str,
        *,
        actor: str,
    ) -> bool:
        """Record `saved` on the revision of `conversation_id` holding `content_hash`;
        False (keep nothing) when there is no such revision or it has a recording already."""
        revision = ConversationRepository(session).revision_by_hash(conversation_id, content_hash)
        if revision is None or session.get(Recording, revision.id) is not None:
            return False
        session.add(
            Recording(
                revision_id=revision.id,
                conversation_id=conversation_id,
                key=saved.key,
                media_type=media_type,
                size=saved.size,
                sha256=saved.sha256,
                stored_by=actor,
                stored_at=self.clock.now(),
            )
        )
        session.flush()
        details = {
            "revision": revision.number,
            "media_type": media_type,
            "size": saved.size,
            "sha256": saved.sha256,
        }
        target = ("conversation", conversation_id)
        self.audit.record(session, actor, "conversation.audio_kept", target, details)
        return True

    def discard(self, saved: Saved) -> None:
        """Remove a saved copy attached to nothing; a failure is logged, never raised (the
        caller is already answering)."""
        try:
            self.store.delete(saved.key)
        except StoreError:
            log.exception("recording %s could not be removed", saved.key)

    def kept_for(self, session: Session, revision_ids: list[int]) -> set[int]:
        """Which of the revisions have a recording."""
        query = select(Recording.revision_id).where(Recording.revision_id.in_(revision_ids))
        return set(session.scalars(query))

    def open(
        self,
        session: Session,
        conversation_id: str,
        revision: int,
        *,
        actor: str,
        byte_range: str | None = None,
    ) -> Playback:
        """The recording of the revision, opened; audited as `conversation.audio_read`
        (call it in a write transaction). `NotFound` when none is kept."""
        query = (
            select(Recording)
            .join(ConversationRevision, ConversationRevision.id == Recording.revision_id)
            .where(
                ConversationRevision.conversation_id == conversation_id,
                ConversationRevision.number == revision,
            )
        )
        found = session.scalars(query).one_or_none()
        if found is None:
            raise NotFound(
                f"未保留录音 no recording of conversation {conversation_id!r} "
                f"revision {revision} is kept"
            )
        stream = self._stream(found.key)
        if stream is None:
            log.error("recording %s of %r is missing from the store", found.key, conversation_id)
            raise NotFound(
                f"录音文件缺失 the recording of conversation {conversation_id!r} is missing "
                "from the store"
            )
        details = {"revision": revision, "range": byte_range[:100] if byte_range else None}
        target = ("conversation", conversation_id)
        self.audit.record(session, actor, "conversation.audio_read", target, details)
        return Playback(stream, found.media_type, found.size, found.sha256, revision)

    def _stream(self, key: str) -> BinaryIO | None:
        try:
            return self.store.open(key)
        except StoreError as exc:
            raise StoreUnavailable(f"录音存储不可用 HEGUI_AUDIO_DIR: {exc}") from exc

"""Submitting conversations (one, a list, a JSONL upload) and reading them back.

Submitting has two halves: `read_list` / `read_lines` check, mask and seal (CPU only, no
transaction needed: callers may run it before taking the write lock) and `store` files
what passed in the caller's transaction and queues one job inspecting it. `submit` and
`upload` do both.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from hegui.engine.model import Conversation
from hegui.errors import NotFound
from hegui.formats.jsonl import (
    FormatError,
    IdSet,
    duplicate_message,
    parse_conversation,
    parse_line,
)
from hegui.services.audit import AuditService
from hegui.services.clock import Clock
from hegui.services.conversations.filing import Filing, Prepared, bound_to
from hegui.services.conversations.intake import LIFTED, Incoming, incoming, read_submitted
from hegui.services.conversations.models import ConversationRevision
from hegui.services.conversations.reading import conversation_read, masked_conversation
from hegui.services.conversations.repository import ConversationRepository
from hegui.services.conversations.schemas import (
    ConversationRead,
    LineProblem,
    Rejected,
    SubmitResult,
    UploadResult,
)
from hegui.services.conversations.sealing import ContentHasher, RawSealer
from hegui.services.jobs.models import INSPECT, Job
from hegui.services.jobs.service import JobService
from hegui.services.masking import Masker


@dataclass
class Batch:
    """Checked, masked and sealed conversations, by position; and the positions refused."""

    prepared: list[tuple[int, Prepared]] = field(default_factory=list)
    problems: list[tuple[int, str]] = field(default_factory=list)


@dataclass(frozen=True)
class Stored:
    job: Job
    accepted: list[str]
    problems: list[tuple[int, str]]


class ConversationService:
    def __init__(
        self,
        masker: Masker,
        sealer: RawSealer,
        hasher: ContentHasher,
        jobs: JobService,
        audit: AuditService,
        clock: Clock,
    ) -> None:
        self.masker = masker
        self.sealer = sealer
        self.hasher = hasher
        self.jobs = jobs
        self.audit = audit
        self.clock = clock
        self._filing = Filing(clock)
        # (session, conversation id, revision id) of each revision filed, in its transaction:
        # the ledger marks the cases of the conversation's older revisions.
        self.on_filed: list[Callable[[Session, str, int], None]] = []

    def prepare(self, obj: Any) -> Prepared:
        """One conversation checked, masked and sealed; `FormatError` naming the field."""
        return self._prepared(read_submitted(obj))

    def _prepared(self, incoming: Incoming) -> Prepared:
        conversation = incoming.conversation
        digest = self.hasher(incoming.content)
        turns = [(u.role, u.text) for u in conversation.utterances]
        return Prepared(
            incoming=incoming,
            content_hash=digest,
            texts=self.masker.turns(turns),
            metadata=self.masker.value(conversation.metadata),
            extra=self._masked_extra(conversation.extra),
            sealed=self.sealer.seal(incoming.content, bound_to(conversation.id, digest)),
            raw_kept=self.sealer.keeps_raw,
        )

    def _masked_extra(self, extra: dict[str, Any]) -> dict[str, Any]:
        """Unknown fields masked, except what conversations are filed under (agent ids)."""
        out: dict[str, Any] = {}
        for key, value in extra.items():
            if key in LIFTED and isinstance(value, dict):
                kept = LIFTED[key]
                out[key] = {k: v if k in kept else self.masker.value(v) for k, v in value.items()}
            else:
                out[key] = self.masker.value(value)
        return out

    def read_list(self, items: Sequence[Any]) -> Batch:
        """A list of conversation objects; problems by index (from 0)."""
        batch = Batch()
        for index, obj in enumerate(items):
            try:
                batch.prepared.append((index, self.prepare(obj)))
            except FormatError as exc:
                batch.problems.append((index, str(exc)))
        return batch

    def read_lines(self, lines: Iterable[str | bytes]) -> Batch:
        """JSONL (split on \\n only); problems by line number (from 1), blank lines skipped."""
        batch = Batch()
        seen = IdSet()
        for number, line in enumerate(lines, start=1):
            try:
                conversation = parse_line(_without_bom(line) if number == 1 else line)
                if conversation is None:
                    continue
                prepared = self._prepared(incoming(conversation))
            except FormatError as exc:
                batch.problems.append((number, str(exc)))
                continue
            if not seen.add(prepared.conversation_id):
                batch.problems.append((number, duplicate_message(prepared.conversation_id)))
                continue
            batch.prepared.append((number, prepared))
        return batch

    def store(self, session: Session, batch: Batch, *, actor: str) -> Stored:
        """File each prepared conversation (one failing never stops the others) and queue
        one job inspecting every new revision (and pending ones submitted again)."""
        accepted: list[tuple[int, str]] = []
        to_inspect: list[int] = []
        problems = list(batch.problems)
        # Filed in id order: concurrent submissions lock conversations in one order.
        for position, prepared in sorted(batch.prepared, key=lambda p: p[1].conversation_id):
            try:
                revision_id = self._filing.file(session, prepared, actor)
            except FormatError as exc:
                problems.append((position, str(exc)))
                continue
            accepted.append((position, prepared.conversation_id))
            if revision_id is not None:
                to_inspect.append(revision_id)
                for hook in self.on_filed:
                    hook(session, prepared.conversation_id, revision_id)
        job = self.jobs.create(session, INSPECT, to_inspect, actor=actor)
        details = {"accepted": len(accepted), "rejected": len(problems), "inspect": job.total}
        self.audit.record(session, actor, "conversations.submit", ("job", job.id), details)
        problems.sort()
        return Stored(job, [cid for _, cid in sorted(accepted)], problems)

    def submit(self, session: Session, data: Any, *, actor: str) -> SubmitResult:
        """One conversation object or a list of them (`POST /conversations`)."""
        items = data if isinstance(data, list) else [data]
        stored = self.store(session, self.read_list(items), actor=actor)
        rejected = [Rejected(index=i, error=e) for i, e in stored.problems]
        return SubmitResult(job_id=stored.job.id, accepted=stored.accepted, rejected=rejected)

    def upload(self, session: Session, lines: Iterable[str | bytes], *, actor: str) -> UploadResult:
        """A JSONL upload (`POST /conversations/upload`); for a body use `upload_body`."""
        stored = self.store(session, self.read_lines(lines), actor=actor)
        errors = [LineProblem(line=n, error=e) for n, e in stored.problems]
        return UploadResult(
            job_id=stored.job.id,
            accepted=len(stored.accepted),
            errors=errors,
            accepted_ids=stored.accepted,
        )

    def upload_body(self, session: Session, body: bytes, *, actor: str) -> UploadResult:
        # Split on \n alone: JSON strings may hold U+2028 and friends, which splitlines() cuts.
        return self.upload(session, body.split(b"\n"), actor=actor)

    def get(
        self, session: Session, conversation_id: str, revision: int | None = None
    ) -> ConversationRead:
        """The newest revision (or the one asked for), text masked as stored."""
        return conversation_read(session, self._revision(session, conversation_id, revision))

    def read_raw(
        self,
        session: Session,
        conversation_id: str,
        *,
        actor: str,
        reason: str = "",
        revision: int | None = None,
    ) -> dict[str, Any]:
        """The raw conversation as submitted; audited (call it in a write transaction)."""
        found = self._revision(session, conversation_id, revision)
        if not found.raw_kept or found.raw_sealed is None:
            raise NotFound(f"未保留原文 raw text of {conversation_id!r} is not kept")
        plain = self.sealer.open(
            found.raw_sealed, bound_to(found.conversation_id, found.content_hash)
        )
        details = {"revision": found.number, "reason": reason}
        self.audit.record(
            session, actor, "conversation.raw_read", ("conversation", conversation_id), details
        )
        result: dict[str, Any] = json.loads(plain)
        return result

    def for_inspection(
        self, session: Session, revision: ConversationRevision
    ) -> tuple[Conversation, str]:
        """What the engine reads: the sealed raw text ("raw") or, once erased, the masked
        text as stored ("masked")."""
        if revision.raw_sealed is None:
            return masked_conversation(session, revision), "masked"
        bound = bound_to(revision.conversation_id, revision.content_hash)
        plain = self.sealer.open(revision.raw_sealed, bound)
        return parse_conversation(json.loads(plain)), "raw"

    def _revision(
        self, session: Session, conversation_id: str, number: int | None
    ) -> ConversationRevision:
        repo = ConversationRepository(session)
        conversation = repo.get(conversation_id)
        found = None
        if conversation is not None:
            found = repo.revision(conversation_id, number or conversation.revision)
        if found is None:
            suffix = f" revision {number}" if number is not None else ""
            raise NotFound(f"会话不存在 no conversation {conversation_id!r}{suffix}")
        return found


def _without_bom(line: str | bytes) -> str | bytes:
    if isinstance(line, bytes):
        return line.removeprefix(b"\xef\xbb\xbf")
    return line.removeprefix("\ufeff")

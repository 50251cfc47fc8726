"""Recording state changes in the audit chain, verifying it, exporting it."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import replace
from typing import Any, NamedTuple, TextIO

from sqlalchemy.orm import Session

from hegui.errors import Conflict, Invalid
from hegui.services.audit.chain import (
    ChainReport,
    entry_hash,
    format_time,
    verify_records,
)
from hegui.services.audit.models import AuditEntry
from hegui.services.audit.repository import AuditRepository
from hegui.services.audit.schemas import AuditRecord
from hegui.services.clock import Clock


class ObjectRef(NamedTuple):
    """What an entry is about: ("user", 7), ("case", "c-12")."""

    type: str
    id: object


class AuditService:
    def __init__(self, clock: Clock) -> None:
        self.clock = clock

    def record(
        self,
        session: Session,
        actor: str,
        action: str,
        obj: ObjectRef | tuple[str, object],
        details: Mapping[str, Any] | None = None,
    ) -> AuditEntry:
        """Append one entry in the caller's transaction.

        Appends are serialised by locking the head row (PostgreSQL) or by the write lock
        the transaction holds (SQLite), so concurrent writers extend the chain in turn.
        """
        payload = _json_object(details or {})
        repo = AuditRepository(session)
        head = repo.head_for_append()
        if head is None:
            raise Conflict(
                "审计链头缺失 the audit chain head row is missing: run hegui audit verify"
            )
        at = self.clock.now()
        fields: dict[str, Any] = {
            "seq": head.seq + 1,
            "at": at,
            "actor": actor,
            "action": action,
            "object_type": obj[0],
            "object_id": str(obj[1]),
            "details": payload,
            "prev_hash": head.hash,
        }
        digest = entry_hash(fields | {"at": format_time(at)})
        entry = AuditEntry(**fields, hash=digest)
        repo.add(entry)
        head.seq, head.hash = entry.seq, digest
        session.flush()
        return entry

    def entries(
        self, session: Session, *, after: int = 0, limit: int = 100
    ) -> Sequence[AuditEntry]:
        return AuditRepository(session).page(after=after, limit=limit)

    def count(self, session: Session) -> int:
        return AuditRepository(session).count()

    def records(self, session: Session) -> Iterator[AuditRecord]:
        for entry in AuditRepository(session).stream():
            yield AuditRecord.of(entry)

    def verify(self, session: Session) -> ChainReport:
        """Check every entry and the head; the report names the first entry altered or removed."""
        head = AuditRepository(session).head()
        records = _dicts(self.records(session))
        if head is None:
            report = verify_records(records)
            if not report.ok:
                return report
            missing = "审计链头已被删除 the chain head row was removed"
            return replace(report, problem=missing, problem_seq=report.head_seq + 1)
        return verify_records(records, (head.seq, head.hash))

    def export(self, session: Session, out: TextIO) -> ChainReport:
        """Write every entry as one JSON line, hashes included, and verify them on the way."""

        def written() -> Iterator[dict[str, Any]]:
            for line in _dicts(self.records(session)):
                out.write(json.dumps(line, ensure_ascii=False, separators=(",", ":")) + "\n")
                yield line

        head = AuditRepository(session).head()
        lines = written()
        report = verify_records(lines, (head.seq, head.hash) if head else None)
        for _ in lines:
            pass  # past a problem too: the auditor gets every entry there is
        return report


def _dicts(records: Iterable[AuditRecord]) -> Iterator[dict[str, Any]]:
    return (record.model_dump() for record in records)


def _json_object(details: Mapping[str, Any]) -> dict[str, Any]:
    try:
        # A round trip: what is stored and hashed is exactly what reading it back gives.
        result = json.loads(json.dumps(dict(details), ensure_ascii=False, allow_nan=False))
    except (TypeError, ValueError) as exc:
        raise Invalid("details", f"审计详情须为 JSON audit details must be JSON: {exc}") from exc
    return dict(result)

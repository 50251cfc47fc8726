"""Audit entries as records: what the API returns, the export writes and `chain` checks."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from hegui.services.audit.chain import format_time
from hegui.services.audit.models import AuditEntry


class AuditRecord(BaseModel):
    seq: int
    at: str
    actor: str
    action: str
    object_type: str
    object_id: str
    details: dict[str, Any]
    prev_hash: str
    hash: str

    @classmethod
    def of(cls, entry: AuditEntry) -> AuditRecord:
        return cls(
            seq=entry.seq,
            at=format_time(entry.at),
            actor=entry.actor,
            action=entry.action,
            object_type=entry.object_type,
            object_id=entry.object_id,
            details=entry.details,
            prev_hash=entry.prev_hash,
            hash=entry.hash,
        )

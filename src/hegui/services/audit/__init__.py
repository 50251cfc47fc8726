"""The append-only, hash-chained audit log of every state change."""

from __future__ import annotations

from hegui.services.audit.chain import GENESIS, ChainReport, canonical, entry_hash
from hegui.services.audit.models import AuditEntry, AuditHead
from hegui.services.audit.service import AuditService, ObjectRef

__all__ = [
    "GENESIS",
    "AuditEntry",
    "AuditHead",
    "AuditService",
    "ChainReport",
    "ObjectRef",
    "canonical",
    "entry_hash",
]

"""Every table of every domain, imported so `Base.metadata` is complete (for Alembic)."""

from __future__ import annotations

from hegui.services.audit.models import AuditEntry, AuditHead
from hegui.services.users.models import User

__all__ = ["AuditEntry", "AuditHead", "User"]

"""Every table of every domain, imported so `Base.metadata` is complete (for Alembic)."""

from __future__ import annotations

from hegui.services.audit.models import AuditEntry, AuditHead
from hegui.services.conversations.models import (
    ConversationRevision,
    StoredConversation,
    StoredUtterance,
)
from hegui.services.findings.models import Inspection, StoredFinding
from hegui.services.jobs.models import Job, JobItem
from hegui.services.rulesets.models import RulePack, RulePackVersion
from hegui.services.users.models import User

__all__ = [
    "AuditEntry",
    "AuditHead",
    "ConversationRevision",
    "Inspection",
    "Job",
    "JobItem",
    "RulePack",
    "RulePackVersion",
    "StoredConversation",
    "StoredFinding",
    "StoredUtterance",
    "User",
]

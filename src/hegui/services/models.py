"""Every table of every domain, imported so `Base.metadata` is complete (for Alembic)."""

from __future__ import annotations

from hegui.services.alerts.models import DeliveryRow, NotifierRow, OutboxEntry
from hegui.services.audit.models import AuditEntry, AuditHead
from hegui.services.cases.models import Case, CaseEvent, CaseLabel, JobMark
from hegui.services.conversations.models import (
    ConversationRevision,
    StoredConversation,
    StoredUtterance,
)
from hegui.services.findings.models import Inspection, StoredFinding
from hegui.services.jobs.models import Job, JobItem
from hegui.services.metrics.models import ConversationMetricsRow
from hegui.services.recordings.models import Recording
from hegui.services.rulesets.models import RulePack, RulePackVersion
from hegui.services.scorecards.models import ConversationScore, ScoreLine
from hegui.services.training.models import TrainingAssignment, TrainingCourse
from hegui.services.users.models import User

__all__ = [
    "AuditEntry",
    "AuditHead",
    "Case",
    "CaseEvent",
    "CaseLabel",
    "ConversationMetricsRow",
    "ConversationRevision",
    "ConversationScore",
    "DeliveryRow",
    "Inspection",
    "Job",
    "JobItem",
    "JobMark",
    "NotifierRow",
    "OutboxEntry",
    "Recording",
    "RulePack",
    "RulePackVersion",
    "ScoreLine",
    "StoredConversation",
    "StoredFinding",
    "StoredUtterance",
    "TrainingAssignment",
    "TrainingCourse",
    "User",
]

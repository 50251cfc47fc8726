"""The violation ledger (质检台账): a case per finding, reviewed, appealed, ruled on;
calibration samples; escalation of overdue cases and digests (see docs/ledger.md)."""

from __future__ import annotations

from hegui.services.cases.calibration import Agreement, Calibration
from hegui.services.cases.jobs import (
    ScheduledJob,
    deliver_outbox,
    run_escalations,
    sample_calibration,
    scheduled_jobs,
    send_digests,
)
from hegui.services.cases.models import Case, CaseEvent, CaseLabel, JobMark
from hegui.services.cases.opening import CaseOpener
from hegui.services.cases.schemas import CaseFilter, CaseRead
from hegui.services.cases.service import CaseService

__all__ = [
    "Agreement",
    "Calibration",
    "Case",
    "CaseEvent",
    "CaseFilter",
    "CaseLabel",
    "CaseOpener",
    "CaseRead",
    "CaseService",
    "JobMark",
    "ScheduledJob",
    "deliver_outbox",
    "run_escalations",
    "sample_calibration",
    "scheduled_jobs",
    "send_digests",
]

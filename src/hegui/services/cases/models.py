"""The violation ledger: one case per finding (or per calibration sample), its history of
actions, and the calibration labels reviewers give independently.

A finding case copies what the ledger filters and counts by (rule, category, severity,
agent, team, channel, industry, when the conversation took place) so lists and the
dashboard's counts need no join.
`calibration_of` is the revision a calibration case samples: unique, so a conversation is
sampled once however often the sampler looks at it.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
    true,
)
from sqlalchemy.orm import Mapped, mapped_column

from hegui.db import Base

FINDING, CALIBRATION, ALL_KINDS = "finding", "calibration", "all"
NEW, CONFIRMED, DISMISSED = "new", "confirmed", "dismissed"
APPEALED, UPHELD, OVERTURNED = "appealed", "upheld", "overturned"
WITHDRAWN, CALIBRATED = "withdrawn", "calibrated"
STATUSES = (NEW, CONFIRMED, DISMISSED, APPEALED, UPHELD, OVERTURNED, WITHDRAWN, CALIBRATED)
# Waiting for someone on the institution's side: these have a due date and escalate.
OPEN = (NEW, APPEALED)
CLEAN, VIOLATION = "clean", "violation"


def _listed(values: tuple[str, ...]) -> str:
    return ", ".join(f"'{value}'" for value in values)


class Case(Base):
    __tablename__ = "cases"
    __table_args__ = (
        CheckConstraint(f"kind IN ({_listed((FINDING, CALIBRATION))})", name="kind"),
        CheckConstraint(f"status IN ({_listed(STATUSES)})", name="status"),
        Index("ix_cases_status_due_at", "status", "due_at"),
        Index("ix_cases_occurred_at", "occurred_at"),
        Index("ix_cases_created_at", "created_at"),
        Index("ix_cases_agent_id", "agent_id"),
        Index("ix_cases_team", "team"),
        Index("ix_cases_rule_id", "rule_id"),
        Index("ix_cases_conversation_id", "conversation_id"),
        Index("ix_cases_industry", "industry"),
        # The dashboard's counts read this index alone (migration 0005).
        Index(
            "ix_cases_counted",
            "kind",
            "latest",
            "superseded_at",
            "occurred_at",
            "category",
            "severity",
            "channel",
            "team",
            "agent_id",
            "industry",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    finding_id: Mapped[int | None] = mapped_column(ForeignKey("findings.id"), unique=True)
    calibration_of: Mapped[int | None] = mapped_column(unique=True)
    conversation_id: Mapped[str] = mapped_column(ForeignKey("conversations.id"))
    revision_id: Mapped[int] = mapped_column(ForeignKey("conversation_revisions.id"))
    rule_id: Mapped[str | None] = mapped_column(String(128))
    category: Mapped[str | None] = mapped_column(String(64))
    severity: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16))
    agent_id: Mapped[str | None] = mapped_column(String(64))
    team: Mapped[str | None] = mapped_column(String(64))
    channel: Mapped[str] = mapped_column(String(16))
    industry: Mapped[str | None] = mapped_column(String(16))
    # Its revision is the conversation's newest: what the dashboard counts (with the
    # finding current, `superseded_at` null). Cleared when a newer revision is filed.
    latest: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    occurred_at: Mapped[datetime]
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    due_at: Mapped[datetime | None]
    appeal_until: Mapped[datetime | None]
    assignee: Mapped[str | None] = mapped_column(String(64))
    escalation_level: Mapped[int]
    superseded_at: Mapped[datetime | None]


class CaseEvent(Base):
    """One entry of a case's history: who did what, when, from which status to which."""

    __tablename__ = "case_events"
    __table_args__ = (Index("ix_case_events_case_id", "case_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"))
    at: Mapped[datetime]
    actor: Mapped[str] = mapped_column(String(128))
    action: Mapped[str] = mapped_column(String(32))
    from_status: Mapped[str | None] = mapped_column(String(16))
    to_status: Mapped[str | None] = mapped_column(String(16))
    comment: Mapped[str | None] = mapped_column(Text)
    details: Mapped[dict[str, Any]]


class CaseLabel(Base):
    """A reviewer's independent verdict on a calibration case (one per reviewer)."""

    __tablename__ = "case_labels"
    __table_args__ = (
        UniqueConstraint("case_id", "reviewer"),
        CheckConstraint(f"verdict IN ({_listed((CLEAN, VIOLATION))})", name="verdict"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"))
    reviewer: Mapped[str] = mapped_column(String(64))
    verdict: Mapped[str] = mapped_column(String(16))
    category: Mapped[str | None] = mapped_column(String(64))
    comment: Mapped[str | None] = mapped_column(Text)
    at: Mapped[datetime]


class JobMark(Base):
    """How far a periodic job has looked (the calibration sampler's watermark)."""

    __tablename__ = "job_marks"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    at: Mapped[datetime]

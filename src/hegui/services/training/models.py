"""Training: the course for each category, and the assignments pushed to agents.

One assignment per (agent, category, period): `period` is the label of the calendar week or
month (China Standard Time) whose confirmed findings crossed the threshold.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, CheckConstraint, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from hegui.db import Base

ASSIGNED, ACKNOWLEDGED, COMPLETED = "assigned", "acknowledged", "completed"


class TrainingCourse(Base):
    """A course configured for a category (categories without one use the default)."""

    __tablename__ = "training_courses"

    category: Mapped[str] = mapped_column(String(64), primary_key=True)
    title: Mapped[str] = mapped_column(String(255))
    url: Mapped[str | None] = mapped_column(String(1024))
    updated_by: Mapped[str] = mapped_column(String(128))
    updated_at: Mapped[datetime]


class TrainingAssignment(Base):
    __tablename__ = "training_assignments"
    __table_args__ = (
        UniqueConstraint("agent_id", "category", "period"),
        CheckConstraint(
            f"status IN ('{ASSIGNED}', '{ACKNOWLEDGED}', '{COMPLETED}')", name="status"
        ),
        Index("ix_training_assignments_team", "team"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    agent_id: Mapped[str] = mapped_column(String(64))
    team: Mapped[str | None] = mapped_column(String(64))
    category: Mapped[str] = mapped_column(String(64))
    period: Mapped[str] = mapped_column(String(16))
    confirmed: Mapped[int]  # confirmed findings that crossed the threshold
    case_ids: Mapped[list[int]] = mapped_column(JSON)
    course_title: Mapped[str] = mapped_column(String(255))
    course_url: Mapped[str | None] = mapped_column(String(1024))
    status: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime]
    acknowledged_at: Mapped[datetime | None]
    completed_at: Mapped[datetime | None]

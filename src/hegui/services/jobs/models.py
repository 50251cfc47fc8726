"""Durable background jobs: one row per job, one item per conversation revision it covers.

Workers lease items, not whole jobs, so several workers share one large upload. An item is
marked done in the transaction that stores its result; a worker that dies leaves its items
leased until the lease expires, and another worker takes them up.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from hegui.db import Base

QUEUED, RUNNING, DONE, FAILED = "queued", "running", "done", "failed"
PENDING = "pending"
INSPECT, REINSPECT = "inspect", "reinspect"


class Job(Base):
    __tablename__ = "jobs"
    __table_args__ = (
        CheckConstraint("status IN ('queued', 'running', 'done', 'failed')", name="status"),
        CheckConstraint("kind IN ('inspect', 'reinspect')", name="kind"),
        Index("ix_jobs_status", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16))
    total: Mapped[int]
    done: Mapped[int]
    failed: Mapped[int]
    error: Mapped[str | None] = mapped_column(Text)
    params: Mapped[dict[str, Any]]
    created_by: Mapped[str] = mapped_column(String(128))
    created_at: Mapped[datetime]
    started_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]
    heartbeat_at: Mapped[datetime | None]  # the last time a worker stored a result


class JobItem(Base):
    __tablename__ = "job_items"
    __table_args__ = (
        UniqueConstraint("job_id", "revision_id"),
        CheckConstraint("state IN ('pending', 'done', 'failed')", name="state"),
        Index("ix_job_items_claim", "state", "job_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    job_id: Mapped[int] = mapped_column(ForeignKey("jobs.id"))
    revision_id: Mapped[int] = mapped_column(ForeignKey("conversation_revisions.id"))
    state: Mapped[str] = mapped_column(String(16))
    attempts: Mapped[int]  # leases taken; a worker that died holding it counts too
    lease_owner: Mapped[str | None] = mapped_column(String(128))
    lease_expires_at: Mapped[datetime | None]
    error: Mapped[str | None] = mapped_column(Text)

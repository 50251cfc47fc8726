"""Queries on jobs and their items: creating, leasing, finishing, counting.

Leasing takes rows with `FOR UPDATE SKIP LOCKED` on PostgreSQL (workers never wait for
each other's items) and runs inside SQLite's `BEGIN IMMEDIATE` write lock there (SQLite
does not render FOR UPDATE), so two workers never lease one item at once.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import case, func, insert, literal, or_, select, update
from sqlalchemy.orm import Session

from hegui.db import UTCDateTime
from hegui.services.jobs.models import DONE, FAILED, PENDING, QUEUED, RUNNING, Job, JobItem


@dataclass(frozen=True, slots=True)
class Claim:
    """One leased item: which revision, for which job, of which kind."""

    item_id: int
    job_id: int
    revision_id: int
    kind: str
    params: dict[str, Any]


class JobRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def get(self, job_id: int) -> Job | None:
        return self.session.get(Job, job_id)

    def add(self, job: Job, revision_ids: Sequence[int]) -> Job:
        self.session.add(job)
        self.session.flush()
        items = [
            {"job_id": job.id, "revision_id": rid, "state": PENDING, "attempts": 0}
            for rid in revision_ids
        ]
        if items:
            self.session.execute(insert(JobItem), items)
        return job

    def claim(
        self, owner: str, now: datetime, lease: timedelta, limit: int, max_attempts: int
    ) -> list[Claim]:
        """Lease up to `limit` pending items whose lease is free or expired, oldest job first."""
        self._fail_abandoned(now, max_attempts)
        free = or_(JobItem.lease_expires_at.is_(None), JobItem.lease_expires_at < now)
        query = (
            select(JobItem.id, JobItem.job_id, JobItem.revision_id)
            .where(JobItem.state == PENDING, free)
            .order_by(JobItem.job_id, JobItem.id)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
        rows = self.session.execute(query).all()
        if not rows:
            return []
        self.session.execute(
            update(JobItem)
            .where(JobItem.id.in_([row.id for row in rows]))
            .values(lease_owner=owner, lease_expires_at=now + lease, attempts=JobItem.attempts + 1)
            .execution_options(synchronize_session=False)
        )
        jobs = self._start({row.job_id for row in rows}, now)
        return [
            Claim(
                row.id, row.job_id, row.revision_id, jobs[row.job_id].kind, jobs[row.job_id].params
            )
            for row in rows
        ]

    def _start(self, job_ids: set[int], now: datetime) -> dict[int, Job]:
        self.session.execute(
            update(Job)
            .where(Job.id.in_(job_ids), Job.status == QUEUED)
            .values(status=RUNNING, started_at=now)
            .execution_options(synchronize_session=False)
        )
        query = select(Job).where(Job.id.in_(job_ids)).execution_options(populate_existing=True)
        jobs = self.session.scalars(query)
        return {job.id: job for job in jobs}

    def _fail_abandoned(self, now: datetime, max_attempts: int) -> None:
        """Items whose lease expired `max_attempts` times: each try killed its worker."""
        query = (
            select(JobItem.id, JobItem.job_id)
            .where(
                JobItem.state == PENDING,
                JobItem.lease_expires_at < now,
                JobItem.attempts >= max_attempts,
            )
            .with_for_update(skip_locked=True)
        )
        rows = self.session.execute(query).all()
        if not rows:
            return
        error = f"检查 {max_attempts} 次均未完成 no worker finished it in {max_attempts} tries"
        self.session.execute(
            update(JobItem)
            .where(JobItem.id.in_([row.id for row in rows]))
            .values(state=FAILED, error=error, lease_owner=None)
            .execution_options(synchronize_session=False)
        )
        for job_id, count in sorted(Counter(row.job_id for row in rows).items()):
            self.count(job_id, now, done=0, failed=count, error=error)

    def held(self, owner: str, item_ids: Sequence[int]) -> set[int]:
        """The items still leased to `owner`, locked until the transaction ends."""
        query = (
            select(JobItem.id)
            .where(JobItem.id.in_(item_ids), JobItem.lease_owner == owner, JobItem.state == PENDING)
            .with_for_update()
        )
        return set(self.session.scalars(query))

    def finish(self, item_ids: Sequence[int], state: str, error: str | None = None) -> None:
        """Mark held items done or failed (see `held`)."""
        if not item_ids:
            return
        self.session.execute(
            update(JobItem)
            .where(JobItem.id.in_(item_ids))
            .values(state=state, error=error, lease_owner=None, lease_expires_at=None)
            .execution_options(synchronize_session=False)
        )

    def count(
        self, job_id: int, now: datetime, *, done: int, failed: int, error: str | None = None
    ) -> None:
        """Add progress in one statement, so concurrent workers' counts never overwrite."""
        finished = (Job.done + done + Job.failed + failed) >= Job.total
        failing = (Job.failed + failed) > 0
        at = literal(now, UTCDateTime())
        values: dict[str, Any] = {
            "done": Job.done + done,
            "failed": Job.failed + failed,
            "heartbeat_at": at,
            "status": case((finished & failing, FAILED), (finished, DONE), else_=RUNNING),
            "finished_at": case((finished, at), else_=Job.finished_at),
        }
        if error is not None:
            values["error"] = func.coalesce(Job.error, error)
        statement = update(Job).where(Job.id == job_id).values(**values)
        self.session.execute(statement.execution_options(synchronize_session=False))

    def items(self, job_id: int) -> Sequence[JobItem]:
        query = select(JobItem).where(JobItem.job_id == job_id).order_by(JobItem.id)
        return self.session.scalars(query).all()

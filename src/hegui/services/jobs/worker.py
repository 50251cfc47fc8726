"""The worker: lease a batch of items, compute their results outside any transaction, then
store each result in the transaction that marks its item done.

Exactly once: an item's result and its `done` mark commit together, and only the worker
holding the item's lease may mark it. A worker killed mid-batch commits nothing; its
leases expire and another worker redoes the batch. A worker that lost its lease (it
stalled past the lease) finds its marks refused and stores nothing.
"""

from __future__ import annotations

import logging
import os
import secrets
import socket
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Protocol

from sqlalchemy.exc import DataError, IntegrityError
from sqlalchemy.orm import Session

from hegui.db import Database
from hegui.errors import HeguiError
from hegui.services.clock import Clock
from hegui.services.jobs.models import DONE, FAILED
from hegui.services.jobs.repository import Claim, JobRepository

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 3


@dataclass(frozen=True, slots=True)
class Outcome:
    """A computed result for one claim, or why it could not be computed."""

    claim: Claim
    result: object = None
    error: str | None = None
    order: int = 0  # stores run in this order (lock order: no deadlocks between workers)


class JobStep(Protocol):
    """What a kind of work does with leased items."""

    def compute(self, claims: Sequence[Claim]) -> list[Outcome]:
        """Results for the claims; runs outside any transaction, may take its time."""
        ...

    def store(self, session: Session, outcome: Outcome) -> None:
        """Write one result, in the transaction that marks its item done."""
        ...


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(3)}"


class Worker:
    def __init__(
        self,
        db: Database,
        clock: Clock,
        step: JobStep,
        *,
        lease: timedelta,
        batch: int = 16,
        max_attempts: int = MAX_ATTEMPTS,
        name: str | None = None,
    ) -> None:
        self.db = db
        self.clock = clock
        self.step = step
        self.lease = lease
        self.batch = batch
        self.max_attempts = max_attempts
        self.name = name or worker_name()

    def another(self) -> Worker:
        """A worker like this one under a name of its own: one per thread or process."""
        return Worker(
            self.db,
            self.clock,
            self.step,
            lease=self.lease,
            batch=self.batch,
            max_attempts=self.max_attempts,
        )

    def run_once(self) -> int:
        """Lease, compute and store one batch; the number of items it leased (0: idle)."""
        claims = self.claim()
        if claims:
            self.store(self.step.compute(claims))
        return len(claims)

    def claim(self) -> list[Claim]:
        with self.db.transaction() as session:
            repo = JobRepository(session)
            now = self.clock.now()
            return repo.claim(self.name, now, self.lease, self.batch, self.max_attempts)

    def store(self, outcomes: Sequence[Outcome]) -> int:
        """Store what this worker still holds the lease of; returns how many were stored."""
        with self.db.transaction() as session:
            repo = JobRepository(session)
            held = repo.held(self.name, [o.claim.item_id for o in outcomes])
            ours = [o for o in outcomes if o.claim.item_id in held]  # others: lease lost
            results: list[tuple[Claim, str | None]] = []
            for outcome in sorted(ours, key=lambda o: (o.order, o.claim.item_id)):
                error = outcome.error
                if error is None:
                    error = self._store_one(session, outcome)
                results.append((outcome.claim, error))
            repo.finish([claim.item_id for claim, error in results if error is None], DONE)
            for claim, error in results:
                if error is not None:
                    repo.finish([claim.item_id], FAILED, error)
            self._count(repo, results)
            return len(results)

    def _count(self, repo: JobRepository, results: list[tuple[Claim, str | None]]) -> None:
        done: Counter[int] = Counter()
        failed: Counter[int] = Counter()
        errors: dict[int, str] = {}
        for claim, error in results:
            if error is None:
                done[claim.job_id] += 1
            else:
                failed[claim.job_id] += 1
                errors.setdefault(claim.job_id, f"{claim.revision_id}: {error}")
        now = self.clock.now()
        for job_id in sorted(done.keys() | failed.keys()):  # one lock order for every worker
            repo.count(
                job_id, now, done=done[job_id], failed=failed[job_id], error=errors.get(job_id)
            )

    def _store_one(self, session: Session, outcome: Outcome) -> str | None:
        """None when stored; else why the database or a hook refused it."""
        try:
            # A savepoint: a result the database refuses fails its item, not the batch. Other
            # errors (a lost connection, a deadlock) abort the batch: its leases expire and
            # the items are tried again, never failed for a passing fault.
            with session.begin_nested():
                self.step.store(session, outcome)
        except (IntegrityError, DataError, HeguiError) as exc:
            log.exception("storing item %s failed", outcome.claim.item_id)
            return f"保存失败 could not store: {exc.__class__.__name__}: {exc}"[:2000]
        return None

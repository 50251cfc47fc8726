"""The ledger's periodic jobs, for `hegui serve`'s scheduler (or any loop)::

    for job in scheduled_jobs(platform):
        every(job.interval, job.run)        # job.run() takes no argument

Each runs in transactions of its own and is safe to run on several servers at once.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import NamedTuple, Protocol

from hegui.db import Database
from hegui.services.alerts.service import AlertService
from hegui.services.audit import AuditService
from hegui.services.cases.calibration import Calibration
from hegui.services.cases.digests import queue_digests
from hegui.services.cases.escalation import escalate_overdue
from hegui.services.clock import Clock
from hegui.settings import Settings


class LedgerPlatform(Protocol):
    """What the jobs need of a `Platform`."""

    @property
    def settings(self) -> Settings: ...

    @property
    def clock(self) -> Clock: ...

    @property
    def db(self) -> Database: ...

    @property
    def audit(self) -> AuditService: ...

    @property
    def alerts(self) -> AlertService: ...

    @property
    def calibration(self) -> Calibration: ...


class ScheduledJob(NamedTuple):
    name: str
    interval: float  # seconds between runs
    run: Callable[[], object]


def deliver_outbox(platform: LedgerPlatform) -> int:
    """Send the pending notices (case.created, case.escalated, digests); how many went out."""
    return platform.alerts.deliver_outbox()


def run_escalations(platform: LedgerPlatform, now: datetime | None = None) -> list[int]:
    """Escalate the open cases past their due date; their ids."""
    with platform.db.transaction() as session:
        return escalate_overdue(
            session, platform.audit, platform.alerts.policy, now or platform.clock.now()
        )


def send_digests(platform: LedgerPlatform, now: datetime | None = None) -> list[str]:
    """Queue the daily and weekly digests now due (`deliver_outbox` sends them); their keys."""
    with platform.db.transaction() as session:
        return queue_digests(session, platform.alerts.policy, now or platform.clock.now())


def sample_calibration(platform: LedgerPlatform, now: datetime | None = None) -> list[int]:
    """Open calibration cases for a share of the conversations without findings; their ids."""
    share = platform.settings.calibration_share
    with platform.db.transaction() as session:
        return platform.calibration.sample(session, share, now or platform.clock.now())


def scheduled_jobs(platform: LedgerPlatform) -> list[ScheduledJob]:
    return [
        ScheduledJob("ledger.deliver_outbox", 5.0, lambda: deliver_outbox(platform)),
        ScheduledJob("ledger.escalations", 60.0, lambda: run_escalations(platform)),
        ScheduledJob("ledger.digests", 300.0, lambda: send_digests(platform)),
        ScheduledJob("ledger.calibration", 300.0, lambda: sample_calibration(platform)),
    ]

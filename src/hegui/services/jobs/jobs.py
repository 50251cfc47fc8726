"""Running the platform's worker: in `hegui serve`, in a worker process, or by `hegui ingest`.

stop = threading.Event()
run_worker(platform, stop)          # until stop.set()
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Protocol

from hegui.db import Database
from hegui.services.jobs.models import DONE, FAILED
from hegui.services.jobs.schemas import JobRead
from hegui.services.jobs.service import JobService
from hegui.services.jobs.worker import Worker

log = logging.getLogger(__name__)

IDLE_POLL = 1.0
BACKOFF_MAX = 30.0
STATISTICS_EVERY = 60.0  # seconds: at most this often, after work, SQLite's ANALYZE


class WorkerPlatform(Protocol):
    """What running the worker needs of a `Platform`."""

    @property
    def db(self) -> Database: ...

    @property
    def jobs(self) -> JobService: ...

    @property
    def worker(self) -> Worker: ...


def run_once(platform: WorkerPlatform) -> int:
    """One batch; the number of items leased (0 when there was nothing to do)."""
    return platform.worker.run_once()


def run_worker(
    platform: WorkerPlatform, stop_event: threading.Event, *, poll: float = IDLE_POLL
) -> None:
    """Work until `stop_event` is set; idle, it looks for work every `poll` seconds.

    A failed batch (a database outage, a hook's bug) is logged and retried after a pause
    that grows while failures last; its leases expire and the items are taken up again.
    """
    backoff = poll
    worked, analysed = False, time.monotonic()
    while not stop_event.is_set():
        try:
            busy = run_once(platform)
            backoff = poll
            worked = worked or bool(busy)
            if worked and not busy and time.monotonic() - analysed >= STATISTICS_EVERY:
                platform.db.refresh_statistics()  # the data grew: keep the planner informed
                worked, analysed = False, time.monotonic()
        except Exception:  # an outage, or a bug in a hook: log it, back off, keep serving
            log.exception("worker %s: batch failed; retrying", platform.worker.name)
            stop_event.wait(backoff)
            backoff = min(backoff * 2, BACKOFF_MAX)
            continue
        if not busy:
            stop_event.wait(poll)


def run_until_done(
    platform: WorkerPlatform,
    job_id: int,
    *,
    poll: float = 0.2,
    timeout: float | None = None,
) -> JobRead:
    """Work (on any job) until `job_id` is done or failed; other workers may help."""
    deadline = None if timeout is None else time.monotonic() + timeout
    while True:
        with platform.db.reader() as session:
            job = platform.jobs.read(session, job_id)
        if job.status in (DONE, FAILED):
            platform.db.refresh_statistics()
            return job
        if deadline is not None and time.monotonic() > deadline:
            raise TimeoutError(f"job {job_id} still {job.status} ({job.done}/{job.total})")
        if not run_once(platform):
            time.sleep(poll)

"""The background work `hegui serve` runs beside the HTTP API: worker threads on the
durable job queue, and a scheduler of each domain's periodic jobs.

    with Runtime(platform, workers=2):
        server.run()            # leaving the block finishes what is in flight, then returns

Stopping lets each worker finish its batch (a batch left unfinished is not lost: its
leases expire and a worker takes it up again, in this process or another) and the
scheduler finish the job it is running. A domain with periodic work adds its
`scheduled_jobs(platform) -> [(name, interval_seconds, fn)]` to `SCHEDULES`; `fn` is
called with no argument, or with the platform if it takes one.
"""

from __future__ import annotations

import inspect
import logging
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from types import TracebackType

from hegui.bootstrap import Platform
from hegui.db import Database
from hegui.services.cases.jobs import scheduled_jobs as ledger_jobs
from hegui.services.jobs import JobService, Worker, run_worker

log = logging.getLogger("hegui.runtime")

Periodic = Callable[..., object]
ScheduleProvider = Callable[[Platform], Iterable[tuple[str, float, Periodic]]]

# Every domain's periodic jobs, each `scheduled_jobs(platform)`; one line per domain.
SCHEDULES: tuple[ScheduleProvider, ...] = (ledger_jobs,)

IDLE_POLL = 1.0
STOP_TIMEOUT = 60.0


@dataclass(frozen=True)
class ScheduledJob:
    name: str
    interval: float  # seconds between the end of one run and the start of the next
    run: Callable[[], object]


@dataclass(frozen=True)
class WorkerView:
    """What `run_worker` needs, with this thread's own worker (leases are held by name)."""

    db: Database
    jobs: JobService
    worker: Worker


def scheduled_jobs(
    platform: Platform, providers: Iterable[ScheduleProvider] = SCHEDULES
) -> list[ScheduledJob]:
    """The periodic jobs of every provider, each bound to `platform`."""
    jobs = []
    for provider in providers:
        for name, interval, fn in provider(platform):
            if interval <= 0:
                raise ValueError(f"scheduled job {name!r}: interval must be positive")
            jobs.append(ScheduledJob(name, float(interval), _bound(fn, platform)))
    return jobs


def _bound(fn: Periodic, platform: Platform) -> Callable[[], object]:
    required = [
        p
        for p in inspect.signature(fn).parameters.values()
        if p.default is p.empty and p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)
    ]
    if required:
        return lambda: fn(platform)
    return fn


@dataclass
class Scheduler:
    """Runs each job every `interval` seconds (the first run at start), one at a time."""

    jobs: Sequence[ScheduledJob]
    stop: threading.Event
    runs: dict[str, int] = field(default_factory=dict)  # completed runs, for the curious

    def loop(self) -> None:
        due = dict.fromkeys((job.name for job in self.jobs), time.monotonic())
        while not self.stop.is_set():
            now = time.monotonic()
            for job in self.jobs:
                if due[job.name] <= now and not self.stop.is_set():
                    self._run(job)
                    due[job.name] = time.monotonic() + job.interval
            wait = min(due.values(), default=now + IDLE_POLL) - time.monotonic()
            self.stop.wait(max(wait, 0.0))

    def _run(self, job: ScheduledJob) -> None:
        try:
            job.run()
        except Exception:  # one job's failure must not stop the others, or the server
            log.exception("scheduled job %s failed; it runs again in %g s", job.name, job.interval)
        self.runs[job.name] = self.runs.get(job.name, 0) + 1


class Runtime:
    """`workers` threads on the job queue and, if there are any jobs, one scheduler thread."""

    def __init__(
        self,
        platform: Platform,
        *,
        workers: int = 1,
        schedule: Sequence[ScheduledJob] | None = None,
        poll: float = IDLE_POLL,
    ) -> None:
        if workers < 0:
            raise ValueError("workers must be 0 or more")
        self.platform = platform
        self.workers = workers
        self.schedule = list(scheduled_jobs(platform) if schedule is None else schedule)
        self.poll = poll
        self.stopping = threading.Event()
        self.scheduler = Scheduler(self.schedule, self.stopping)
        self.threads: list[threading.Thread] = []

    def start(self) -> None:
        for number in range(self.workers):
            # The platform's worker for the first thread, a fresh name for each other.
            worker = self.platform.worker if number == 0 else self.platform.worker.another()
            view = WorkerView(self.platform.db, self.platform.jobs, worker)
            self._spawn(f"hegui-worker-{number + 1}", self._work, view)
        if self.schedule:
            self._spawn("hegui-scheduler", self.scheduler.loop)

    def stop(self, timeout: float = STOP_TIMEOUT) -> bool:
        """Stop after the work in flight; False if a thread is still busy after `timeout`."""
        self.stopping.set()
        deadline = time.monotonic() + timeout
        for thread in self.threads:
            thread.join(max(deadline - time.monotonic(), 0.0))
        busy = [thread.name for thread in self.threads if thread.is_alive()]
        if busy:
            log.warning("still busy after %.0f s: %s", timeout, ", ".join(busy))
        return not busy

    def __enter__(self) -> Runtime:
        self.start()
        return self

    def __exit__(
        self,
        _type: type[BaseException] | None,
        _value: BaseException | None,
        _traceback: TracebackType | None,
    ) -> None:
        self.stop()

    def _work(self, view: WorkerView) -> None:
        run_worker(view, self.stopping, poll=self.poll)

    def _spawn(self, name: str, target: Callable[..., None], *args: object) -> None:
        # Daemon threads: a stop that times out still lets the process exit.
        thread = threading.Thread(target=target, args=args, name=name, daemon=True)
        thread.start()
        self.threads.append(thread)

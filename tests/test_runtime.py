"""The runtime of `hegui serve`: worker threads inspect what is submitted, stopping
finishes the batch in flight, the scheduler runs every domain's periodic jobs."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Sequence
from typing import Any

import pytest
from sqlalchemy.orm import Session

from hegui.bootstrap import Platform
from hegui.runtime import Runtime, ScheduledJob, scheduled_jobs
from hegui.services.findings import StoredFinding
from tests.services.ingest_support import PROMISE, call, count, submit


def wait_for(condition: Callable[[], bool], timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)


def job_done(platform: Platform, job_id: int) -> Callable[[], bool]:
    def done() -> bool:
        with platform.db.reader() as session:
            return platform.jobs.read(session, job_id).status == "done"

    return done


def test_worker_threads_inspect_every_conversation_once(fresh_platform: Platform) -> None:
    calls = [call(f"c-{i}", *PROMISE) for i in range(40)]
    result = submit(fresh_platform, *calls)
    runtime = Runtime(fresh_platform, workers=3, schedule=[], poll=0.05)
    with runtime:
        wait_for(job_done(fresh_platform, result.job_id))
    assert [t.name for t in runtime.threads] == [f"hegui-worker-{n}" for n in (1, 2, 3)]
    assert not any(t.is_alive() for t in runtime.threads)
    with fresh_platform.db.reader() as session:
        assert count(session, "SELECT count(*) FROM inspections WHERE kind = 'first'") == 40
        assert count(session, "SELECT count(DISTINCT revision_id) FROM findings") == 40


def test_stopping_finishes_the_batch_in_flight(fresh_platform: Platform) -> None:
    storing, release = threading.Event(), threading.Event()

    def slow_hook(_session: Session, _rows: Sequence[StoredFinding]) -> None:
        storing.set()
        release.wait(5)

    fresh_platform.findings.on_stored.append(slow_hook)
    result = submit(fresh_platform, call("c-1", *PROMISE))
    runtime = Runtime(fresh_platform, workers=1, schedule=[], poll=0.05)
    runtime.start()
    assert storing.wait(30)
    stopper = threading.Thread(target=runtime.stop)
    stopper.start()
    time.sleep(0.2)
    assert stopper.is_alive(), "stop returned while a batch was being stored"
    release.set()
    stopper.join(30)
    assert job_done(fresh_platform, result.job_id)()


def test_without_workers_nothing_is_inspected(fresh_platform: Platform) -> None:
    result = submit(fresh_platform, call("c-1", *PROMISE))
    with Runtime(fresh_platform, workers=0, schedule=[]) as runtime:
        time.sleep(0.2)
    assert runtime.threads == []
    with fresh_platform.db.reader() as session:
        assert fresh_platform.jobs.read(session, result.job_id).status == "queued"


def test_the_scheduler_runs_each_job_at_start_and_every_interval(
    fresh_platform: Platform, caplog: pytest.LogCaptureFixture
) -> None:
    seen: list[str] = []
    platforms: list[Any] = []

    def provider(platform: Platform) -> list[tuple[str, float, Callable[..., object]]]:
        return [
            ("plain", 0.05, lambda: seen.append("plain")),
            ("with-platform", 0.05, platforms.append),
            ("broken", 0.05, lambda: 1 / 0),
            ("hourly", 3600, lambda: seen.append("hourly")),
        ]

    schedule = scheduled_jobs(fresh_platform, [provider])
    runtime = Runtime(fresh_platform, workers=0, schedule=schedule)
    with caplog.at_level(logging.ERROR, logger="hegui.runtime"), runtime:
        wait_for(
            lambda: (
                min(runtime.scheduler.runs.get(n, 0) for n in ("plain", "with-platform", "broken"))
                >= 3
            )
        )
    assert platforms[0] is fresh_platform
    assert seen.count("hourly") == 1  # at start only
    assert seen.count("plain") >= 3 and len(platforms) >= 3  # a failing job stops no other
    assert "scheduled job broken failed" in caplog.text
    assert [t.name for t in runtime.threads] == ["hegui-scheduler"]


def test_a_job_without_a_positive_interval_is_refused(fresh_platform: Platform) -> None:
    def provider(_platform: Platform) -> list[tuple[str, float, Callable[[], object]]]:
        return [("busy", 0, lambda: None)]

    with pytest.raises(ValueError, match="busy"):
        scheduled_jobs(fresh_platform, [provider])


def test_stop_wakes_a_sleeping_scheduler_at_once(fresh_platform: Platform) -> None:
    schedule = [ScheduledJob("daily", 86400, lambda: None)]
    runtime = Runtime(fresh_platform, workers=1, schedule=schedule, poll=30)
    runtime.start()
    time.sleep(0.2)
    started = time.monotonic()
    assert runtime.stop(timeout=10)
    assert time.monotonic() - started < 5

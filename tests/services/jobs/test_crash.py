"""Exactly once under concurrency and crashes: workers in threads, a worker killed with
SIGKILL mid-job; every accepted conversation inspected once, no finding twice."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

from hegui.bootstrap import Platform, bootstrap
from hegui.formats.jsonl import parse_conversation
from hegui.services.findings.service import dedup_key
from hegui.services.jobs import run_until_done
from tests.db_fixtures import ProvisionedDatabase, cheap_passwords
from tests.services.ingest_support import PROMISE, call, count, submit

WORKER = """
import threading
from hegui.bootstrap import bootstrap
from hegui.services.jobs import run_worker
from hegui.settings import Settings

platform = bootstrap(Settings.from_env())
platform.worker.batch = 2
run_worker(platform, threading.Event(), poll=0.05)
"""


def calls(prefix: str, n: int) -> list[dict[str, Any]]:
    return [call(f"{prefix}-{i}", *PROMISE[:2], f"{PROMISE[2]} 第{i}期") for i in range(n)]


def expected_findings(platform: Platform, conversations: list[dict[str, Any]]) -> int:
    with platform.db.reader() as session:
        inspector = platform.worker.step.inspectors.current(session).inspector  # type: ignore[attr-defined]
    keys = 0
    for obj in conversations:
        keys += len({dedup_key(f) for f in inspector.inspect(parse_conversation(obj))})
    return keys


def assert_each_inspected_once(platform: Platform, revisions: int, findings: int) -> None:
    with platform.db.reader() as session:
        assert count(session, "SELECT count(*) FROM conversation_revisions") == revisions
        assert (
            count(session, "SELECT count(*) FROM conversation_revisions WHERE status = 'inspected'")
            == revisions
        )
        assert count(session, "SELECT count(*) FROM inspections") == revisions
        assert count(session, "SELECT count(DISTINCT revision_id) FROM inspections") == revisions
        assert count(session, "SELECT count(*) FROM findings") == findings
        assert count(session, "SELECT count(*) FROM job_items WHERE state <> 'done'") == 0


def test_concurrent_workers_never_inspect_twice(fresh_platform: Platform) -> None:
    batches = [calls(f"j{j}", 8) for j in range(4)]
    jobs = [submit(fresh_platform, *batch).job_id for batch in batches]
    # The same conversations again while pending: a second job over the same revisions.
    jobs.append(submit(fresh_platform, *batches[0], *batches[1]).job_id)
    errors: list[BaseException] = []

    def work() -> None:
        one = fresh_platform.worker.another()
        one.batch = 3
        try:
            while one.run_once():
                pass
        except BaseException as exc:  # reported on the test's thread
            errors.append(exc)

    threads = [threading.Thread(target=work) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    everything = [c for batch in batches for c in batch]
    assert_each_inspected_once(fresh_platform, 32, expected_findings(fresh_platform, everything))
    with fresh_platform.db.reader() as session:
        statuses = {fresh_platform.jobs.read(session, j).status for j in jobs}
        assert statuses == {"done"}
        assert fresh_platform.jobs.read(session, jobs[-1]).total == 16


def test_a_killed_worker_is_resumed_without_duplicates(
    fresh_db: ProvisionedDatabase, tmp_path: Path
) -> None:
    settings = fresh_db.settings(tmp_path).model_copy(update={"job_lease": timedelta(seconds=2)})
    platform = bootstrap(settings, passwords=cheap_passwords())  # the real clock
    conversations = calls("k", 240)
    job_id = submit(platform, *conversations).job_id
    env = {
        **os.environ,
        "HEGUI_DATA_DIR": str(tmp_path),
        "HEGUI_DATABASE_URL": fresh_db.url,
        "HEGUI_SECRET_KEY": settings.secret_key.get_secret_value(),  # type: ignore[union-attr]
        "HEGUI_JOB_LEASE": "2",
    }
    child = subprocess.Popen([sys.executable, "-c", WORKER], env=env)
    try:
        done = wait_for_progress(platform, job_id, child)
    finally:
        os.kill(child.pid, signal.SIGKILL)
        child.wait()
    with platform.db.reader() as session:
        at_kill = platform.jobs.read(session, job_id)
    assert 0 < at_kill.done < at_kill.total, (done, at_kill)
    job = run_until_done(platform, job_id, timeout=300)
    assert (job.status, job.done, job.failed) == ("done", 240, 0)
    assert_each_inspected_once(platform, 240, expected_findings(platform, conversations))
    platform.close()


def wait_for_progress(platform: Platform, job_id: int, child: subprocess.Popen[bytes]) -> int:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        assert child.poll() is None, "the worker process ended by itself"
        with platform.db.reader() as session:
            done = platform.jobs.read(session, job_id).done
        if done >= 6:
            return done
        time.sleep(0.02)
    raise AssertionError("the worker process made no progress")

"""`hegui serve` inspects what its API accepts (worker threads in the process); a SIGTERM
finishes the batch in flight and leaves no lease behind; `--no-worker` serves the API
alone; a server killed with jobs queued finds them on restart."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import create_engine, text

from tests.cli.test_serve_cli import free_port, hegui, wait_healthy
from tests.db_fixtures import ProvisionedDatabase
from tests.services.ingest_support import PROMISE, call

PASSWORD = "pw-123456"


@pytest.fixture
def env(fresh_db: ProvisionedDatabase, tmp_path: Path) -> dict[str, str]:
    database = fresh_db.url if fresh_db.backend == "postgresql" else ""
    env = {**os.environ, "HEGUI_DATA_DIR": str(tmp_path / "data"), "HEGUI_DATABASE_URL": database}
    create = ["admin", "create-user", "ops", "--password", PASSWORD, "--role", "admin"]
    made = subprocess.run([sys.executable, "-m", "hegui", *create], env=env, capture_output=True)
    assert made.returncode == 0, made.stderr
    return env


@contextmanager
def serving(env: dict[str, str], *args: str) -> Iterator[tuple[str, subprocess.Popen[str]]]:
    port = free_port()
    pipes = {"stdout": subprocess.PIPE, "stderr": subprocess.PIPE}
    server = hegui("serve", "--port", str(port), *args, env=env, **pipes)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(server, url)
        yield url, server
    finally:
        if server.poll() is None:
            server.kill()
            server.communicate(timeout=30)


@contextmanager
def client(url: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=url, timeout=60) as api:
        form = {"username": "ops", "password": PASSWORD}
        token = api.post("/api/v1/auth/token", data=form).json()["access_token"]
        api.headers["Authorization"] = f"Bearer {token}"
        yield api


def job_when(api: httpx.Client, job_id: int, done: bool, timeout: float = 60) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while True:
        job: dict[str, Any] = api.get(f"/api/v1/jobs/{job_id}").json()
        if (job["status"] == "done") == done or time.monotonic() > deadline:
            return job
        time.sleep(0.1)


def stop(server: subprocess.Popen[str]) -> tuple[int, str]:
    server.send_signal(signal.SIGTERM)
    out, _err = server.communicate(timeout=120)
    return server.returncode, out


def sql(fresh_db: ProvisionedDatabase, env: dict[str, str], query: str) -> Any:
    url = fresh_db.url if fresh_db.backend == "postgresql" else ""
    url = url or f"sqlite:///{Path(env['HEGUI_DATA_DIR']) / 'hegui.db'}"
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            return connection.execute(text(query)).scalar()
    finally:
        engine.dispose()


def test_the_server_inspects_what_its_api_accepts(env: dict[str, str]) -> None:
    with serving(env, "--workers", "2") as (url, server), client(url) as api:
        receipt = api.post("/api/v1/conversations", json=call("c-1", *PROMISE)).json()
        job = job_when(api, receipt["job_id"], done=True)
        assert (job["status"], job["done"]) == ("done", 1)
        findings = api.get("/api/v1/conversations/c-1/findings").json()["items"]
        assert "securities.promise.baoben" in {f["rule_id"] for f in findings}
        code, out = stop(server)
    assert code == 0
    assert "workers: 2" in out


def test_sigterm_finishes_the_batch_in_flight(
    env: dict[str, str], fresh_db: ProvisionedDatabase
) -> None:
    lines = "\n".join(json.dumps(call(f"c-{i}", *PROMISE)) for i in range(300)).encode()
    with serving(env, "--workers", "1") as (url, server), client(url) as api:
        headers = {"Content-Type": "application/x-ndjson"}
        receipt = api.post("/api/v1/conversations/upload", content=lines, headers=headers).json()
        assert receipt["accepted"] == 300
        job_when(api, receipt["job_id"], done=False)  # running or queued, not done
        code, _out = stop(server)
    assert code == 0
    # Every batch a worker took was stored before it stopped: no lease left to expire.
    leased = "SELECT count(*) FROM job_items WHERE lease_owner IS NOT NULL"
    assert sql(fresh_db, env, leased) == 0
    done = sql(fresh_db, env, "SELECT done FROM jobs")
    inspected = "SELECT count(*) FROM conversation_revisions WHERE status = 'inspected'"
    assert sql(fresh_db, env, inspected) == done


def test_no_worker_serves_the_api_alone_and_a_killed_server_resumes(env: dict[str, str]) -> None:
    with serving(env, "--no-worker") as (url, server), client(url) as api:
        receipt = api.post("/api/v1/conversations", json=call("c-1", *PROMISE)).json()
        time.sleep(1.5)
        assert api.get(f"/api/v1/jobs/{receipt['job_id']}").json()["status"] == "queued"
        server.send_signal(signal.SIGKILL)
        server.communicate(timeout=30)
    with serving(env) as (url, server), client(url) as api:
        job = job_when(api, receipt["job_id"], done=True)
        assert (job["status"], job["done"]) == ("done", 1)
        assert stop(server)[0] == 0

"""A real `hegui serve` for the platform benchmarks (ingest.py, crash.py): its database,
its process on 127.0.0.1, an HTTP client for it, and SQL checks on what it stored.

Nothing here imports hegui: the server runs as a subprocess of this interpreter (`python
-m hegui`), users come from `hegui admin`, checks are plain SQL on the server's database.
"""

from __future__ import annotations

import os
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import create_engine, make_url, text

USER, PASSWORD = "bench", "bench-password-1"
POSTGRES_ENV = "HEGUI_TEST_POSTGRES_URL"


@dataclass(frozen=True)
class Store:
    """Where a server keeps its data: a data directory, and PostgreSQL's URL or "" (SQLite)."""

    backend: str
    data_dir: Path
    url: str

    @property
    def sql_url(self) -> str:
        return self.url or f"sqlite:///{self.data_dir / 'hegui.db'}"

    def env(self, **extra: str) -> dict[str, str]:
        return {
            **os.environ,
            "HEGUI_DATA_DIR": str(self.data_dir),
            "HEGUI_DATABASE_URL": self.url,
            **extra,
        }


@contextmanager
def store(backend: str) -> Iterator[Store]:
    """A new, empty store: a temporary data directory, on PostgreSQL a schema of its own."""
    with tempfile.TemporaryDirectory(prefix="hegui-bench-") as folder:
        data = Path(folder) / "data"
        if backend == "sqlite":
            yield Store(backend, data, "")
            return
        base = os.environ.get(POSTGRES_ENV, "")
        if not base:
            raise SystemExit(f"PostgreSQL: set {POSTGRES_ENV} (bash scripts/postgres.sh …)")
        schema = f"hegui_bench_{secrets.token_hex(4)}"
        admin = create_engine(base)
        with admin.begin() as connection:
            connection.execute(text(f"CREATE SCHEMA {schema}"))
        url = make_url(base).update_query_dict({"options": f"-csearch_path={schema}"})
        try:
            yield Store(backend, data, url.render_as_string(hide_password=False))
        finally:
            with admin.begin() as connection:
                connection.execute(text(f"DROP SCHEMA {schema} CASCADE"))
            admin.dispose()


def hegui(*args: str) -> list[str]:
    return [sys.executable, "-m", "hegui", *args]


def create_admin(where: Store) -> None:
    command = hegui("admin", "create-user", USER, "--password", PASSWORD, "--role", "admin")
    done = subprocess.run(command, env=where.env(), capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"hegui admin create-user failed: {done.stderr}")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Server:
    """`hegui serve` on 127.0.0.1 (a port of its own), with its log in a file."""

    where: Store
    workers: int = 1
    lease: int = 60
    port: int = field(default_factory=free_port)
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 120) -> None:
        args = ("serve", "--host", "127.0.0.1", "--port", str(self.port))
        env = self.where.env(HEGUI_JOB_LEASE=str(self.lease))
        log = (self.where.data_dir.parent / "serve.log").open("ab")
        command = hegui(*args, "--workers", str(self.workers))
        self.process = subprocess.Popen(command, env=env, stdout=log, stderr=log)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"hegui serve exited {self.process.returncode}: {self.log()}")
            try:
                if httpx.get(f"{self.url}/healthz", timeout=2).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.1)
        self.kill()
        raise SystemExit(f"hegui serve did not answer in {timeout:.0f} s: {self.log()}")

    @contextmanager
    def running(self) -> Iterator[None]:
        """Whatever goes wrong inside, the server is killed on the way out (its database
        can then be dropped) and a failure carries the end of its log."""
        try:
            yield
        except BaseException as error:
            self.kill()
            sys.stderr.write(f"--- hegui serve log (end) ---\n{self.log()}\n")
            raise error
        finally:
            self.kill()

    def log(self) -> str:
        path = self.where.data_dir.parent / "serve.log"
        return path.read_text("utf-8", "replace")[-3000:] if path.exists() else ""

    def stop(self, timeout: float = 120) -> int:
        """SIGTERM: the server finishes what is in flight and exits (0 expected)."""
        assert self.process is not None
        self.process.send_signal(signal.SIGTERM)
        try:
            return self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.kill()
            raise SystemExit(f"hegui serve did not stop in {timeout:.0f} s") from None

    def kill(self) -> None:
        """SIGKILL: no chance to finish anything (a crash, a power cut)."""
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(30)


def login(url: str, timeout: float = 30) -> httpx.Client:
    client = httpx.Client(base_url=url, timeout=timeout)
    form = {"username": USER, "password": PASSWORD}
    token = client.post("/api/v1/auth/token", data=form).raise_for_status().json()
    client.headers["Authorization"] = f"Bearer {token['access_token']}"
    return client


def submit(client: httpx.Client, batch: Sequence[dict[str, Any]]) -> tuple[dict[str, Any], float]:
    """POST one list; the receipt and the call's milliseconds (raises unless 202)."""
    started = time.perf_counter()
    response = client.post("/api/v1/conversations", json=list(batch))
    elapsed = (time.perf_counter() - started) * 1000
    if response.status_code != 202:
        raise RuntimeError(f"submit answered {response.status_code}: {response.text[:300]}")
    return response.json(), elapsed


def wait_for_jobs(client: httpx.Client, job_ids: Sequence[int], deadline: float) -> list[Any]:
    """Poll until every job is done or failed; their last states."""
    pending = sorted(set(job_ids))
    finished: dict[int, Any] = {}
    while pending:
        if time.monotonic() > deadline:
            raise SystemExit(f"timed out: {len(pending)} jobs not finished, e.g. {pending[0]}")
        still = []
        for job_id in pending:
            job = get_json(client, f"/api/v1/jobs/{job_id}", deadline)
            if job["status"] in ("done", "failed"):
                finished[job_id] = job
            else:
                still.append(job_id)
        pending = still
        if pending:
            time.sleep(0.2)
    return list(finished.values())


def get_json(client: httpx.Client, path: str, deadline: float) -> Any:
    """GET as a client should: a 503 (database busy, `Retry-After`) is retried until the
    deadline; any other error raises."""
    while True:
        response = client.get(path)
        if response.status_code != 503 or time.monotonic() > deadline:
            return response.raise_for_status().json()
        time.sleep(float(response.headers.get("Retry-After", "1")))


def batches(items: Sequence[dict[str, Any]], size: int) -> list[list[dict[str, Any]]]:
    return [list(items[i : i + size]) for i in range(0, len(items), size)]


def scalar(where: Store, sql: str) -> Any:
    engine = create_engine(where.sql_url)
    try:
        with engine.connect() as connection:
            return connection.execute(text(sql)).scalar()
    finally:
        engine.dispose()


def rows(where: Store, sql: str) -> list[tuple[Any, ...]]:
    engine = create_engine(where.sql_url)
    try:
        with engine.connect() as connection:
            return [tuple(row) for row in connection.execute(text(sql))]
    finally:
        engine.dispose()

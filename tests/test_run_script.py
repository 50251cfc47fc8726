"""README's first command, `bash scripts/run`, end to end and non-interactively: it sets
up, creates the first admin (printed once), loads the samples, serves; login works and
the samples' findings are there; SIGTERM stops it with exit code 0."""

from __future__ import annotations

import os
import queue
import re
import signal
import subprocess
import threading
import time
from pathlib import Path

import httpx
import pytest

from tests.cli.test_serve_cli import free_port

ROOT = Path(__file__).resolve().parents[1]
TIMEOUT = 240


def lines_of(process: subprocess.Popen[str]) -> tuple[queue.Queue[str | None], threading.Thread]:
    out: queue.Queue[str | None] = queue.Queue()

    def pump() -> None:
        assert process.stdout is not None
        for line in process.stdout:
            out.put(line)
        out.put(None)

    thread = threading.Thread(target=pump, daemon=True)
    thread.start()
    return out, thread


def read_until(out: queue.Queue[str | None], marker: str, seen: list[str]) -> None:
    deadline = time.monotonic() + TIMEOUT
    while not any(marker in line for line in seen):
        line = out.get(timeout=max(deadline - time.monotonic(), 0.1))
        assert line is not None, "".join(seen)
        seen.append(line)


@pytest.mark.skipif(
    not (ROOT / ".venv" / "bin" / "hegui").exists(), reason="needs bash scripts/setup"
)
def test_scripts_run_serves_the_samples_with_a_first_admin(tmp_path: Path) -> None:
    port = free_port()
    env = {**os.environ, "HEGUI_DATA_DIR": str(tmp_path / "data"), "HEGUI_DATABASE_URL": ""}
    run = subprocess.Popen(
        ["bash", str(ROOT / "scripts" / "run"), "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    seen: list[str] = []
    out, pump = lines_of(run)
    try:
        read_until(out, f"serving at http://127.0.0.1:{port}", seen)
        output = "".join(seen)
        login = re.search(r"username: (\S+)\n\s+密码 password: (\S+)", output)
        assert login is not None, output
        assert "accepted 7 conversations" in output
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        with httpx.Client(base_url=url, timeout=30) as api:
            while True:  # the server answers once uvicorn is up, just after the banner
                try:
                    form = {"username": login.group(1), "password": login.group(2)}
                    token = api.post("/api/v1/auth/token", data=form)
                    break
                except httpx.TransportError:
                    assert time.monotonic() < deadline
                    time.sleep(0.2)
            assert token.status_code == 200, token.text
            api.headers["Authorization"] = f"Bearer {token.json()['access_token']}"
            findings = api.get("/api/v1/conversations/call-20261101-0001/findings").json()
            assert findings["items"], findings
            metrics = api.get("/api/v1/metrics/findings", params={"group_by": "category"})
            assert sum(g["count"] for g in metrics.json()["groups"]) >= len(findings["items"])
    finally:
        run.send_signal(signal.SIGTERM)
        try:
            run.wait(60)
        except subprocess.TimeoutExpired:
            run.kill()
            raise
        finally:
            pump.join(30)
            assert run.stdout is not None
            run.stdout.close()
    assert run.returncode == 0
    assert (tmp_path / "data" / "first-admin.txt").stat().st_mode & 0o777 == 0o600

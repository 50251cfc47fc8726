"""`hegui serve`: a real process on a free port, logged into, stopped with SIGTERM."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from tests.db_fixtures import ProvisionedDatabase


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def hegui(*args: str, env: dict[str, str], **kwargs: object) -> subprocess.Popen[str]:
    command = [sys.executable, "-m", "hegui", *args]
    return subprocess.Popen(command, env=env, text=True, **kwargs)  # type: ignore[call-overload]


def wait_healthy(server: subprocess.Popen[str], url: str) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"hegui serve exited {server.returncode}: {server.communicate()}")
        try:
            if httpx.get(f"{url}/healthz", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    server.kill()
    pytest.fail(f"hegui serve did not answer /healthz: {server.communicate()}")


def test_serve_log_in_and_stop(fresh_db: ProvisionedDatabase, tmp_path: Path) -> None:
    port = free_port()
    # SQLite: the default file in a new data directory, created and migrated on start.
    database = fresh_db.url if fresh_db.backend == "postgresql" else ""
    env = {**os.environ, "HEGUI_DATA_DIR": str(tmp_path / "data"), "HEGUI_DATABASE_URL": database}
    pipes = {"stdout": subprocess.PIPE, "stderr": subprocess.PIPE}
    server = hegui("serve", "--host", "127.0.0.1", "--port", str(port), env=env, **pipes)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(server, url)
        # The CLI works on the same database while the server runs.
        create = [*("admin", "create-user", "ops", "--password", "pw-123456"), "--role", "admin"]
        made = subprocess.run(
            [sys.executable, "-m", "hegui", *create], env=env, capture_output=True, text=True
        )
        assert made.returncode == 0, made.stderr
        form = {"username": "ops", "password": "pw-123456"}
        token = httpx.post(f"{url}/api/v1/auth/token", data=form).json()["access_token"]
        me = httpx.get(f"{url}/api/v1/users/me", headers={"Authorization": f"Bearer {token}"})
        assert me.status_code == 200 and me.json()["username"] == "ops"
    finally:
        server.send_signal(signal.SIGTERM)
        out, err = server.communicate(timeout=30)
    assert server.returncode == 0, err
    assert f"serving at {url}" in out
    if not database:
        assert (tmp_path / "data" / "hegui.db").is_file()


def test_a_taken_port_fails_with_a_message(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = str(taken.getsockname()[1])
        env = {**os.environ, "HEGUI_DATA_DIR": str(tmp_path), "HEGUI_DATABASE_URL": ""}
        pipes = {"stdout": subprocess.PIPE, "stderr": subprocess.PIPE}
        server = hegui("serve", "--port", port, env=env, **pipes)
        _out, err = server.communicate(timeout=60)
    assert server.returncode == 1
    assert f"could not start on 127.0.0.1:{port}" in err


def test_a_bad_setting_exits_2_naming_it(tmp_path: Path) -> None:
    env = {**os.environ, "HEGUI_DATA_DIR": str(tmp_path), "HEGUI_MAX_REQUEST_BYTES": "lots"}
    pipes = {"stdout": subprocess.PIPE, "stderr": subprocess.PIPE}
    server = hegui("serve", env=env, **pipes)
    _out, err = server.communicate(timeout=60)
    assert server.returncode == 2 and "HEGUI_MAX_REQUEST_BYTES" in err

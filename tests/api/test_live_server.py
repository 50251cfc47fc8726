"""Smoke tests over real HTTP: uvicorn on 127.0.0.1, the platform with real commits."""

from __future__ import annotations

import concurrent.futures
import dataclasses
from collections.abc import Iterator

import httpx
import pytest

from hegui.api import create_app
from hegui.bootstrap import Platform
from tests.api.conftest import PASSWORD
from tests.api.live import serving


@pytest.fixture
def live(fresh_platform: Platform) -> Iterator[httpx.Client]:
    with fresh_platform.db.transaction() as session:
        data = {"username": "root", "password": PASSWORD, "role": "admin"}
        fresh_platform.users.create(session, data, actor="seed")
    with serving(create_app(fresh_platform)) as url, httpx.Client(base_url=url) as client:
        form = {"username": "root", "password": PASSWORD}
        token = client.post("/api/v1/auth/token", data=form).json()["access_token"]
        client.headers["Authorization"] = f"Bearer {token}"
        yield client


def test_health_login_and_me(live: httpx.Client) -> None:
    assert live.get("/healthz").json()["status"] == "ok"
    me = live.get("/api/v1/users/me")
    assert me.status_code == 200 and me.json()["username"] == "root"
    missing = live.get("/api/v1/nowhere")
    assert missing.status_code == 404 and missing.json() == {"detail": "未找到 not found"}


def test_concurrent_creations_extend_one_audit_chain(live: httpx.Client) -> None:
    def create(i: int) -> int:
        spec = {"username": f"u{i}", "password": PASSWORD, "role": "reviewer"}
        return live.post("/api/v1/users", json=spec).status_code

    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        assert list(pool.map(create, range(16))) == [201] * 16
    assert live.get("/api/v1/users").json()["total"] == 17
    check = live.get("/api/v1/audit/verify").json()
    assert check["ok"] and check["entries"] == 17


def test_bad_input_over_the_wire(live: httpx.Client) -> None:
    headers = {"Content-Type": "application/json"}
    broken = live.post("/api/v1/users", content=b'{"username":', headers=headers)
    assert broken.status_code == 422 and "malformed JSON" in broken.text
    too_big = live.post("/api/v1/users", content=b"x" * (20 * 1024 * 1024 + 1), headers=headers)
    assert too_big.status_code == 413


def test_a_streamed_body_over_the_limit_is_cut_off(fresh_platform: Platform) -> None:
    settings = fresh_platform.settings.model_copy(update={"max_request_bytes": 10_000})
    small = dataclasses.replace(fresh_platform, settings=settings)
    chunks = (b"x" * 4096 for _ in range(100))  # chunked: no Content-Length to refuse up front
    with serving(create_app(small)) as url:
        response = httpx.post(
            f"{url}/api/v1/auth/token",
            content=chunks,
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )
    assert response.status_code == 413

"""Bad input is a 4xx naming what was wrong, never a 500 or a traceback — on every route."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from hegui.api import create_app
from hegui.settings import Settings
from tests.api.conftest import PASSWORD, Api
from tests.api.routes import Operation, operations

USERS = "/api/v1/users"
GARBAGE_BODIES: list[tuple[str, bytes]] = [
    ("application/json", b"\xff\xfe\x00garbage{"),
    ("application/json", b'{"username": "x",,}'),
    ("application/json", b"[]"),
    ("application/json", b'"just a string"'),
    ("application/json", b"1e999999"),
    ("application/json", b"[" * 100_000 + b"]" * 100_000),
    ("application/json", b'{"username": "a\\u0000b", "password": "a\\u0000bcdefgh"}'),
    ("application/json", b'{"username": "\\ud800", "role": "admin", "password": "pw-123456"}'),
    ("application/x-www-form-urlencoded", b"username=%00&password=%ff%fe"),
    ("application/x-www-form-urlencoded", b"\xff\xfe=\x00&&&=="),
    ("multipart/form-data; boundary=xyz", b"--xyz\r\ngarbage"),
    ("text/plain", b"hello"),
]
GARBAGE_VALUES = ["abc", "-1", "1e999", "9" * 40, "%00", "%ff", "", "null", "[]"]


def garbage_requests(operation: Operation) -> Iterator[dict[str, Any]]:
    path = operation.path
    for name in operation.parameters("path"):
        for value in GARBAGE_VALUES:
            if value:
                yield {"url": path.replace(f"{{{name}}}", value)}
        path = path.replace(f"{{{name}}}", "1")
    for name in operation.parameters("query"):
        for value in GARBAGE_VALUES:
            yield {"url": f"{path}?{name}={value}"}
    for content_type, body in GARBAGE_BODIES:
        yield {"url": path, "content": body, "headers": {"Content-Type": content_type}}


def test_garbage_to_every_route_is_never_a_500(api: Api) -> None:
    client = TestClient(create_app(api.platform), raise_server_exceptions=False)
    failures = []
    for operation in operations(client.app):  # type: ignore[arg-type]
        for request in garbage_requests(operation):
            headers = {**api.auth("admin"), **request.pop("headers", {})}
            response = client.request(operation.method, headers=headers, **request)
            problem = _problem(response.status_code, response.text)
            if problem:
                failures.append((operation.name, request, response.status_code, problem))
    assert failures == []


def _problem(status: int, text: str) -> str | None:
    if status >= 500:
        return "server error"
    if "Traceback" in text or 'File "' in text:
        return "traceback"
    if status >= 400 and '"detail"' not in text:
        return "no detail"
    return None


def test_malformed_json_names_line_and_column(api: Api) -> None:
    body = b'{\n  "username": "x",\n  "role": admin\n}'
    headers = {**api.auth("admin"), "Content-Type": "application/json"}
    response = api.client.post(USERS, content=body, headers=headers)
    assert response.status_code == 422
    [error] = response.json()["detail"]
    assert error["type"] == "json_invalid"
    assert error["msg"].startswith(
        "第 3 行第 11 列 JSON 格式错误 malformed JSON at line 3 column 11"
    )


def test_a_body_that_is_not_json_says_so(api: Api) -> None:
    headers = {**api.auth("admin"), "Content-Type": "text/plain"}
    response = api.client.post(USERS, content=b"username=x", headers=headers)
    assert response.status_code == 422
    assert "the body must be a JSON object" in response.json()["detail"][0]["msg"]


@pytest.mark.parametrize("value", ["a\x00b", "a\x1fb", "a\x7fb"])
@pytest.mark.parametrize("field", ["username", "team"])
def test_control_characters_are_422_naming_the_field(api: Api, field: str, value: str) -> None:
    spec = {"username": "new", "password": PASSWORD, "role": "team_lead", "team": "t"}
    response = api.client.post(USERS, json={**spec, field: value}, headers=api.auth("admin"))
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", field]


def test_a_nul_in_the_login_form_is_a_failed_login(api: Api) -> None:
    form = {"username": "li\x00", "password": PASSWORD}
    response = api.client.post("/api/v1/auth/token", data=form)
    assert response.status_code == 401


@pytest.fixture
def small_limit(api: Api) -> TestClient:
    settings = api.platform.settings.model_copy(update={"max_request_bytes": 1000})
    return TestClient(create_app(dataclasses.replace(api.platform, settings=settings)))


def _user_body(size: int) -> bytes:
    prefix = b'{"username": "big", "password": "pw-123456", "role": "reviewer", "team": "'
    return prefix + b"x" * (size - len(prefix) - 2) + b'"}'


def test_a_declared_oversized_body_is_413(api: Api, small_limit: TestClient) -> None:
    headers = {**api.auth("admin"), "Content-Type": "application/json"}
    response = small_limit.post(USERS, content=_user_body(1001), headers=headers)
    assert response.status_code == 413
    assert response.json() == {"detail": "请求体过大 request body too large: at most 1000 bytes"}


def test_a_streamed_oversized_body_is_413(api: Api, small_limit: TestClient) -> None:
    body = _user_body(5000)
    chunks = iter([body[:600], body[600:]])  # no Content-Length: chunked
    headers = {**api.auth("admin"), "Content-Type": "application/json"}
    response = small_limit.post(USERS, content=chunks, headers=headers)
    assert response.status_code == 413


def test_a_body_at_the_limit_is_read(api: Api, small_limit: TestClient) -> None:
    headers = {**api.auth("admin"), "Content-Type": "application/json"}
    response = small_limit.post(USERS, content=_user_body(1000), headers=headers)
    assert response.status_code == 422  # read and validated: the team is too long
    assert response.json()["detail"][0]["loc"] == ["body", "team"]


def test_the_limit_is_20_mib_unless_configured(monkeypatch: pytest.MonkeyPatch) -> None:
    assert Settings().max_request_bytes == 20 * 1024 * 1024
    monkeypatch.setenv("HEGUI_MAX_REQUEST_BYTES", "1048576")
    assert Settings.from_env().max_request_bytes == 1048576


def test_an_undecodable_body_is_400_saying_so(api: Api) -> None:
    headers = {**api.auth("admin"), "Content-Type": "application/json"}
    response = api.client.post(USERS, content=b"[" * 100_000 + b"]" * 100_000, headers=headers)
    assert response.status_code == 400
    assert response.json()["detail"].startswith("无法解析请求体 cannot parse the request body")

"""Users over HTTP: who am I, the admin creates and lists users; every creation audited."""

from __future__ import annotations

from typing import Any

import pytest

from tests.api.conftest import PASSWORD, Api

USERS = "/api/v1/users"


def audit_actions(api: Api) -> list[tuple[str, str, str]]:
    with api.platform.db.reader() as session:
        return [(e.actor, e.action, e.object_id) for e in api.platform.audit.entries(session)]


def test_me_is_the_token_s_user(api: Api) -> None:
    body = api.client.get(f"{USERS}/me", headers=api.auth("team_lead")).json()
    assert body["username"] == "lead" and body["role"] == "team_lead"
    assert body["team"] == "east-1" and body["agent_id"] is None and body["is_active"] is True
    assert "password" not in str(body) and "password_hash" not in body


def test_admin_creates_a_user_who_can_log_in(api: Api) -> None:
    spec = {"username": "wang", "password": PASSWORD, "role": "agent", "agent_id": "A-9"}
    response = api.client.post(USERS, json={**spec, "team": "west-2"}, headers=api.auth("admin"))
    assert response.status_code == 201, response.text
    created = response.json()
    assert created["username"] == "wang" and created["team"] == "west-2"
    assert response.headers["Location"] == f"{USERS}/{created['id']}"
    assert audit_actions(api)[-1] == ("root", "user.create", str(created["id"]))
    token = api.client.post("/api/v1/auth/token", data={"username": "wang", "password": PASSWORD})
    assert token.status_code == 200
    fetched = api.client.get(response.headers["Location"], headers=api.auth("admin"))
    assert fetched.json() == created


def test_a_taken_username_is_409_and_changes_nothing(api: Api) -> None:
    before = audit_actions(api)
    spec = {"username": "li", "password": PASSWORD, "role": "reviewer"}
    response = api.client.post(USERS, json=spec, headers=api.auth("admin"))
    assert response.status_code == 409
    assert response.json() == {"detail": "用户名已存在 username already exists: li"}
    assert audit_actions(api) == before


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"role": "boss"}, "role", "取值无效 invalid value"),
        ({"role": None}, "role", "取值无效 invalid value"),
        ({"role": "team_lead"}, "team", "组长必须指定团队 a team_lead needs a team"),
        ({"role": "agent"}, "agent_id", "坐席必须指定 agent_id an agent needs an agent_id"),
        ({"username": ""}, "username", "取值无效 invalid value"),
        ({"username": "a b"}, "username", "取值无效 invalid value"),
        ({"username": 42}, "username", "取值无效 invalid value"),
        ({"password": "short"}, "password", "取值无效 invalid value"),
        ({"is_admin": True}, "is_admin", "不允许的字段 unknown field"),
        ({"team": "x" * 65}, "team", "取值无效 invalid value"),
    ],
)
def test_bad_user_is_422_naming_the_field(
    api: Api, change: dict[str, Any], field: str, message: str
) -> None:
    before = audit_actions(api)
    spec = {"username": "new", "password": PASSWORD, "role": "reviewer"} | change
    response = api.client.post(USERS, json=spec, headers=api.auth("admin"))
    assert response.status_code == 422
    errors = response.json()["detail"]
    assert any(e["loc"] == ["body", field] and message in e["msg"] for e in errors), errors
    assert audit_actions(api) == before


def test_a_missing_field_is_named(api: Api) -> None:
    response = api.client.post(
        USERS, json={"username": "x", "role": "admin"}, headers=api.auth("admin")
    )
    [error] = response.json()["detail"]
    assert error == {
        "loc": ["body", "password"],
        "msg": "缺少字段 field required",
        "type": "missing",
    }


def test_validation_errors_never_echo_a_password(api: Api) -> None:
    secret = "s3cr"
    spec = {"username": "x", "password": secret, "role": "admin"}
    response = api.client.post(USERS, json=spec, headers=api.auth("admin"))
    assert response.status_code == 422 and secret not in response.text


def test_list_is_paginated(api: Api) -> None:
    headers = api.auth("admin")
    everyone = api.client.get(USERS, headers=headers).json()
    assert everyone["total"] == 5
    assert [u["username"] for u in everyone["items"]] == ["root", "cm", "rev", "lead", "li"]
    page = api.client.get(USERS, params={"limit": 2, "offset": 3}, headers=headers).json()
    assert page == {"items": everyone["items"][3:5], "total": 5}
    past = api.client.get(USERS, params={"offset": 10}, headers=headers).json()
    assert past == {"items": [], "total": 5}


@pytest.mark.parametrize(
    ("params", "field"),
    [({"limit": 0}, "limit"), ({"limit": 1001}, "limit"), ({"offset": -1}, "offset")],
)
def test_bad_page_is_422(api: Api, params: dict[str, int], field: str) -> None:
    response = api.client.get(USERS, params=params, headers=api.auth("admin"))
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["query", field]


@pytest.mark.parametrize("user_id", ["999999", "2147483647"])
def test_unknown_user_is_404(api: Api, user_id: str) -> None:
    response = api.client.get(f"{USERS}/{user_id}", headers=api.auth("admin"))
    assert response.status_code == 404 and "no user" in response.json()["detail"]


@pytest.mark.parametrize("user_id", ["0", "2147483648", "abc", "1.5"])
def test_impossible_user_id_is_422(api: Api, user_id: str) -> None:
    response = api.client.get(f"{USERS}/{user_id}", headers=api.auth("admin"))
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["path", "user_id"]

"""Logging in (OAuth2 password form) and bearer tokens, over HTTP and WebSockets."""

from __future__ import annotations

import pytest
from fastapi import WebSocket
from fastapi.testclient import TestClient
from starlette.websockets import WebSocketDisconnect

from hegui.api import create_app
from hegui.api.deps import WebSocketUser
from tests.api.conftest import PASSWORD, Api
from tests.db_fixtures import T0

TOKEN = "/api/v1/auth/token"


def test_login_gives_a_bearer_token_for_the_api(api: Api) -> None:
    response = api.client.post(TOKEN, data={"username": "li", "password": PASSWORD})
    assert response.status_code == 200
    body = response.json()
    assert body["token_type"] == "bearer"
    assert body["expires_at"] == (T0 + api.platform.settings.token_lifetime).isoformat().replace(
        "+00:00", "Z"
    )
    me = api.client.get(
        "/api/v1/users/me", headers={"Authorization": f"Bearer {body['access_token']}"}
    )
    assert me.status_code == 200
    assert me.json()["username"] == "li" and me.json()["agent_id"] == "A-17"


@pytest.mark.parametrize(
    "form", [{"username": "li", "password": "wrong-pass"}, {"username": "nobody", "password": "x"}]
)
def test_bad_credentials_are_401_with_one_message(api: Api, form: dict[str, str]) -> None:
    response = api.client.post(TOKEN, data=form)
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == "Bearer"
    assert response.json() == {"detail": "用户名或密码错误 wrong username or password"}


@pytest.mark.parametrize(
    ("form", "field"), [({"password": PASSWORD}, "username"), ({"username": "li"}, "password")]
)
def test_missing_form_field_is_422_naming_it(api: Api, form: dict[str, str], field: str) -> None:
    response = api.client.post(TOKEN, data=form)
    assert response.status_code == 422
    [error] = response.json()["detail"]
    assert error["loc"] == ["body", field] and error["msg"].startswith("缺少字段 field required")


def test_json_instead_of_the_form_is_422(api: Api) -> None:
    response = api.client.post(TOKEN, json={"username": "li", "password": PASSWORD})
    assert response.status_code == 422
    assert {tuple(e["loc"]) for e in response.json()["detail"]} == {
        ("body", "username"),
        ("body", "password"),
    }


def test_a_password_change_revokes_earlier_tokens(api: Api) -> None:
    headers = api.auth("agent")
    assert api.client.get("/api/v1/users/me", headers=headers).status_code == 200
    with api.platform.db.transaction() as session:
        user = api.platform.users.get(session, api.seed.users["agent"].id)
        api.platform.users.set_password(session, user, "new-pass-1", actor="test")
    response = api.client.get("/api/v1/users/me", headers=headers)
    assert response.status_code == 401 and "revoked" in response.json()["detail"]


def test_a_deactivated_user_is_locked_out_at_once(api: Api) -> None:
    headers = api.auth("reviewer")
    with api.platform.db.transaction() as session:
        api.platform.users.get(session, api.seed.users["reviewer"].id).is_active = False
    assert api.client.get("/api/v1/users/me", headers=headers).status_code == 401
    form = {"username": "rev", "password": PASSWORD}
    assert api.client.post(TOKEN, data=form).status_code == 401


def test_tokens_travel_only_in_the_header_for_http(api: Api) -> None:
    response = api.client.get("/api/v1/users/me", params={"access_token": api.tokens["admin"]})
    assert response.status_code == 401


@pytest.fixture
def socket_client(api: Api) -> TestClient:
    """The app with one WebSocket that greets its user (live routes come later)."""
    app = create_app(api.platform)

    @app.websocket("/test/whoami")
    async def whoami(websocket: WebSocket, user: WebSocketUser) -> None:
        await websocket.accept()
        await websocket.send_json({"username": user.username, "role": user.role})
        await websocket.close()

    return TestClient(app)


def test_websocket_accepts_access_token_in_the_query(api: Api, socket_client: TestClient) -> None:
    url = f"/test/whoami?access_token={api.tokens['team_lead']}"
    with socket_client.websocket_connect(url) as socket:
        assert socket.receive_json() == {"username": "lead", "role": "team_lead"}


def test_websocket_accepts_the_bearer_header(api: Api, socket_client: TestClient) -> None:
    with socket_client.websocket_connect("/test/whoami", headers=api.auth("agent")) as socket:
        assert socket.receive_json()["username"] == "li"


@pytest.mark.parametrize("query", ["", "?access_token=", "?access_token=hg1.x.y", "expired"])
def test_websocket_without_a_valid_token_is_closed_1008(
    api: Api, socket_client: TestClient, query: str
) -> None:
    if query == "expired":
        query = f"?access_token={api.expired_token()}"
    with (
        pytest.raises(WebSocketDisconnect) as closed,
        socket_client.websocket_connect(f"/test/whoami{query}") as socket,
    ):
        socket.receive_json()
    assert closed.value.code == 1008
    assert "token" in closed.value.reason

"""Units of work per request, the health check, and a database that does not answer."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import event
from sqlalchemy.orm import Session

from hegui.api import create_app
from hegui.api.deps import AdminUser, PlatformDep, SessionDep
from hegui.api.errors import install_error_handlers
from hegui.bootstrap import Platform, wire
from hegui.db import Database, make_engine
from hegui.errors import Conflict
from hegui.settings import Settings
from tests.api.conftest import PASSWORD, Api
from tests.db_fixtures import TEST_SECRET, cheap_passwords


def test_healthz_names_the_database(api: Api) -> None:
    body = api.client.get("/healthz").json()
    assert body["status"] == "ok"
    assert body["database"] == api.platform.db.engine.dialect.name


@pytest.fixture
def unit_app(fresh_platform: Platform) -> FastAPI:
    """The app plus routes that write an audit entry and then fail in two ways."""
    app = create_app(fresh_platform)

    @app.post("/test/fail-in-handler")
    def fail_in_handler(admin: AdminUser, platform: PlatformDep, session: SessionDep) -> None:
        platform.audit.record(session, admin.actor, "test.write", ("test", 1))
        raise Conflict("处理失败 the handler failed after writing")

    @app.post("/test/fail-at-commit", status_code=201)
    def fail_at_commit(
        admin: AdminUser, platform: PlatformDep, session: SessionDep
    ) -> dict[str, str]:
        platform.audit.record(session, admin.actor, "test.write", ("test", 2))

        @event.listens_for(session, "before_commit")
        def refuse(_session: Session) -> None:
            raise Conflict("提交失败 the commit failed")

        return {"written": "yes"}

    return app


def _admin_headers(platform: Platform, client: TestClient) -> dict[str, str]:
    with platform.db.transaction() as session:
        data = {"username": "root", "password": PASSWORD, "role": "admin"}
        platform.users.create(session, data, actor="seed")
    form = {"username": "root", "password": PASSWORD}
    return {
        "Authorization": f"Bearer {client.post('/api/v1/auth/token', data=form).json()['access_token']}"
    }


def _actions(platform: Platform) -> list[str]:
    with platform.db.reader() as session:
        return [entry.action for entry in platform.audit.entries(session)]


def test_a_failing_handler_leaves_nothing_written(
    fresh_platform: Platform, unit_app: FastAPI
) -> None:
    client = TestClient(unit_app)
    headers = _admin_headers(fresh_platform, client)
    response = client.post("/test/fail-in-handler", headers=headers)
    assert response.status_code == 409
    assert _actions(fresh_platform) == ["user.create"]


def test_a_failed_commit_is_answered_as_the_error_not_as_success(
    fresh_platform: Platform, unit_app: FastAPI
) -> None:
    """The unit ends before the response is sent: no 2xx for a change that was lost."""
    client = TestClient(unit_app)
    headers = _admin_headers(fresh_platform, client)
    response = client.post("/test/fail-at-commit", headers=headers)
    assert response.status_code == 409
    assert response.json() == {"detail": "提交失败 the commit failed"}
    assert _actions(fresh_platform) == ["user.create"]


UNREACHABLE = {
    "sqlite": "sqlite:////nonexistent-hegui-dir/hegui.db",
    "postgresql": "postgresql+psycopg://hegui@127.0.0.1:1/hegui?connect_timeout=2",
}


@pytest.mark.parametrize("backend", list(UNREACHABLE))
def test_a_database_that_does_not_answer_is_503(tmp_path: Path, backend: str) -> None:
    settings = Settings(
        data_dir=tmp_path, database_url=UNREACHABLE[backend], secret_key=TEST_SECRET
    )
    platform = wire(
        settings, Database(make_engine(settings.sqlalchemy_url)), passwords=cheap_passwords()
    )
    client = TestClient(create_app(platform), raise_server_exceptions=False)
    token = platform.users.tokens.issue(1, 0).access_token
    responses = [
        client.get("/healthz"),
        client.post("/api/v1/auth/token", data={"username": "a", "password": "b"}),
        client.get("/api/v1/users/me", headers={"Authorization": f"Bearer {token}"}),
    ]
    for response in responses:
        assert response.status_code == 503, response.text
        assert response.json() == {"detail": "数据库暂不可用 database unavailable, retry later"}
        assert response.headers["Retry-After"] == "1"
    platform.close()


def test_an_unexpected_error_is_a_bare_500(api: Api, caplog: pytest.LogCaptureFixture) -> None:
    app = create_app(api.platform)

    @app.get("/test/bug")
    def bug() -> None:
        raise RuntimeError("a bug with a secret inside")

    response = TestClient(app, raise_server_exceptions=False).get("/test/bug")
    assert response.status_code == 500
    assert response.json() == {"detail": "服务器内部错误 internal server error"}
    assert "secret" not in response.text
    assert "a bug with a secret inside" in caplog.text  # the server's log keeps the cause


def test_sqlite_own_locked_error_is_503_not_500(tmp_path: Path) -> None:
    """sqlite3's own OperationalError (raised by a new pooled connection's set-up, outside
    SQLAlchemy's wrapping) means "busy, retry", not a server bug."""
    app = FastAPI()
    install_error_handlers(app)

    @app.get("/locked")
    def locked() -> None:
        raise sqlite3.OperationalError("database is locked")

    response = TestClient(app, raise_server_exceptions=False).get("/locked")
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "1"

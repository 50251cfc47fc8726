"""Users: creation and its validation, passwords, roles."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from hegui.bootstrap import Platform
from hegui.errors import Conflict, Invalid, NotFound, Unauthorized
from hegui.services.users import Role, UserRead

AGENT = {"username": "li.na", "password": "correct horse", "role": "agent", "agent_id": "A-17"}


def test_create_stores_a_hash_not_the_password(platform: Platform, session: Session) -> None:
    user = platform.users.create(session, AGENT, actor="admin")
    assert user.id > 0 and user.role == "agent" and user.agent_id == "A-17"
    assert user.password_hash.startswith("$argon2id$")
    assert "correct horse" not in user.password_hash
    read = UserRead.model_validate(user)
    assert read.role is Role.agent and read.is_active and read.created_at == platform.clock.now()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"username": ""}, "username"),
        ({"username": "has space"}, "username"),
        ({"username": "x" * 65}, "username"),
        ({"password": "short"}, "password"),
        ({"role": "superuser"}, "role"),
        ({"agent_id": None}, "agent_id"),
        ({"role": "team_lead", "team": None}, "team"),
        ({"team": ""}, "team"),
        ({"surprise": 1}, "surprise"),
    ],
)
def test_invalid_input_names_the_field(
    platform: Platform, session: Session, change: dict[str, object], field: str
) -> None:
    with pytest.raises(Invalid) as caught:
        platform.users.create(session, AGENT | change, actor="admin")
    assert caught.value.field == field
    assert caught.value.status_code == 422
    assert caught.value.detail == [
        {"loc": [field], "msg": caught.value.reason, "type": "value_error"}
    ]


@pytest.mark.parametrize("role", [r.value for r in Role])
def test_every_role_of_the_contract_can_be_created(
    platform: Platform, session: Session, role: str
) -> None:
    data = {"username": f"u-{role}", "password": "pw-123456", "role": role}
    data |= {"team": "east-1", "agent_id": "A-1"}
    assert platform.users.create(session, data, actor="admin").role == role


def test_duplicate_username_is_a_conflict(platform: Platform, session: Session) -> None:
    platform.users.create(session, AGENT, actor="admin")
    with pytest.raises(Conflict, match=r"username already exists: li\.na") as caught:
        platform.users.create(session, AGENT | {"agent_id": "A-18"}, actor="admin")
    assert caught.value.status_code == 409
    # The caller's transaction is still usable after the refusal.
    assert [u.username for u in platform.users.list(session)] == ["li.na"]


def test_creation_is_audited_without_the_password(platform: Platform, session: Session) -> None:
    user = platform.users.create(session, AGENT, actor="admin")
    [entry] = platform.audit.entries(session)
    assert (entry.actor, entry.action, entry.object_type, entry.object_id) == (
        "admin",
        "user.create",
        "user",
        str(user.id),
    )
    assert entry.details == {"username": "li.na", "role": "agent", "team": None, "agent_id": "A-17"}


def test_authenticate(platform: Platform, session: Session) -> None:
    user = platform.users.create(session, AGENT, actor="admin")
    assert platform.users.authenticate(session, "li.na", "correct horse") is user
    for name, password in (("li.na", "wrong horse"), ("nobody", "correct horse")):
        with pytest.raises(Unauthorized, match="wrong username or password"):
            platform.users.authenticate(session, name, password)
    user.is_active = False
    with pytest.raises(Unauthorized):
        platform.users.authenticate(session, "li.na", "correct horse")


def test_get_and_by_username(platform: Platform, session: Session) -> None:
    user = platform.users.create(session, AGENT, actor="admin")
    assert platform.users.get(session, user.id) is user
    assert platform.users.by_username(session, "li.na") is user
    with pytest.raises(NotFound):
        platform.users.get(session, user.id + 1000)
    with pytest.raises(NotFound):
        platform.users.by_username(session, "LI.NA")


def test_set_password(platform: Platform, session: Session) -> None:
    user = platform.users.create(session, AGENT, actor="admin")
    platform.users.set_password(session, user, "new password!", actor="admin")
    assert platform.users.authenticate(session, "li.na", "new password!") is user
    with pytest.raises(Unauthorized):
        platform.users.authenticate(session, "li.na", "correct horse")
    with pytest.raises(Invalid) as caught:
        platform.users.set_password(session, user, "short", actor="admin")
    assert caught.value.field == "password"
    assert [e.action for e in platform.audit.entries(session)] == [
        "user.create",
        "user.password_change",
    ]


def test_duplicate_from_a_concurrent_transaction_is_a_conflict(fresh_platform: Platform) -> None:
    """Two creators of one name at once: the second gets Conflict, never a raw DB error.

    PostgreSQL: the second's insert waits on the unique index, then fails (savepoint);
    SQLite: the second waits for the write lock, then sees the name taken.
    """
    db, users = fresh_platform.db, fresh_platform.users
    outcome: list[BaseException | None] = []

    def second() -> None:
        try:
            with db.transaction() as session:
                users.create(session, AGENT | {"agent_id": "A-2"}, actor="admin")
            outcome.append(None)
        except BaseException as exc:
            outcome.append(exc)

    with db.transaction() as session:
        users.create(session, AGENT, actor="admin")
        thread = threading.Thread(target=second)
        thread.start()
        thread.join(timeout=0.5)
        assert thread.is_alive()  # waiting for us
    thread.join()
    assert len(outcome) == 1 and isinstance(outcome[0], Conflict)
    if not fresh_platform.settings.is_sqlite:
        assert isinstance(outcome[0].__cause__, IntegrityError)
    with db.reader() as session:
        assert [u.agent_id for u in users.list(session)] == ["A-17"]

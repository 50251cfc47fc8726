"""Bearer tokens: signed, expiring, revoked by a password change."""

from __future__ import annotations

import base64
import json
from datetime import timedelta

import pytest
from sqlalchemy.orm import Session

from hegui.bootstrap import Platform
from hegui.errors import Unauthorized
from hegui.services.clock import FixedClock
from hegui.services.users import TokenSigner
from tests.db_fixtures import T0

USER = {"username": "wang", "password": "pw-123456", "role": "reviewer"}


def test_login_gives_a_bearer_token_for_the_user(platform: Platform, session: Session) -> None:
    user = platform.users.create(session, USER, actor="admin")
    token = platform.users.login(session, "wang", "pw-123456")
    assert token.token_type == "bearer"
    assert token.expires_at == T0 + platform.settings.token_lifetime
    assert platform.users.user_for_token(session, token.access_token) is user


def test_token_expires(platform: Platform, session: Session, clock: FixedClock) -> None:
    platform.users.create(session, USER, actor="admin")
    token = platform.users.login(session, "wang", "pw-123456").access_token
    clock.advance(platform.settings.token_lifetime - timedelta(seconds=1))
    platform.users.user_for_token(session, token)
    clock.advance(timedelta(seconds=1))
    with pytest.raises(Unauthorized, match="expired"):
        platform.users.user_for_token(session, token)


def test_password_change_revokes_earlier_tokens(platform: Platform, session: Session) -> None:
    user = platform.users.create(session, USER, actor="admin")
    old = platform.users.login(session, "wang", "pw-123456").access_token
    platform.users.set_password(session, user, "pw-654321", actor="wang")
    with pytest.raises(Unauthorized, match="revoked"):
        platform.users.user_for_token(session, old)
    new = platform.users.login(session, "wang", "pw-654321").access_token
    assert platform.users.user_for_token(session, new) is user


def test_deactivated_user_token_stops_working(platform: Platform, session: Session) -> None:
    user = platform.users.create(session, USER, actor="admin")
    token = platform.users.login(session, "wang", "pw-123456").access_token
    user.is_active = False
    with pytest.raises(Unauthorized):
        platform.users.user_for_token(session, token)


def _forge(token: str, **claims: int) -> str:
    prefix, body, signature = token.split(".")
    data = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))) | claims
    raw = json.dumps(data, sort_keys=True, separators=(",", ":")).encode()
    return f"{prefix}.{base64.urlsafe_b64encode(raw).rstrip(b'=').decode()}.{signature}"


@pytest.mark.parametrize(
    "mangle",
    [
        lambda t: _forge(t, sub=2),
        lambda t: _forge(t, exp=4102444800),
        lambda t: _forge(t, gen=5),
        lambda t: t[:-2] + ("AA" if not t.endswith("AA") else "BB"),
        lambda t: t.replace("hg1.", "hg2."),
        lambda t: t + ".x",
        lambda t: "",
        lambda t: "hg1.!!!.???",
        lambda t: "hg1.e30.",
        lambda t: "令牌.a.b",
    ],
)
def test_tampered_or_garbage_tokens_are_refused(mangle: object) -> None:
    signer = TokenSigner("k" * 40, timedelta(hours=1), FixedClock(T0))
    token = signer.issue(1, 0).access_token
    assert signer.read(token).user_id == 1
    with pytest.raises(Unauthorized):
        signer.read(mangle(token))  # type: ignore[operator]


def test_a_token_signed_with_another_secret_is_refused() -> None:
    ours = TokenSigner("k" * 40, timedelta(hours=1), FixedClock(T0))
    theirs = TokenSigner("j" * 40, timedelta(hours=1), FixedClock(T0))
    with pytest.raises(Unauthorized):
        ours.read(theirs.issue(1, 0).access_token)

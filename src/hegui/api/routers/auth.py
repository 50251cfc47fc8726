"""`POST /api/v1/auth/token`: the OAuth2 password flow, a bearer token for a login."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends
from fastapi.security import OAuth2PasswordRequestForm

from hegui.api.deps import PlatformDep, SessionDep
from hegui.api.errors import documented
from hegui.api.schemas import Token
from hegui.errors import Unauthorized
from hegui.services.users.schemas import has_control_characters
from hegui.services.users.service import BAD_LOGIN

router = APIRouter(prefix="/api/v1/auth", tags=["auth"])


@router.post("/token", response_model=Token, responses=documented(401))
def issue_token(
    form: Annotated[OAuth2PasswordRequestForm, Depends()],
    platform: PlatformDep,
    session: SessionDep,
) -> Token:
    """登录 Log in with form fields `username` and `password`; 401 when they are wrong.

    Send the token as `Authorization: Bearer <access_token>` until `expires_at`.
    """
    if has_control_characters(form.username):
        # No user has such a name, and PostgreSQL would refuse a NUL in the lookup.
        raise Unauthorized(BAD_LOGIN)
    # A write unit: a password hashed with outdated parameters is rehashed on login.
    issued = platform.users.login(session, form.username, form.password)
    return Token(access_token=issued.access_token, expires_at=issued.expires_at)

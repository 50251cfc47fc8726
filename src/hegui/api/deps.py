"""Dependencies of every route, as `Annotated` aliases.

- `PlatformDep`: the `Platform` this app serves.
- `SessionDep`: a write unit of work, committed after the handler returns and its answer
  is built, before anything is sent (so nothing answered 2xx is lost); rolled back if
  the handler raises. `ReaderDep`: a read-only snapshot (never takes SQLite's write lock).
- `CurrentUser`: the `Principal` of a valid bearer token (`Authorization: Bearer …`),
  else 401. `WebSocketUser`: the same for WebSockets, which may pass `?access_token=` or,
  from a browser (which cannot set headers on a WebSocket, and should not put a token in
  a URL that lands in access logs), the subprotocols `hegui, bearer.<token>`; accept such
  a socket with `subprotocol=ws_subprotocol(websocket)`.
- Role guards: `AdminUser`, `AuditReader`, or `Annotated[Principal, Depends(requires(...))]`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Annotated, cast

from fastapi import Depends, Query, WebSocket, WebSocketException, status
from fastapi.security import OAuth2PasswordBearer
from sqlalchemy.orm import Session
from starlette.requests import HTTPConnection

from hegui.bootstrap import Platform
from hegui.errors import Forbidden, Unauthorized
from hegui.services.access import Principal
from hegui.services.users.schemas import Role

TOKEN_URL = "/api/v1/auth/token"
NOT_AUTHENTICATED = "需要登录 not authenticated: send Authorization: Bearer <token>"
# Browsers pass the token as a subprotocol: `new WebSocket(url, ["hegui", "bearer." + token])`.
WS_SUBPROTOCOL = "hegui"
BEARER_SUBPROTOCOL = "bearer."
# A WebSocket close reason is at most 123 bytes of UTF-8.
WS_REASON_BYTES = 123

bearer = OAuth2PasswordBearer(tokenUrl=TOKEN_URL, auto_error=False)


def get_platform(connection: HTTPConnection) -> Platform:
    return cast(Platform, connection.app.state.platform)


PlatformDep = Annotated[Platform, Depends(get_platform)]


def write_session(platform: PlatformDep) -> Iterator[Session]:
    with platform.db.transaction() as session:
        yield session


def read_session(platform: PlatformDep) -> Iterator[Session]:
    with platform.db.reader() as session:
        yield session


# scope="function": the unit ends before the response is sent, so a failed commit is
# answered as an error rather than after a 2xx has gone out.
SessionDep = Annotated[Session, Depends(write_session, scope="function")]
ReaderDep = Annotated[Session, Depends(read_session, scope="function")]


def principal_for(platform: Platform, token: str) -> Principal:
    """The user of a valid, unexpired, unrevoked token, as a plain value; else 401."""
    with platform.db.reader() as session:
        return Principal.of(platform.users.user_for_token(session, token))


def current_user(platform: PlatformDep, token: Annotated[str | None, Depends(bearer)]) -> Principal:
    if not token:
        raise Unauthorized(NOT_AUTHENTICATED)
    return principal_for(platform, token)


CurrentUser = Annotated[Principal, Depends(current_user)]


def websocket_user(
    websocket: WebSocket,
    platform: PlatformDep,
    access_token: Annotated[str | None, Query(description="bearer token")] = None,
) -> Principal:
    """`?access_token=`, an `Authorization: Bearer` header or the subprotocol
    `bearer.<token>`; else the socket closes (1008)."""
    token = (
        access_token
        or _bearer_header(websocket.headers.get("authorization", ""))
        or _bearer_subprotocol(websocket)
    )
    try:
        if not token:
            raise Unauthorized(NOT_AUTHENTICATED)
        return principal_for(platform, token)
    except Unauthorized as exc:
        reason = exc.message.encode()[:WS_REASON_BYTES].decode("utf-8", "ignore")
        raise WebSocketException(status.WS_1008_POLICY_VIOLATION, reason) from exc


WebSocketUser = Annotated[Principal, Depends(websocket_user)]


def requires(*roles: Role) -> Callable[[Principal], Principal]:
    """A dependency admitting the current user only in one of `roles` (else 403)."""
    allowed = frozenset(roles)
    names = " | ".join(role.value for role in roles)

    def guard(user: CurrentUser) -> Principal:
        if user.role not in allowed:
            raise Forbidden(f"无权执行此操作 forbidden: needs role {names}")
        return user

    return guard


AdminUser = Annotated[Principal, Depends(requires(Role.admin))]
AuditReader = Annotated[Principal, Depends(requires(Role.admin, Role.compliance_manager))]


def ws_subprotocol(websocket: WebSocket) -> str | None:
    """`hegui` when the client offered it (with its token as `bearer.<token>`): the
    subprotocol the server must choose, or a browser fails the connection."""
    return WS_SUBPROTOCOL if WS_SUBPROTOCOL in _subprotocols(websocket) else None


def _subprotocols(websocket: WebSocket) -> list[str]:
    offered = websocket.headers.get("sec-websocket-protocol", "")
    return [p.strip() for p in offered.split(",") if p.strip()]


def _bearer_subprotocol(websocket: WebSocket) -> str | None:
    for protocol in _subprotocols(websocket):
        if protocol.startswith(BEARER_SUBPROTOCOL):
            return protocol.removeprefix(BEARER_SUBPROTOCOL) or None
    return None


def _bearer_header(value: str) -> str | None:
    scheme, _, token = value.partition(" ")
    return token.strip() or None if scheme.lower() == "bearer" else None

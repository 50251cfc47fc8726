"""Live conversations over WebSockets: `/api/v1/live` (a call streamed in, findings and
whispers out) and `/api/v1/live/feed` (supervisors). The protocol is in docs/live.md."""

from __future__ import annotations

from typing import Annotated

import anyio
from anyio import CancelScope
from fastapi import APIRouter, Query, WebSocket, WebSocketDisconnect, WebSocketException, status

from hegui.api.deps import WS_REASON_BYTES, PlatformDep, WebSocketUser, ws_subprotocol
from hegui.engine.vocabulary import Severity
from hegui.errors import Forbidden
from hegui.services.live import Subscription

router = APIRouter(prefix="/api/v1/live", tags=["live"])
FEED_TAKES_NOTHING = {"type": "error", "detail": "订阅无需发送消息 the feed takes no messages"}


@router.websocket("")
async def live_conversation(
    websocket: WebSocket, user: WebSocketUser, platform: PlatformDep
) -> None:
    """One conversation: `start`, `utterance`…, `end` in; findings, whispers, `closed` out."""
    connection = platform.live.connect(user)
    try:
        await websocket.accept(subprotocol=ws_subprotocol(websocket))
        while not connection.done:
            for reply in await connection.receive(await _frame(websocket)):
                await websocket.send_json(reply)
        await websocket.close(status.WS_1000_NORMAL_CLOSURE)
    except (WebSocketDisconnect, OSError):
        pass  # the client went away: `finish` keeps what it sent
    finally:
        await connection.finish()


@router.websocket("/feed")
async def supervisor_feed(
    websocket: WebSocket,
    user: WebSocketUser,
    platform: PlatformDep,
    whispers: Annotated[bool, Query(description="also the whispers sent to agents")] = False,
    min_severity: Annotated[
        Severity,
        Query(description="the least severe findings sent: high (the default) or all to low"),
    ] = "high",
) -> None:
    """Findings (high-severity ones; with `?min_severity=medium|low` the others too), starts
    and ends of the live conversations `user` may see (with `?whispers=true`, the whispers
    pushed to their agents too)."""
    try:
        subscription = platform.live.subscribe(user, whispers, min_severity)
    except Forbidden as exc:
        reason = exc.message.encode()[:WS_REASON_BYTES].decode("utf-8", "ignore")
        raise WebSocketException(status.WS_1008_POLICY_VIOLATION, reason) from exc
    try:
        await websocket.accept(subprotocol=ws_subprotocol(websocket))
        async with anyio.create_task_group() as group:
            group.start_soon(_answer_until_closed, websocket, group.cancel_scope)
            await _push(websocket, subscription)
            group.cancel_scope.cancel()
    finally:
        platform.live.hub.unsubscribe(subscription)


async def _frame(websocket: WebSocket) -> str | bytes:
    message = await websocket.receive()
    if message["type"] == "websocket.disconnect":
        raise WebSocketDisconnect(message.get("code", status.WS_1000_NORMAL_CLOSURE))
    text: str | None = message.get("text")
    return text if text is not None else bytes(message.get("bytes") or b"")


async def _push(websocket: WebSocket, subscription: Subscription) -> None:
    """Until the supervisor goes away (a send fails)."""
    try:
        while True:
            for event in await subscription.next_batch():
                await websocket.send_json(event)
    except (WebSocketDisconnect, OSError):
        return


async def _answer_until_closed(websocket: WebSocket, scope: CancelScope) -> None:
    """Supervisors send nothing; a message gets an error, a close ends the feed."""
    try:
        while True:
            await _frame(websocket)
            await websocket.send_json(FEED_TAKES_NOTHING)
    except (WebSocketDisconnect, OSError):
        pass
    finally:
        scope.cancel()

"""Live conversations of this process: connections, the rules they run, the supervisors'
feed, and where a finished conversation goes (the ledger).

    live = LiveService(ShippedRules(), recorder)
    connection = live.connect(user)                  # one per WebSocket
    replies = await connection.receive(frame)        # findings, whispers, ack, error…
    await connection.finish()                        # always: on end or on disconnect

A `LiveConnection` belongs to one event loop and is driven by one task. The engine work
runs in the loop when it is short (texts up to `inline_chars`) and in a worker thread
otherwise; the rules (`RuleCache`: asked of their source in a worker thread every few
seconds) and the recorder (its own few threads) may compile rules or touch the database.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from typing import Any, Protocol, TypeVar

import anyio
import anyio.to_thread

from hegui.errors import Forbidden, HeguiError
from hegui.services.access import Principal
from hegui.services.live.conversation import (
    ABANDONED,
    CLOSED,
    ENDED,
    FEED_SEVERITY,
    STREAMING,
    FeedEvent,
    Finished,
    LiveConversation,
    Step,
)
from hegui.services.live.hub import Subscription, SupervisorHub
from hegui.services.live.limits import LiveLimits, RateLimit
from hegui.services.live.protocol import End, MessageError, Start, parse, read, size_of
from hegui.services.live.rules import InspectorSource, RuleCache
from hegui.services.live.whispers import Prompt, WhisperPolicy
from hegui.services.users.schemas import Role

log = logging.getLogger(__name__)
T = TypeVar("T")
SUPERVISORS = frozenset({Role.admin, Role.compliance_manager, Role.reviewer, Role.team_lead})
INTERNAL = "内部错误 internal error: the message was not processed"


class LiveRecorder(Protocol):
    """Where finished live conversations go: stored and inspected like any other."""

    def record(self, finished: Finished) -> None: ...


class LiveService:
    def __init__(
        self,
        inspectors: InspectorSource,
        recorder: LiveRecorder | None = None,
        limits: LiveLimits | None = None,
        overrides: Mapping[str, Prompt] | None = None,
    ) -> None:
        """`recorder` None: finished conversations are not stored (the engine alone)."""
        self.inspectors = inspectors
        self.recorder = recorder
        self.limits = limits or LiveLimits()
        self.overrides = dict(overrides or {})
        self.hub = SupervisorHub(self.limits.feed_queue)
        self.connections: set[LiveConnection] = set()
        self.live: dict[str, LiveConnection] = {}  # conversation id → its connection
        self.rules = RuleCache(inspectors)
        self._store_slots: anyio.CapacityLimiter | None = None

    def store_slots(self) -> anyio.CapacityLimiter:
        """Threads storing finished calls: few (writes queue for the database anyway), and
        apart from the shared pool that logins and long texts use."""
        if self._store_slots is None:  # made in the event loop that first needs it
            self._store_slots = anyio.CapacityLimiter(self.limits.store_threads)
        return self._store_slots

    def connect(self, user: Principal) -> LiveConnection:
        connection = LiveConnection(self, user)
        self.connections.add(connection)
        return connection

    def subscribe(
        self, user: Principal, whispers: bool = False, min_severity: str = FEED_SEVERITY
    ) -> Subscription:
        """The feed of `user` (a supervising role), starting with the conversations live now;
        `whispers`: with the whispers sent to the agents; `min_severity`: the least severe
        findings sent (`high`: high ones only, `low`: all)."""
        if user.role not in SUPERVISORS:
            raise Forbidden(
                "无权 forbidden: the feed is for admin, compliance_manager, reviewer, team_lead"
            )
        current = [c.start_event for c in self.live.values() if c.start_event is not None]
        return self.hub.subscribe(user, current, whispers, min_severity)

    def reserve(self, conversation_id: str, connection: LiveConnection) -> None:
        if conversation_id in self.live:
            raise MessageError(
                "conversation.id", f"会话正在进行 already live: {conversation_id!r:.80}"
            )
        if len(self.live) >= self.limits.max_sessions:
            raise MessageError(
                None, f"服务繁忙 too many live conversations ({self.limits.max_sessions}): retry"
            )
        self.live[conversation_id] = connection

    def release(self, connection: LiveConnection) -> None:
        self.connections.discard(connection)
        cid = connection.conversation.id
        if cid is not None and self.live.get(cid) is connection:
            del self.live[cid]


class LiveConnection:
    """One WebSocket's conversation: frames in, messages out."""

    def __init__(self, service: LiveService, user: Principal) -> None:
        self.service = service
        self.user = user
        limits = service.limits
        self.conversation = LiveConversation(user, limits, WhisperPolicy(service.overrides))
        self.rate = RateLimit(limits.rate, limits.burst)
        self.start_event: FeedEvent | None = None
        self._recorded = False

    @property
    def done(self) -> bool:
        return self.conversation.state == CLOSED

    async def receive(self, frame: str | bytes) -> list[dict[str, Any]]:
        """The replies to one frame; a bad one gets an `error` naming the field."""
        try:
            step = await self._handle(frame)
        except MessageError as exc:
            return [{"type": "error", "detail": exc.detail}]
        except Exception:
            log.exception("live conversation %s: message failed", self.conversation.id)
            return [{"type": "error", "detail": INTERNAL}]
        self.service.hub.publish(step.events)
        self.service.hub.publish_whispers(step.whispers)
        return step.replies

    async def finish(self) -> None:
        """After the socket closed: abandon a conversation without `end`, store it, forget
        it. Shielded, so a server shutting down still keeps what was received."""
        with anyio.CancelScope(shield=True):
            if self.conversation.state == STREAMING:
                self.service.hub.publish(self.conversation.abandon().events)
                await self._record(ABANDONED)
            self.service.release(self)

    async def _handle(self, frame: str | bytes) -> Step:
        limits = self.service.limits
        if not self.rate.allow():
            raise MessageError(None, f"消息过快 too many messages: over {limits.rate:g} a second")
        size = size_of(frame)
        obj = read(frame, size, limits.max_message_bytes)
        message = parse(obj, self.conversation.zone, limits.max_text_chars)
        if self.conversation.state == STREAMING:
            self.conversation.count(size)
        if isinstance(message, Start):
            return await self._start(message, size)
        if isinstance(message, End):
            return await self._end()
        self.conversation.check_utterance()
        return await self._run(len(message.utterance.text), self.conversation.utterance, message)

    async def _start(self, message: Start, size: int) -> Step:
        self.conversation.check_start(message)
        self.service.reserve(message.conversation.id, self)
        try:
            inspector = await self.service.rules.current()
            chars = sum(len(u.text) for u in message.conversation.utterances)
            step = await self._run(chars, self.conversation.start, message, inspector)
        except BaseException:
            del self.service.live[message.conversation.id]
            raise
        self.conversation.count(size)
        self.start_event = step.events[0]
        return step

    async def _end(self) -> Step:
        step = self.conversation.end()
        error = await self._record(ENDED)
        if error is not None:
            step.replies.insert(-1, {"type": "error", "detail": error})
        return step

    async def _run(self, chars: int, work: Callable[..., T], *args: Any) -> T:
        if chars <= self.service.limits.inline_chars:
            return work(*args)
        return await anyio.to_thread.run_sync(work, *args)

    async def _record(self, outcome: str) -> str | None:
        """Hand the finished conversation to the recorder; the error to tell the client."""
        recorder = self.service.recorder
        if recorder is None or self._recorded:
            return None
        self._recorded = True
        finished = self.conversation.finished(outcome)
        try:
            slots = self.service.store_slots()
            await anyio.to_thread.run_sync(recorder.record, finished, limiter=slots)
        except HeguiError as exc:
            log.warning("live conversation %s: not stored: %s", self.conversation.id, exc)
            return f"未能保存 could not store the conversation: {exc.message}"
        except Exception as exc:
            log.exception("live conversation %s: not stored", self.conversation.id)
            return f"未能保存 could not store the conversation ({type(exc).__name__}): resubmit it"
        return None

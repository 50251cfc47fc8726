"""One live conversation, as a state machine: start → utterances → end (or abandoned).

Each step returns what to push to the client (findings, whispers, an ack, `closed`) and
the events for supervisors; it does no I/O, so the caller may run it in the event loop or
a worker thread. Not thread-safe: one connection drives one conversation, one step at a time.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import tzinfo
from typing import Any

from hegui.engine.model import Conversation, Finding
from hegui.inspector import Inspector, LiveSession
from hegui.services.access import Principal, can_see
from hegui.services.live.limits import LiveLimits
from hegui.services.live.protocol import MessageError, Seq, Start, UtteranceIn
from hegui.services.live.whispers import WhisperPolicy
from hegui.services.users.schemas import Role

WAITING, STREAMING, CLOSED = "waiting", "streaming", "closed"
ENDED, ABANDONED = "ended", "abandoned"  # how a conversation finished
FEED_SEVERITY = "high"  # the feed's default: high-severity findings only (`min_severity`)


@dataclass(frozen=True, slots=True)
class FeedEvent:
    """A message for the supervisors' feed, with what decides who may see it."""

    agent_id: str | None
    team: str | None
    message: dict[str, Any]
    # A finding's severity: each subscription keeps those at or above its minimum; None
    # (starts, ends, whispers): not filtered by severity.
    severity: str | None = None


@dataclass
class Step:
    replies: list[dict[str, Any]] = field(default_factory=list)
    events: list[FeedEvent] = field(default_factory=list)
    # The whispers, for supervisors who asked for them (`/live/feed?whispers=true`).
    whispers: list[FeedEvent] = field(default_factory=list)


@dataclass(frozen=True)
class Finished:
    """A conversation that is over, in the conversation format, ready to be stored."""

    conversation: dict[str, Any]
    outcome: str  # ENDED | ABANDONED
    findings: int
    actor: str


def check_scope(user: Principal, agent: dict[str, str]) -> None:
    """An agent streams only its own conversations, a team lead only its team's."""
    if can_see(user, agent.get("id"), agent.get("team")):
        return
    if user.role == Role.agent:
        raise MessageError(
            "conversation.agent.id",
            f"无权 not allowed: an agent streams only its own conversations ({user.agent_id})",
        )
    raise MessageError(
        "conversation.agent.team",
        f"无权 not allowed: a team lead streams only its team's conversations ({user.team})",
    )


class LiveConversation:
    def __init__(self, user: Principal, limits: LiveLimits, policy: WhisperPolicy) -> None:
        self.user = user
        self.limits = limits
        self.policy = policy
        self.state = WAITING
        self.conversation: Conversation | None = None
        self.agent: dict[str, str] = {}
        self._session: LiveSession | None = None
        self._raw: dict[str, Any] = {}
        self._utterances: list[dict[str, Any]] = []
        self._bytes = 0
        self.findings = 0

    @property
    def id(self) -> str | None:
        return self.conversation.id if self.conversation is not None else None

    @property
    def zone(self) -> tzinfo | None:
        started = self.conversation.started_at if self.conversation else None
        return started.tzinfo if started is not None else None

    def count(self, size: int) -> None:
        """Account a frame of `size` bytes to the conversation; refuse it past the limit."""
        if self._bytes + size > self.limits.max_conversation_bytes:
            raise MessageError(
                None,
                f"会话过大 conversation too large: over {self.limits.max_conversation_bytes}"
                " bytes; send end",
            )
        self._bytes += size

    def check_start(self, message: Start) -> None:
        if self.state != WAITING:
            raise MessageError("type", "会话已开始 the conversation has already started")
        check_scope(self.user, message.agent)
        if len(message.conversation.utterances) > self.limits.max_utterances:
            raise MessageError(
                "conversation.utterances",
                f"过多 too many: at most {self.limits.max_utterances}",
            )

    def start(self, message: Start, inspector: Inspector) -> Step:
        """Open the engine session and feed the utterances the start already carries."""
        self.check_start(message)
        given = message.conversation
        self.conversation = Conversation(
            given.id, (), given.channel, given.industry, given.metadata, given.extra,
            given.started_at,
        )  # fmt: skip
        self.agent = message.agent
        self._session = inspector.session(self.conversation)
        self._raw = {k: v for k, v in message.raw.items() if k != "utterances"}
        step = Step(events=[self._event(self._start_event())])
        try:
            for utterance, raw in zip(given.utterances, message.raw["utterances"], strict=True):
                self._feed(utterance, raw, step)
        except BaseException:
            self.conversation, self._session, self._utterances = None, None, []
            self.agent = {}
            self.findings = 0
            raise
        self.state = STREAMING
        self._ack(step, message.seq, utterances=len(self._utterances))
        return step

    def check_utterance(self) -> None:
        if self.state != STREAMING:
            raise MessageError("type", "请先发送 start: send start before utterances")
        if len(self._utterances) >= self.limits.max_utterances:
            raise MessageError(
                "utterance", f"过多 too many utterances: at most {self.limits.max_utterances}"
            )

    def utterance(self, message: UtteranceIn) -> Step:
        self.check_utterance()
        step = Step()
        index = self._feed(message.utterance, message.raw, step)
        self._ack(step, message.seq, utterance_index=index)
        return step

    def end(self) -> Step:
        if self.state != STREAMING:
            raise MessageError("type", "请先发送 start: send start before end")
        step = self._close(ENDED)
        step.replies.append({"type": "closed", "findings": self.findings})
        return step

    def abandon(self) -> Step:
        """The client went away without `end`: close the engine session (its closing
        findings go to supervisors only) and keep what was received."""
        return self._close(ABANDONED) if self.state == STREAMING else Step()

    def finished(self, outcome: str) -> Finished:
        live = {"outcome": outcome, "utterances": len(self._utterances), "user": self.user.actor}
        document = {**self._raw, "utterances": list(self._utterances), "live": live}
        return Finished(document, outcome, self.findings, self.user.actor)

    def _feed(self, utterance: Any, raw: dict[str, Any], step: Step) -> int:
        assert self._session is not None
        index = len(self._utterances)
        self._utterances.append(raw)
        found = self._session.feed(utterance)
        self._push(found, step)
        whispers = self.policy.after_feed(found, self._session.pending())
        for whisper in whispers:
            message = whisper.to_message()
            step.replies.append(message)
            step.whispers.append(self._event({**message, "conversation_id": self.id}))
        return index

    def _close(self, outcome: str) -> Step:
        assert self._session is not None
        step = Step()
        self._push(self._session.close(), step)
        self.state = CLOSED
        message = {"type": "end", "conversation_id": self.id, "outcome": outcome}
        step.events.append(self._event(message | {"findings": self.findings}))
        return step

    def _push(self, found: list[Finding], step: Step) -> None:
        for finding in found:
            data = finding.to_dict()
            step.replies.append({"type": "finding", "finding": data})
            message = {"type": "finding", "conversation_id": self.id, "finding": data}
            step.events.append(self._event(message, finding.severity))
        self.findings += len(found)

    def _ack(self, step: Step, seq: Seq, **details: int) -> None:
        if seq is not None:
            step.replies.append({"type": "ack", "seq": seq, **details})

    def _start_event(self) -> dict[str, Any]:
        assert self.conversation is not None
        return {
            "type": "start",
            "conversation_id": self.id,
            "agent": {"id": self.agent.get("id"), "team": self.agent.get("team")},
            "channel": self.conversation.channel,
            "industry": self.conversation.industry,
            "user": self.user.actor,
        }

    def _event(self, message: dict[str, Any], severity: str | None = None) -> FeedEvent:
        return FeedEvent(self.agent.get("id"), self.agent.get("team"), message, severity)

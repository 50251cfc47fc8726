"""The messages a live client sends, read and checked: `start`, `utterance`, `end`.

A bad message becomes a `MessageError` naming the field (`utterance.text`,
`conversation.agent.id`, `type`), which the connection answers with an `error` message
and stays open. The optional `seq` (an integer, or a string of at most 64 characters)
asks the server for an `ack` once the message is processed.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import tzinfo
from typing import Any, cast

from hegui.engine.model import Conversation, Utterance
from hegui.formats.errors import FormatError
from hegui.formats.jsonl import parse_conversation, parse_json, parse_utterance
from hegui.services.conversations.intake import canonical_bytes, incoming

START = "start"
UTTERANCE = "utterance"
END = "end"
TYPES = (START, UTTERANCE, END)
MAX_SEQ_CHARS = 64
Seq = int | str | None


class MessageError(ValueError):
    """A client message that cannot be used; `field` names what was wrong (None: the
    message as a whole)."""

    def __init__(self, field: str | None, message: str) -> None:
        super().__init__(f"{field}: {message}" if field else message)
        self.field = field

    @property
    def detail(self) -> str:
        return str(self)


@dataclass(frozen=True, slots=True)
class Start:
    conversation: Conversation
    raw: dict[str, Any]  # the conversation object as sent (kept for storing it)
    agent: dict[str, str]  # `agent`'s id, name, team as the platform files them
    seq: Seq = None


@dataclass(frozen=True, slots=True)
class UtteranceIn:
    utterance: Utterance
    raw: dict[str, Any]
    seq: Seq = None


@dataclass(frozen=True, slots=True)
class End:
    seq: Seq = None


Message = Start | UtteranceIn | End


def size_of(frame: str | bytes) -> int:
    """A frame's size in bytes (text frames travel as UTF-8)."""
    return len(frame) if isinstance(frame, bytes) else len(frame.encode("utf-8", "surrogatepass"))


def read(frame: str | bytes, size: int, max_bytes: int) -> dict[str, Any]:
    """A frame of `size` bytes → its JSON object; too large, not UTF-8, not JSON, not an
    object: an error."""
    if size > max_bytes:
        raise MessageError(None, f"消息过大 message too large: over {max_bytes} bytes")
    try:
        obj = parse_json(frame)
    except FormatError as exc:
        raise MessageError(exc.field, str(exc)) from exc
    if not isinstance(obj, dict):
        raise MessageError(None, "应为 JSON 对象 expected a JSON object")
    return obj


def parse(obj: dict[str, Any], zone: tzinfo | None, max_text: int) -> Message:
    """The message `obj` holds; `zone` for utterance times without one (the started
    conversation's), `max_text` the longest utterance text accepted (characters)."""
    kind = obj.get("type")
    seq = _seq(obj.get("seq"))
    if kind == UTTERANCE:
        raw = obj.get("utterance")
        with _named():
            utterance = parse_utterance(raw, UTTERANCE, zone)
        body = cast(dict[str, Any], raw)  # parse_utterance checked it is an object
        with _named("utterance."):
            canonical_bytes(body)  # storable: no NUL anywhere in it
        _check_length(utterance, UTTERANCE, max_text)
        return UtteranceIn(utterance, body, seq)
    if kind == START:
        raw = obj.get("conversation")
        with _named("conversation."):
            conversation = parse_conversation(raw)
            # The platform's checks too (ids' lengths, `agent` fields, NUL), so a call
            # that could not be stored is refused now, not at its end.
            agent = incoming(conversation).agent
        for index, utterance in enumerate(conversation.utterances):
            _check_length(utterance, f"conversation.utterances[{index}]", max_text)
        return Start(conversation, cast(dict[str, Any], raw), agent, seq)
    if kind == END:
        return End(seq)
    if kind is None:
        raise MessageError("type", f"缺少消息类型 missing; one of {', '.join(TYPES)}")
    raise MessageError("type", f"未知消息类型 unknown type {kind!r:.40}; one of {', '.join(TYPES)}")


@contextmanager
def _named(prefix: str = "") -> Iterator[None]:
    """The contract reader's errors, with their field named from the message's top."""
    try:
        yield
    except FormatError as exc:
        if exc.field is None:  # the value as a whole: name it
            raise MessageError(prefix.rstrip(".") or None, str(exc)) from exc
        message = str(exc).removeprefix(f"{exc.field}: ")
        raise MessageError(prefix + exc.field, message) from exc


def _check_length(utterance: Utterance, field: str, max_text: int) -> None:
    if len(utterance.text) > max_text:
        raise MessageError(
            f"{field}.text",
            f"太长 too long: {len(utterance.text)} characters, at most {max_text}",
        )


def _seq(value: Any) -> Seq:
    if value is None:
        return None
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str) and len(value) <= MAX_SEQ_CHARS:
        return value
    raise MessageError("seq", f"应为整数或短字符串 an integer or a string ≤ {MAX_SEQ_CHARS}")

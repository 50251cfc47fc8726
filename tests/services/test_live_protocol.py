"""Reading live messages: every bad one is an error naming its field, never an exception
of another kind."""

from __future__ import annotations

import json
from datetime import timedelta, timezone
from typing import Any

import pytest

from hegui.services.live.protocol import (
    End,
    MessageError,
    Start,
    UtteranceIn,
    parse,
    read,
    size_of,
)
from tests.services.live_support import conversation, said, start

MAX_BYTES = 4096
MAX_TEXT = 100


def message(frame: str | bytes) -> Any:
    return parse(read(frame, size_of(frame), MAX_BYTES), None, MAX_TEXT)


def test_the_three_messages() -> None:
    begun = message(json.dumps(start(conversation("c9", "A-1", "t", "您好"), seq=0)))
    assert isinstance(begun, Start) and begun.seq == 0
    assert begun.conversation.id == "c9" and begun.conversation.utterances[0].text == "您好"
    assert begun.conversation.extra["agent"] == {"id": "A-1", "team": "t"}
    heard = message(json.dumps(said("好的", role="customer", seq="s-1")))
    assert isinstance(heard, UtteranceIn) and heard.seq == "s-1"
    assert (heard.utterance.role, heard.utterance.text) == ("customer", "好的")
    assert isinstance(message(b'{"type": "end"}'), End)


def test_unknown_fields_are_kept_for_storing() -> None:
    heard = message(json.dumps(said("好", confidence=0.9) | {"x": 1}))
    assert isinstance(heard, UtteranceIn)
    body = {"role": "agent", "text": "好", "asr_confidence": 0.9}
    kept = message(json.dumps({"type": "utterance", "utterance": body}))
    assert kept.raw == body


def test_utterance_times_take_the_conversation_zone() -> None:
    zone = timezone(timedelta(hours=8))
    body = {"role": "agent", "text": "好", "at": "2025-01-06T09:30:00"}
    heard = parse({"type": "utterance", "utterance": body}, zone, MAX_TEXT)
    assert isinstance(heard, UtteranceIn) and heard.utterance.at is not None
    assert heard.utterance.at.utcoffset() == timedelta(hours=8)


BAD: dict[str, tuple[str | bytes, str | None, str]] = {
    "not JSON": ("{bad", None, "invalid JSON"),
    "not an object": ("[1, 2]", None, "expected a JSON object"),
    "NaN": ('{"type": "end", "seq": NaN}', None, "NaN"),
    "not UTF-8": (b'{"type": "\xff"}', None, "invalid UTF-8"),
    "lone surrogate": (json.dumps(said("\ud800")), "utterance.text", "lone surrogate"),
    "too large": (json.dumps(said("好" * 2000)), None, "message too large"),
    "no type": ('{"utterance": {}}', "type", "missing"),
    "unknown type": ('{"type": "hello"}', "type", "unknown type 'hello'"),
    "no utterance": ('{"type": "utterance"}', "utterance", "expected an object"),
    "bad role": (json.dumps(said("好", role="boss")), "utterance.role", "unknown role"),
    "no text": (
        '{"type": "utterance", "utterance": {"role": "agent"}}',
        "utterance.text",
        "missing",
    ),
    "text too long": (json.dumps(said("好" * 101)), "utterance.text", "too long: 101"),
    "end before start": (
        json.dumps(
            {"type": "utterance", "utterance": {"role": "agent", "text": "a", "start": 2, "end": 1}}
        ),
        "utterance.end",
        "before start",
    ),
    "bad time": (
        json.dumps(
            {"type": "utterance", "utterance": {"role": "agent", "text": "a", "at": "soon"}}
        ),
        "utterance.at",
        "",
    ),
    "no conversation": ('{"type": "start"}', "conversation", "expected a JSON object"),
    "conversation without id": (
        json.dumps({"type": "start", "conversation": {"utterances": []}}),
        "conversation.id",
        "missing",
    ),
    "conversation without utterances": (
        json.dumps({"type": "start", "conversation": {"id": "c"}}),
        "conversation.utterances",
        "missing",
    ),
    "bad channel": (json.dumps(start(conversation(channel="fax"))), "conversation.channel", "fax"),
    "bad utterance in start": (
        json.dumps(start({"id": "c", "utterances": [{"role": "agent", "text": 7}]})),
        "conversation.utterances[0].text",
        "not a string",
    ),
    "long text in start": (
        json.dumps(start(conversation("c", "A", "t", "好" * 101))),
        "conversation.utterances[0].text",
        "too long",
    ),
    "NUL in a text": (json.dumps(said("a\x00b")), "utterance.text", "NUL"),
    "NUL in an unknown field": (
        json.dumps(
            {"type": "utterance", "utterance": {"role": "agent", "text": "a", "x": {"y": "\x00"}}}
        ),
        "utterance.x.y",
        "NUL",
    ),
    "agent not an object": (
        json.dumps(start(conversation() | {"agent": "A-17"})),
        "conversation.agent",
        "expected an object",
    ),
    "agent id too long": (
        json.dumps(start(conversation(agent="A" * 65))),
        "conversation.agent.id",
        "longer than 64",
    ),
    "id too long": (
        json.dumps(start(conversation("c" * 129))),
        "conversation.id",
        "longer than 128",
    ),
    "bad seq": ('{"type": "end", "seq": [1]}', "seq", "an integer or a string"),
    "boolean seq": ('{"type": "end", "seq": true}', "seq", ""),
}


@pytest.mark.parametrize("case", list(BAD))
def test_a_bad_message_names_its_field(case: str) -> None:
    frame, field, words = BAD[case]
    with pytest.raises(MessageError) as caught:
        message(frame)
    assert caught.value.field == field
    assert words in caught.value.detail
    if field is not None:
        assert caught.value.detail.startswith(f"{field}: ")


def test_size_is_measured_in_bytes() -> None:
    ascii_ok = json.dumps({"type": "end", "pad": "a" * 4000})
    assert isinstance(message(ascii_ok), End)
    wide = json.dumps({"type": "end", "pad": "好" * 1400}, ensure_ascii=False)
    assert len(wide) < MAX_BYTES < len(wide.encode())
    with pytest.raises(MessageError, match="too large"):
        message(wide)


def test_the_agent_is_read_as_the_platform_files_it() -> None:
    body = conversation(agent=None, team=None) | {"agent": {"id": 17, "team": " east-1 "}}
    begun = message(json.dumps(start(body)))
    assert isinstance(begun, Start) and begun.agent == {"id": "17", "team": "east-1"}

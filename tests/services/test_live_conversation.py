"""One live conversation as a state machine, on the shipped rules."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pytest

from hegui.formats.jsonl import parse_conversation
from hegui.inspector import Inspector
from hegui.services.access import Principal
from hegui.services.live import ShippedRules
from hegui.services.live.conversation import ABANDONED, ENDED, LiveConversation, Step
from hegui.services.live.limits import LiveLimits
from hegui.services.live.protocol import MessageError, Start, UtteranceIn, parse
from hegui.services.live.whispers import WhisperPolicy
from tests.services.live_support import (
    ADMIN,
    AGENT,
    CREDENTIAL,
    DISCLOSE,
    GREETING,
    IMPATIENT,
    LEAD,
    OTHER_AGENT,
    PROMISE,
    RECOMMEND,
    conversation,
    said,
    start,
)

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
import corpus


@pytest.fixture(scope="module")
def inspector() -> Inspector:
    return ShippedRules()()


def live(user: Principal = AGENT, **limits: Any) -> LiveConversation:
    return LiveConversation(user, LiveLimits(**limits), WhisperPolicy())


def begin(conv: LiveConversation, inspector: Inspector, body: dict[str, Any] | None = None) -> Step:
    message = parse(start(body, seq=0), None, 8000)
    assert isinstance(message, Start)
    return conv.start(message, inspector)


def say(conv: LiveConversation, text: str, role: str = "agent") -> Step:
    message = parse(said(text, role=role, seq=1), conv.zone, 8000)
    assert isinstance(message, UtteranceIn)
    return conv.utterance(message)


def kinds(step: Step) -> list[str]:
    return [reply["type"] for reply in step.replies]


def test_a_conversation_in_order(inspector: Inspector) -> None:
    conv = live()
    opened = begin(conv, inspector)
    assert opened.replies == [{"type": "ack", "seq": 0, "utterances": 0}]
    assert [e.message["type"] for e in opened.events] == ["start"]
    assert opened.events[0].message["agent"] == {"id": "A-17", "team": "east-1"}
    assert kinds(say(conv, GREETING)) == ["ack"]
    recommended = say(conv, RECOMMEND)
    assert kinds(recommended) == ["whisper", "whisper", "ack"]
    assert recommended.replies[0]["text"].startswith("请进行风险提示")
    asked = say(conv, CREDENTIAL)
    assert kinds(asked) == ["finding", "whisper", "ack"]
    assert asked.replies[0]["finding"]["category"] == "privacy.credential_request"
    assert asked.replies[0]["finding"]["utterance_index"] == 2
    assert asked.replies[1]["text"].startswith("请勿索要验证码/密码")
    ended = conv.end()
    assert kinds(ended)[-1] == "closed" and set(kinds(ended)[:-1]) == {"finding"}
    assert ended.replies[-1]["findings"] == conv.findings == 1 + len(ended.replies) - 1
    assert ended.events[-1].message == {
        "type": "end",
        "conversation_id": "call-1",
        "outcome": ENDED,
        "findings": conv.findings,
    }


def test_a_disclosure_in_time_ends_the_prompts(inspector: Inspector) -> None:
    conv = live()
    begin(conv, inspector)
    say(conv, GREETING)
    say(conv, RECOMMEND)
    assert kinds(say(conv, DISCLOSE)) == ["ack"]
    closing = [r["finding"]["category"] for r in conv.end().replies if r["type"] == "finding"]
    assert closing == ["service.missing_closing"]


def test_the_last_chance_comes_before_the_deadline(inspector: Inspector) -> None:
    conv = live()
    begin(conv, inspector)
    say(conv, GREETING)
    say(conv, RECOMMEND)
    # The rule's window counts the agent's turns: the customer's do not bring the end nearer.
    replies = [r for _ in range(5) for r in say(conv, "嗯", role="customer").replies]
    replies += [r for _ in range(8) for r in say(conv, "好的").replies]
    whispers = [r for r in replies if r["type"] == "whisper"]
    assert [w["reason"] for w in whispers] == ["last_chance"]
    assert whispers[0]["text"].startswith("最后提醒：请进行风险提示")
    late = [r for r in replies if r["type"] in ("whisper", "finding")]
    assert [r["type"] for r in late] == ["whisper", "finding"], "warned before the deadline"
    assert late[1]["finding"]["rule_id"] == whispers[0]["rule_id"]


def test_utterances_given_at_start_are_fed(inspector: Inspector) -> None:
    conv = live()
    opened = begin(conv, inspector, conversation("c2", "A-17", "east-1", GREETING, PROMISE))
    assert kinds(opened)[0] == "finding" and kinds(opened)[-1] == "ack"
    rule = "securities.promise.baoben"  # beside it the semantic model's readings may come
    [finding] = [r for r in opened.replies if r.get("finding", {}).get("rule_id") == rule]
    assert finding["finding"]["utterance_index"] == 1
    assert any(r["type"] == "whisper" and r["rule_id"] == rule for r in opened.replies)
    assert opened.replies[-1] == {"type": "ack", "seq": 0, "utterances": 2}
    assert say(conv, "好的").replies[-1]["utterance_index"] == 2


def test_supervisors_get_every_finding_marked_with_its_severity(inspector: Inspector) -> None:
    conv = live()
    begin(conv, inspector)
    medium = say(conv, IMPATIENT)  # each subscription keeps the severities it asked for
    [event] = medium.events
    assert medium.replies[0]["finding"]["severity"] == event.severity == "medium"
    assert event.message == {
        "type": "finding",
        "conversation_id": "call-1",
        "finding": medium.replies[0]["finding"],
    }
    promised = say(conv, PROMISE)  # one event per finding, in the order the client gets them
    replies = [r["finding"] for r in promised.replies if r["type"] == "finding"]
    assert [e.message["finding"] for e in promised.events] == replies
    assert [e.severity for e in promised.events] == [f["severity"] for f in replies]
    [event] = [
        e for e in promised.events if e.message["finding"]["rule_id"] == "securities.promise.baoben"
    ]
    assert event.message["type"] == "finding" and event.message["conversation_id"] == "call-1"
    assert event.severity == "high"
    assert (event.agent_id, event.team) == ("A-17", "east-1")


SCOPES = {
    "agent, own call": (AGENT, conversation(), None),
    "agent, another's call": (AGENT, conversation(agent="A-30"), "conversation.agent.id"),
    "agent, no agent given": (AGENT, conversation(agent=None, team=None), "conversation.agent.id"),
    "other agent": (OTHER_AGENT, conversation(), "conversation.agent.id"),
    "lead, own team": (LEAD, conversation(agent="A-99"), None),
    "lead, other team": (LEAD, conversation(team="west-2"), "conversation.agent.team"),
    "admin, anyone": (ADMIN, conversation(agent="Z", team="zz"), None),
}


@pytest.mark.parametrize("case", list(SCOPES))
def test_a_user_streams_only_conversations_it_may_see(inspector: Inspector, case: str) -> None:
    user, body, field = SCOPES[case]
    conv = live(user)
    if field is None:
        begin(conv, inspector, body)
        return
    with pytest.raises(MessageError) as refused:
        begin(conv, inspector, body)
    assert refused.value.field == field and "not allowed" in refused.value.detail
    assert conv.state == "waiting" and conv.id is None


def test_messages_out_of_order(inspector: Inspector) -> None:
    conv = live()
    with pytest.raises(MessageError, match=r"type: .*send start before utterances"):
        say(conv, "您好")
    with pytest.raises(MessageError, match="send start before end"):
        conv.end()
    begin(conv, inspector)
    with pytest.raises(MessageError, match=r"type: .*already started"):
        begin(conv, inspector)
    conv.end()
    with pytest.raises(MessageError):
        say(conv, "还在吗")


def test_limits_on_a_conversation(inspector: Inspector) -> None:
    conv = live(max_utterances=2, max_conversation_bytes=100)
    begin(conv, inspector)
    say(conv, "一")
    say(conv, "二")
    with pytest.raises(MessageError, match=r"utterance: .*too many utterances: at most 2"):
        say(conv, "三")
    conv.count(60)
    with pytest.raises(MessageError, match="conversation too large"):
        conv.count(41)
    with pytest.raises(MessageError, match=r"conversation\.utterances: .*at most 2"):
        begin(
            live(max_utterances=2), inspector, conversation("c3", "A-17", "east-1", "1", "2", "3")
        )


def test_an_abandoned_conversation_is_kept_as_received(inspector: Inspector) -> None:
    conv = live()
    body = conversation("c4", "A-17", "east-1", GREETING, metadata={"product": "基金"}, note="x")
    begin(conv, inspector, body)
    raw = {"role": "customer", "text": "喂？", "start": 3.0, "asr": {"confidence": 0.4}}
    message = parse({"type": "utterance", "utterance": raw}, None, 99)
    assert isinstance(message, UtteranceIn)
    conv.utterance(message)
    step = conv.abandon()
    assert step.events[-1].message["outcome"] == ABANDONED
    finished = conv.finished(ABANDONED)
    assert finished.outcome == ABANDONED and finished.actor == "li"
    stored = finished.conversation
    assert stored["utterances"] == [{"role": "agent", "text": GREETING}, raw]
    assert stored["live"] == {"outcome": ABANDONED, "utterances": 2, "user": "li"}
    assert (stored["metadata"], stored["note"], stored["agent"]["id"]) == (
        {"product": "基金"},
        "x",
        "A-17",
    )
    assert parse_conversation(json.loads(json.dumps(stored))).id == "c4"
    assert conv.abandon().events == []


def test_streaming_finds_what_batch_finds(inspector: Inspector) -> None:
    """Live findings (utterance by utterance, then closing) are the batch findings."""
    for body in corpus.conversations(40, seed=11):
        batch = inspector.inspect(parse_conversation(body))
        conv = live(ADMIN)
        utterances = body["utterances"]
        steps = [begin(conv, inspector, body | {"utterances": utterances[:3]})]
        for raw in utterances[3:]:
            message = parse({"type": "utterance", "utterance": raw}, conv.zone, 8000)
            assert isinstance(message, UtteranceIn)
            steps.append(conv.utterance(message))
        steps.append(conv.end())
        streamed = [r["finding"] for s in steps for r in s.replies if r["type"] == "finding"]
        key = lambda f: (f["rule_id"], f["utterance_index"], tuple(f["span"] or ()))  # noqa: E731
        assert sorted(streamed, key=key) == sorted((f.to_dict() for f in batch), key=key), body[
            "id"
        ]

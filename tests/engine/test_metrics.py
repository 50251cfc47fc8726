"""Conversation metrics on hand-built conversations, each value worked out by hand."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from hegui.engine.metrics import measure
from hegui.engine.model import Conversation, Utterance


def u(role: str, text: str, start: float, end: float) -> Utterance:
    return Utterance(role, text, start=start, end=end)


# Speech: [0,2] [2.5,6] … [20,23] [25,26]; hold 6–16 (system line); quiet: 0.5, 4, 2 s.
CALL = Conversation(
    "call",
    (
        u("agent", "您好，请问有什么可以帮您？", 0.0, 2.0),  # 11 spoken characters
        u("customer", "我想查询账户余额", 2.5, 5.5),  # 8
        u("agent", "好的", 5.0, 6.0),  # starts 0.5 s before the customer ends
        u("system", "通话保持中", 6.0, 16.0),
        u("agent", "让您久等了", 20.0, 22.0),  # 5
        u("customer", "没关系 谢谢", 21.5, 23.0),  # 5, over the agent by 0.5 s
        u("agent", "再见", 25.0, 26.0),  # 2
    ),
    channel="phone",
)


def test_a_call_measured_exactly() -> None:
    m = measure(CALL)
    assert m.utterances == 7
    assert m.duration == 26.0
    assert m.talk_agent == 6.0 and m.talk_customer == 4.5
    assert m.talk_ratio_agent == pytest.approx(6.0 / 10.5)
    assert m.talk_ratio_customer == pytest.approx(4.5 / 10.5)
    assert m.longest_silence == 4.0  # 6–20 less the hold 6–16
    assert (m.interruptions_agent, m.interruption_seconds_agent) == (1, 0.5)
    assert (m.interruptions_customer, m.interruption_seconds_customer) == (1, 0.5)
    assert m.speech_rate_agent == pytest.approx(20 / 6.0)
    assert m.speech_rate_customer == pytest.approx(13 / 4.5)
    # Customer ends 5.5, agent answers at 5.0 (over it): 0; customer ends 23, agent at 25: 2.
    assert (m.first_response, m.average_response, m.responses) == (0.0, 1.0, 2)
    assert m.hold_seconds == 10.0 and m.hold_share == pytest.approx(10 / 26)
    assert m.dead_air_seconds == 4.0 and m.dead_air_share == pytest.approx(4 / 26)


def test_hold_from_metadata_equals_a_system_line() -> None:
    lines = tuple(x for x in CALL.utterances if x.role != "system")
    for holds in ([[6, 16]], [{"start": 6, "end": 16}]):
        m = measure(Conversation("c", lines, metadata={"holds": holds}))
        assert (m.hold_seconds, m.longest_silence, m.dead_air_seconds) == (10.0, 4.0, 4.0)
    bare = measure(Conversation("c", lines, metadata={"holds": ["x", [3, 1], True]}))
    assert (bare.hold_seconds, bare.longest_silence, bare.dead_air_seconds) == (0.0, 14.0, 14.0)


def test_dead_air_threshold_is_a_parameter() -> None:
    assert measure(CALL, dead_air_seconds=2.0).dead_air_seconds == 6.0  # 4 + 2
    assert measure(CALL, dead_air_seconds=5.0).dead_air_seconds == 0.0


def test_a_chat_on_wall_clock_times() -> None:
    t0 = datetime(2025, 1, 6, 10, 0, tzinfo=UTC)

    def at(role: str, seconds: int) -> Utterance:
        return Utterance(role, "……", at=t0 + timedelta(seconds=seconds))

    chat = Conversation(
        "chat",
        (
            at("customer", 0),  # waiting from here
            at("customer", 20),  # still the same wait
            at("agent", 60),
            at("bot", 70),  # a bot is not the agent's answer
            at("customer", 120),
            at("agent", 150),
        ),
    )
    m = measure(chat)
    assert (m.first_response, m.average_response, m.responses) == (60.0, 45.0, 2)
    assert m.duration == 150.0
    assert m.talk_agent is None and m.longest_silence is None and m.hold_share is None
    assert m.interruptions_agent is None and m.speech_rate_agent is None


def test_no_timestamps_leave_every_timed_metric_null() -> None:
    m = measure(Conversation("x", (Utterance("agent", "您好"), Utterance("customer", "你好"))))
    assert m.utterances == 2
    assert all(value is None for key, value in m.to_dict().items() if key != "utterances")


def test_a_customer_never_answered_and_an_empty_conversation() -> None:
    m = measure(Conversation("x", (u("agent", "您好", 0, 1), u("customer", "喂", 2, 3))))
    assert (m.first_response, m.average_response, m.responses) == (None, None, 0)
    assert measure(Conversation("e")).to_dict()["utterances"] == 0


def test_interruptions_stay_linear_on_long_calls() -> None:
    # 20,000 lines, each agent line starting 0.1 s before the customer's ends.
    lines = []
    for i in range(10_000):
        lines.append(u("customer", "嗯", 2.0 * i, 2.0 * i + 1.0))
        lines.append(u("agent", "好", 2.0 * i + 0.9, 2.0 * i + 1.5))
    m = measure(Conversation("long", tuple(lines)))
    assert m.interruptions_agent == 10_000
    assert m.interruption_seconds_agent == pytest.approx(1000.0)

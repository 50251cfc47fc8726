"""Streaming equals batch, on the shipped packs, with generated conversations."""

from __future__ import annotations

from functools import lru_cache

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hegui.engine.library import RuleLibrary
from hegui.engine.model import Conversation, Finding, Utterance
from hegui.engine.rules import schema as s
from hegui.engine.session import Session, inspect
from hegui.models import semantic_model
from hegui.packs import available_packs, load_rules, taxonomy


@lru_cache(maxsize=2)
def shipped(backend: str = "auto") -> RuleLibrary:
    return RuleLibrary(
        load_rules(available_packs()), taxonomy(), backend=backend, semantic=semantic_model()
    )


@lru_cache(maxsize=1)
def phrases() -> list[str]:
    out: list[str] = []
    for packed in load_rules(available_packs()):
        for example in packed.spec.examples.match + packed.spec.examples.no_match:
            if isinstance(example, str):
                out.append(example)
            elif isinstance(example, s.SingleUtteranceExample):
                out.append(example.text)
    return sorted(set(out))


def key(f: Finding) -> tuple:
    index = -1 if f.utterance_index is None else f.utterance_index
    return (index, f.span or (-1, -1), f.rule_id, f.message, f.related)


TEXTS = st.sampled_from(phrases())


@st.composite
def conversations(draw: st.DrawFn) -> Conversation:
    n = draw(st.integers(1, 10))
    t = 0.0
    utts = []
    for _ in range(n):
        role = draw(st.sampled_from(["agent", "customer", "agent", "bot"]))
        text = draw(TEXTS)
        gap = draw(st.floats(0, 15))
        length = draw(st.floats(0.2, 6))
        timed = draw(st.booleans())
        start, end = (t + gap, t + gap + length) if timed else (None, None)
        utts.append(Utterance(role, text, start, end))
        t += gap + length
    channel = draw(st.sampled_from(["phone", "chat", "wecom"]))
    industry = draw(st.sampled_from(["securities", "banking", "insurance", "lending", None]))
    meta = draw(st.sampled_from([{}, {"product_risk": "R4", "customer_risk": "C2"}]))
    return Conversation("gen", tuple(utts), channel, industry, meta)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(conversations())
def test_streaming_equals_batch(conversation: Conversation) -> None:
    library = shipped()
    batch = inspect(library, conversation)
    session = Session(library, conversation)
    live: list[Finding] = []
    for k, utterance in enumerate(conversation.utterances):
        emitted = session.feed(utterance)
        for finding in emitted:
            assert finding.utterance_index is None or finding.utterance_index <= k
        live.extend(emitted)
    live.extend(session.close())
    assert sorted(map(key, live)) == sorted(map(key, batch))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(conversations(), st.integers(1, 9))
def test_live_findings_are_never_retracted(conversation: Conversation, cut: int) -> None:
    library = shipped()
    full = set(map(key, inspect(library, conversation)))
    session = Session(library, conversation)
    for utterance in conversation.utterances[:cut]:
        for finding in session.feed(utterance):
            assert key(finding) in full


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(conversations())
def test_backends_give_identical_findings(conversation: Conversation) -> None:
    import pytest

    pytest.importorskip("hyperscan")
    a = inspect(shipped("hyperscan"), conversation)
    b = inspect(shipped("portable"), conversation)
    assert list(map(key, a)) == list(map(key, b))

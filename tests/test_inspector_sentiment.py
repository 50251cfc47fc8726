"""The sentiment model's findings in the Inspector: off by default, on by option."""

from __future__ import annotations

import pytest

from hegui.engine.model import Conversation, Utterance
from hegui.inspector import EngineConfig, Inspector, SentimentConfig, sentiment_config

CONV = Conversation(
    id="s1",
    utterances=(
        Utterance("customer", "你好 我想问一下我的账单"),
        Utterance("agent", "您好 请提供一下您的卡号"),
        Utterance("customer", "嗯 尾号是三五七八"),
        Utterance("agent", "系统显示就是这样 我也没办法"),
        Utterance("customer", "什么叫没办法 你们乱扣我的钱还有理了"),
        Utterance("agent", "你是听不懂人话吗 脑子有病吧"),
        Utterance("customer", "气死我了 你们这什么破服务 我要投诉你们 把钱退回来"),
    ),
)


def model_findings(inspector: Inspector) -> list[tuple[str, int | None]]:
    return [
        (f.rule_id, f.utterance_index)
        for f in inspector.inspect(CONV)
        if f.detector == "model" and f.rule_id.startswith("model.sentiment.")
    ]


def test_off_by_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("HEGUI_SENTIMENT", raising=False)
    assert model_findings(Inspector.build()) == []
    assert sentiment_config(EngineConfig()) is None


def test_setting_turns_it_on_and_false_keeps_it_off(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HEGUI_SENTIMENT", "1")
    assert sentiment_config(EngineConfig()) == SentimentConfig()
    assert sentiment_config(EngineConfig(sentiment=False)) is None


# Keyword packs only: the semantic pack's intent model already reads utterance 4 as a
# negative customer, and the sentiment model defers to any rule of the same category.
KEYWORD_PACKS = ["general", "privacy", "service"]


def test_on_adds_model_findings_beside_the_rules() -> None:
    inspector = Inspector.build(
        packs=KEYWORD_PACKS, sentiment=SentimentConfig(customer_negative=0.8, rude=0.6)
    )
    findings = inspector.inspect(CONV)
    model = [f for f in findings if f.detector == "model"]
    assert any(f.rule_id.startswith("model.sentiment.") for f in model)
    for f in model:
        assert f.score is not None and 0 < f.score <= 1 and f.evidence
    # the trajectory: the customer ends far angrier than they began
    assert ("model.sentiment.complaint_escalation", 6) in [
        (f.rule_id, f.utterance_index) for f in findings
    ] or any(f.category == "service.complaint_escalation" and f.detector is None for f in findings)
    # never a model finding where a rule made one of the same category on that utterance
    ruled = {(f.category, f.utterance_index) for f in findings if f.detector is None}
    assert not [f for f in model if (f.category, f.utterance_index) in ruled]


def test_live_session_gives_the_same_model_findings() -> None:
    inspector = Inspector.build(
        packs=KEYWORD_PACKS, sentiment=SentimentConfig(customer_negative=0.8, rude=0.6)
    )
    live = inspector.session(CONV)
    found = [f for u in CONV.utterances for f in live.feed(u)] + live.close()
    key = sorted((f.rule_id, f.utterance_index or -1) for f in found if f.detector == "model")
    batch = sorted(
        (f.rule_id, f.utterance_index or -1)
        for f in inspector.inspect(CONV)
        if f.detector == "model"
    )
    assert key == batch


def test_thresholds_are_validated() -> None:
    with pytest.raises(ValueError):
        SentimentConfig(rude=0)

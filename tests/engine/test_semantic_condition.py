"""The `semantic:` condition, the model's second opinion, and the findings' score."""

from __future__ import annotations

import textwrap
import threading
from collections.abc import Mapping
from pathlib import Path

import pytest

from hegui.engine.library import ModelOpinion, PackedRule, RuleError, RuleLibrary
from hegui.engine.session import Session, inspect
from hegui.engine.textmodel import SEMANTIC_INTENTS
from hegui.packs import PackError, load_pack_text, taxonomy
from hegui.packs.lint import lint_sources
from tests.conftest import EXAMPLES, conv


class PhraseScorer:
    """An IntentScorer for tests: an intent scores 0.95 when one of its phrases is in the
    compact text, 0.6 for a 'weak' phrase, else 0.05. Counts the utterances it scores."""

    name = "phrases"

    def __init__(self, phrases: Mapping[str, tuple[str, ...]], weak: Mapping[str, str] = {}):
        self.phrases, self.weak = phrases, weak
        self.scored: list[str] = []
        self.lock = threading.Lock()

    @property
    def intents(self) -> frozenset[str]:
        return frozenset(SEMANTIC_INTENTS)

    def score(self, text: str, compact: str) -> Mapping[str, float]:
        with self.lock:
            self.scored.append(text)
        out = {}
        for intent in SEMANTIC_INTENTS:
            hit = any(p in compact for p in self.phrases.get(intent, ()))
            weak = self.weak.get(intent)
            out[intent] = 0.95 if hit else 0.6 if weak and weak in compact else 0.05
        return out


def scorer() -> PhraseScorer:
    return PhraseScorer(
        {
            "compliance.guarantee_return": ("稳稳的", "亏不了", "保本"),
            "service.customer_negative": ("受够了",),
        },
        {"compliance.guarantee_return": "应该还行"},
    )


def library(rules: str, model: PhraseScorer | None, **kw: object) -> RuleLibrary:
    text = "pack: t\nrules:\n" + textwrap.indent(textwrap.dedent(rules), "  ")
    spec = load_pack_text(text, "<test>")
    return RuleLibrary(
        [PackedRule("t", r) for r in spec.rules],
        taxonomy(),
        semantic=model,
        **kw,  # type: ignore[arg-type]
    )


SEMANTIC_RULE = f"""
- id: t.sem.promise
  category: compliance.guarantee_return
  message: m
  when: {{semantic: {{intent: compliance.guarantee_return, min_score: 0.8, min_chars: 1}}}}
  examples:
    {EXAMPLES}
"""
KEYWORD_RULE = f"""
- id: t.kw.promise
  category: compliance.guarantee_return
  message: m
  when: {{keywords: [保本]}}
  examples:
    {EXAMPLES}
"""


def test_fires_with_the_score_on_the_whole_utterance() -> None:
    lib = library(SEMANTIC_RULE, scorer())
    found = inspect(lib, conv(("agent", " 年化六个点稳稳的 "), ("agent", "您好")))
    assert [(f.rule_id, f.utterance_index, f.span) for f in found] == [("t.sem.promise", 0, (1, 9))]
    assert found[0].score == pytest.approx(0.95)
    assert found[0].to_dict()["score"] == pytest.approx(0.95)
    assert "detector" not in found[0].to_dict()


def test_min_score_and_shorthand() -> None:
    weak = conv(("agent", "收益应该还行"))
    assert inspect(library(SEMANTIC_RULE, scorer()), weak) == []
    low = SEMANTIC_RULE.replace("min_score: 0.8,", "min_score: 0.5,")
    assert len(inspect(library(low, scorer()), weak)) == 1
    short = SEMANTIC_RULE.replace(
        "{intent: compliance.guarantee_return, min_score: 0.8, min_chars: 1}",
        "compliance.guarantee_return",
    )
    lib = library(short, scorer())
    assert inspect(lib, conv(("agent", "这个理财收益应该还行吧"))) == []  # default min_score 0.8
    assert len(inspect(lib, conv(("agent", "您放心 这个理财是亏不了的")))) == 1
    model = scorer()
    lib = library(short, model)
    assert inspect(lib, conv(("agent", "放心 亏不了的"))) == []  # 6 chars: below min_chars 8
    assert model.scored == []  # and never scored


def test_scored_once_per_utterance_and_only_in_scope() -> None:
    model = scorer()
    two = SEMANTIC_RULE + SEMANTIC_RULE.replace("t.sem.promise", "t.sem.other")
    lib = library(two, model, dedupe=False)
    found = inspect(lib, conv(("agent", "稳稳的"), ("customer", "真的吗"), ("agent", "对")))
    assert len(found) == 2  # both rules fire on utterance 0
    assert model.scored == ["稳稳的", "对"]  # once each, and never the customer's turn


def test_keyword_and_semantic_on_one_utterance_give_one_finding() -> None:
    lib = library(KEYWORD_RULE + SEMANTIC_RULE, scorer())
    found = inspect(lib, conv(("agent", "这个产品保本的 稳稳的"), ("agent", "亏不了")))
    assert [(f.rule_id, f.utterance_index) for f in found] == [
        ("t.kw.promise", 0),
        ("t.sem.promise", 1),
    ]
    assert found[0].score is None


def test_joined_segments_are_not_scored_as_an_utterance() -> None:
    model = scorer()
    lib = library(SEMANTIC_RULE, model)
    found = inspect(lib, conv(("agent", "这个稳"), ("agent", "稳的")))  # 稳稳 only when joined
    assert found == []
    assert model.scored == ["这个稳", "稳的"]


def test_combines_with_keywords_in_all() -> None:
    rule = SEMANTIC_RULE.replace(
        "when: {semantic: {intent: compliance.guarantee_return, min_score: 0.8, min_chars: 1}}",
        "when: {all: [{keywords: [收益]}, {semantic: {intent: compliance.guarantee_return, min_chars: 1}}]}",
    )
    model = scorer()
    lib = library(rule, model)
    found = inspect(lib, conv(("agent", "收益稳稳的"), ("agent", "稳稳的")))
    assert [f.utterance_index for f in found] == [0]
    assert found[0].matched == "收益" and found[0].score == pytest.approx(0.95)
    assert model.scored == ["收益稳稳的"]  # the keyword gate: the other turn is not scored


def test_must_say_with_semantic_alternative() -> None:
    rule = f"""
- id: t.say.risk
  category: compliance.missing_risk_disclosure
  message: m
  after: {{keywords: [推荐您]}}
  must_say: {{any: [{{keywords: [投资有风险]}}, {{semantic: said.risk_warning}}]}}  # 8+ chars
  examples:
    {EXAMPLES}
"""
    model = PhraseScorer({"said.risk_warning": ("可能亏", "会波动")})
    lib = library(rule, model)
    said = conv(("agent", "推荐您这款基金"), ("agent", "净值会波动 本金也可能亏"))
    keyword = conv(("agent", "推荐您这款基金"), ("agent", "投资有风险"))
    silent = conv(("agent", "推荐您这款基金"), ("agent", "很多人买了"))
    assert inspect(lib, said) == [] and inspect(lib, keyword) == []
    assert [f.rule_id for f in inspect(lib, silent)] == ["t.say.risk"]
    # said by meaning BEFORE the trigger, in a turn with none of the rule's literals
    before = conv(("agent", "净值会波动 本金也可能亏"), ("agent", "推荐您这款基金"))
    assert inspect(lib, before) == []


def test_a_semantic_rule_needs_a_model_that_knows_its_intent() -> None:
    with pytest.raises(RuleError, match="intent model"):
        library(SEMANTIC_RULE, None)

    class Narrow(PhraseScorer):
        @property
        def intents(self) -> frozenset[str]:
            return frozenset({"service.rude"})

    with pytest.raises(RuleError, match="does not score"):
        library(SEMANTIC_RULE, Narrow({}))
    assert library(KEYWORD_RULE, None).semantic is None  # no semantic rule: no model needed


def test_unknown_intent_is_refused_with_its_line(tmp_path: Path) -> None:
    bad = SEMANTIC_RULE.replace(
        "compliance.guarantee_return, min", "compliance.guarantee_retrun, min"
    )
    with pytest.raises(PackError) as info:
        load_pack_text("pack: t\nrules:\n" + textwrap.indent(textwrap.dedent(bad), "  "), "x.yaml")
    assert "x.yaml:7" in str(info.value) and "guarantee_retrun" in str(info.value)
    folder = tmp_path / "rules"
    folder.mkdir()
    (folder / "mine.yaml").write_text(
        "pack: mine\nrules:\n" + textwrap.indent(textwrap.dedent(bad), "  "), "utf-8"
    )
    problems = [str(p) for p in lint_sources(rules_dirs=[folder]) if p.level == "error"]
    assert any("mine.yaml:7" in p and "未知语义意图" in p for p in problems)


def test_model_second_opinion() -> None:
    model = scorer()
    opinion = ModelOpinion(("compliance.guarantee_return", "service.customer_negative"), 0.9, 1)
    lib = library(KEYWORD_RULE, model, opinion=opinion)
    found = inspect(
        lib,
        conv(
            ("agent", "保本的"),
            ("agent", "稳稳的"),
            ("customer", "我受够了"),
            ("customer", "稳稳的"),
        ),
    )
    got = [(f.rule_id, f.utterance_index, f.detector) for f in found]
    assert got == [
        ("t.kw.promise", 0, None),  # the rule's finding wins over the model's on utterance 0
        ("model.compliance.guarantee_return", 1, "model"),
        ("model.service.customer_negative", 2, "model"),
    ]  # the customer's 稳稳的 is not an agent's promise
    assert found[1].score == pytest.approx(0.95) and found[1].to_dict()["detector"] == "model"
    assert found[1].severity == "high" and found[1].message.startswith("模型判定")


def test_model_opinion_is_checked() -> None:
    with pytest.raises(RuleError, match="classifier category"):
        library(KEYWORD_RULE, scorer(), opinion=ModelOpinion(("said.risk_warning",)))
    with pytest.raises(ValueError):
        ModelOpinion(("service.rude",), 1.5)


def test_live_feed_matches_batch() -> None:
    lib = library(KEYWORD_RULE + SEMANTIC_RULE, scorer())
    c = conv(("agent", "稳稳的"), ("customer", "哦"), ("agent", "保本 亏不了"))
    session = Session(lib, c)
    live = [f for u in c.utterances for f in session.feed(u)] + session.close()
    assert live == inspect(lib, c)

"""`explain`: the findings a rule makes on a conversation and, both ways, why."""

from __future__ import annotations

import re

import pytest

from hegui.engine.explain import Explanation, explain
from hegui.engine.library import PackedRule, RuleLibrary
from hegui.packs import load_pack_text, taxonomy
from tests.conftest import conv
from tests.engine.test_semantic_condition import scorer

EX = "  examples: {match: [a, b, c], no_match: [d, e, f]}"


def lib(body: str, semantic: bool = False) -> RuleLibrary:
    body = re.sub(r"^(- id: .*)$", r"\1\n" + EX, body, flags=re.M)
    text = "pack: t\nrules:\n" + "\n".join("  " + line for line in body.strip().splitlines())
    spec = load_pack_text(text, "<test>")
    packed = [PackedRule("t", r) for r in spec.rules]
    return RuleLibrary(packed, taxonomy(), semantic=scorer() if semantic else None)


BAOBEN = lib(
    """
- id: t.p.baoben
  category: compliance.guarantee_return
  message: 承诺保本
  message_en: Promised principal protection
  scope: {roles: [agent]}
  when: {keywords: [保本], except: [投保本人]}
"""
)


def codes(result: Explanation) -> list[str]:
    return [r.code for r in result.reasons]


def test_a_keyword_hit_fires_and_says_what_matched() -> None:
    result = explain(BAOBEN, "t.p.baoben", conv(("agent", "这个产品是保本的")))
    [finding] = result.fired
    assert finding.matched == "保本"
    assert codes(result) == ["matched"]
    assert "保本" in result.reasons[0].zh and "matches '保本'" in result.reasons[0].en
    [trace] = result.utterances
    [(name, node)] = trace.conditions
    assert name == "when" and node.holds and node.kind == "keywords"


@pytest.mark.parametrize(
    ("role", "text", "code", "words"),
    [
        ("agent", "您好 请问有什么可以帮您", "keyword_absent", "保本"),
        ("agent", "这个产品不保本 有亏损可能", "negated", "不"),
        ("agent", "需要投保本人签字", "exception", "投保本人"),
        ("customer", "这个产品保本吗", "role_out_of_scope", "customer"),
    ],
)
def test_why_a_rule_did_not_fire(role: str, text: str, code: str, words: str) -> None:
    result = explain(BAOBEN, "t.p.baoben", conv((role, text)))
    assert result.fired == ()
    assert code in codes(result), result.reasons
    reason = next(r for r in result.reasons if r.code == code)
    assert words in reason.zh and words in reason.en
    assert reason.utterance_index == 0


SILIAO = lib(
    """
- id: t.c.siliao
  category: privacy.private_channel
  message: 私聊
  message_en: Private chat
  scope: {roles: [agent]}
  when: {keywords: [私聊, 保本], negation: false, except: [隐私聊]}
"""
)


@pytest.mark.parametrize(
    ("text", "fires"),
    [
        ("具体的咱们私聊", True),
        ("私，聊", True),  # punctuation typed into a word to dodge it: still the word
        ("我们私。聊吧", True),
        ("您放心这款是保。本的产品", True),
        ("为保护您的隐私，聊天里只显示部分信息", False),  # a word a mark really splits: except
    ],
)
def test_punctuation_does_not_split_a_keyword(text: str, fires: bool) -> None:
    result = explain(SILIAO, "t.c.siliao", conv(("agent", text)))
    assert bool(result.fired) is fires, result.reasons


def test_a_conversation_out_of_scope_is_named() -> None:
    library = lib(
        """
- id: t.p.chat
  category: compliance.guarantee_return
  message: 承诺保本
  scope: {roles: [agent], channels: [chat]}
  when: {keywords: [保本]}
"""
    )
    result = explain(library, "t.p.chat", conv(("agent", "保本的")))
    assert codes(result) == ["conversation_out_of_scope"]
    assert "phone" in result.reasons[0].en and "chat" in result.reasons[0].en


def test_semantic_score_below_threshold_and_short_text() -> None:
    library = lib(
        """
- id: t.s.promise
  category: compliance.guarantee_return
  message: 语义承诺
  scope: {roles: [agent]}
  when: {semantic: {intent: compliance.guarantee_return, min_score: 0.8}}
""",
        semantic=True,
    )
    low = explain(library, "t.s.promise", conv(("agent", "收益是浮动的 具体看市场表现")))
    assert codes(low) == ["semantic_below"]
    assert "0.05" in low.reasons[0].en and "0.8" in low.reasons[0].en
    short = explain(library, "t.s.promise", conv(("agent", "好的")))
    assert codes(short) == ["semantic_short"]
    high = explain(library, "t.s.promise", conv(("agent", "放心吧 这个稳稳的 亏不了")))
    assert codes(high) == ["semantic_matched"] and high.fired[0].score == pytest.approx(0.95)


def test_none_and_near_are_explained() -> None:
    library = lib(
        """
- id: t.p.none
  category: compliance.guarantee_return
  message: 承诺
  scope: {roles: [agent]}
  when: {all: [{keywords: [保本]}, {none: [{keywords: [演示]}]}]}
- id: t.p.near
  category: compliance.guarantee_return
  message: 承诺
  scope: {roles: [agent]}
  when: {near: [{keywords: [收益]}, {keywords: [保证]}], within: 2}
"""
    )
    excluded = explain(library, "t.p.none", conv(("agent", "这是演示 保本的")))
    assert codes(excluded) == ["excluded"] and "演示" in excluded.reasons[0].zh
    far = explain(library, "t.p.near", conv(("agent", "收益这个东西呢我们都尽量保证")))
    assert codes(far) == ["too_far"]


def test_must_say_trigger_absent_obligation_met_and_missing() -> None:
    library = lib(
        """
- id: t.d.warn
  category: compliance.missing_risk_disclosure
  message: 未提示风险
  scope: {roles: [agent]}
  after: {keywords: [推荐您]}
  within_turns: 2
  must_say: {keywords: [投资有风险]}
"""
    )
    rid = "t.d.warn"
    assert codes(explain(library, rid, conv(("agent", "您好")))) == ["trigger_absent"]
    met = explain(library, rid, conv(("agent", "推荐您这款"), ("agent", "投资有风险")))
    assert codes(met) == ["obligation_met"] and met.reasons[0].utterance_index == 1
    missing = explain(
        library, rid, conv(("agent", "推荐您这款"), ("agent", "好的"), ("agent", "嗯"))
    )
    assert codes(missing) == ["fired"] and "投资有风险" in missing.reasons[0].zh


def test_sequence_order_kept_and_broken() -> None:
    library = lib(
        """
- id: t.s.order
  category: compliance.suitability
  message: 未测评先推荐
  scope: {roles: [agent]}
  sequence:
    - keywords: [风险测评]
    - keywords: [推荐您买]
"""
    )
    rid = "t.s.order"
    kept = explain(library, rid, conv(("agent", "先做风险测评"), ("agent", "推荐您买这款")))
    assert codes(kept) == ["order_kept"]
    absent = explain(library, rid, conv(("agent", "先做风险测评")))
    assert codes(absent) == ["step_absent"]
    broken = explain(library, rid, conv(("agent", "推荐您买这款")))
    assert codes(broken) == ["matched"] and broken.fired


def test_count_below_and_timing_without_timestamps() -> None:
    library = lib(
        """
- id: t.c.push
  category: service.impatient
  message: 反复催促
  scope: {roles: [agent]}
  count: {condition: {keywords: [快点]}, at_least: 2}
- id: t.t.silence
  category: service.long_silence
  message: 静音
  scope: {roles: [agent]}
  silence: {min_seconds: 5}
"""
    )
    once = explain(library, "t.c.push", conv(("agent", "快点")))
    assert codes(once) == ["count_below"] and "1" in once.reasons[0].en
    untimed = explain(library, "t.t.silence", conv(("agent", "您好")))
    assert codes(untimed) == ["no_timestamps"]
    timed = explain(
        library, "t.t.silence", conv(("agent", "您好", 0.0, 1.0), ("agent", "在", 2.0, 3.0))
    )
    assert codes(timed) == ["within_limit"]


def test_a_rule_the_library_lacks_is_a_key_error() -> None:
    with pytest.raises(KeyError):
        explain(BAOBEN, "t.p.nope", conv(("agent", "保本")))

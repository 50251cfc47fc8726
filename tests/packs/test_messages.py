"""Finding messages: Chinese first, English alongside — for every shipped rule and every kind."""

from __future__ import annotations

import re
import textwrap
from functools import lru_cache

from hegui.engine.library import PackedRule, RuleLibrary
from hegui.engine.rules.schema import RULE_KINDS
from hegui.engine.session import inspect
from hegui.lexicon import default_lexicon
from hegui.models import semantic_model
from hegui.packs import (
    available_packs,
    load_pack_file,
    load_pack_text,
    shipped_path,
    taxonomy,
)
from hegui.packs.lint import lint_rules
from hegui.packs.testing import example_conversation, switched_on
from tests.conftest import conv, library_from_yaml

LATIN = re.compile(r"[A-Za-z]{2,}")
EX = "  examples: {match: [a, b, c], no_match: [d, e, f]}"


@lru_cache(maxsize=1)
def shipped() -> tuple[list[PackedRule], dict[str, list[str]]]:
    rules: list[PackedRule] = []
    industries: dict[str, list[str]] = {}
    for name in available_packs():
        spec = load_pack_file(shipped_path(name))
        industries[name] = list(spec.industries)
        rules.extend(PackedRule(name, r) for r in spec.rules)
    return rules, industries


def test_every_shipped_rule_has_an_english_message() -> None:
    rules, _ = shipped()
    missing = [
        r.spec.id for r in rules if not r.spec.message_en or not LATIN.search(r.spec.message_en)
    ]
    assert missing == []
    warned = [p for p in lint_rules(rules, taxonomy()) if "message_en" in p.message]
    assert warned == []


def test_every_shipped_finding_says_chinese_then_english() -> None:
    """The first match example of every rule: its finding's message starts with the Chinese
    message and carries the English one, whatever the kind adds (expected words, seconds)."""
    rules, industries = shipped()
    library = RuleLibrary(
        switched_on(rules),
        taxonomy(),
        lexicon=default_lexicon(),
        dedupe=False,
        semantic=semantic_model(),
    )
    kinds_seen: set[str] = set()
    wrong = []
    for item in rules:
        spec = item.spec
        example = example_conversation(
            spec, spec.examples.match[0], industries[item.pack], f"msg-{spec.id}"
        )
        found = [f for f in inspect(library, example) if f.rule_id == spec.id]
        assert found, spec.id
        for finding in found:
            zh_first = finding.message.startswith(spec.message)
            en_after = f" / {spec.message_en}" in finding.message[len(spec.message) :]
            if not (zh_first and en_after):
                wrong.append((spec.id, finding.message))
        kinds_seen.add(spec.kind)
    assert wrong == []
    assert kinds_seen == set(RULE_KINDS)


def with_examples(body: str) -> str:
    """Rules in YAML; every rule gets placeholder examples (these tests check messages)."""
    return re.sub(r"^(- id: .*)$", r"\1\n" + EX, textwrap.dedent(body), flags=re.M)


def lib(body: str) -> RuleLibrary:
    return library_from_yaml(with_examples(body))


def test_composed_messages_put_the_chinese_detail_before_the_english() -> None:
    library = lib(
        """
- id: t.d.risk
  category: compliance.missing_risk_disclosure
  message: 未提示风险
  message_en: No risk warning
  after: {keywords: [推荐您]}
  within_turns: 1
  must_say: {keywords: [投资有风险]}
- id: t.t.silence
  category: service.long_silence
  message: 静音
  message_en: Long silence
  scope: {roles: [agent]}
  silence: {min_seconds: 10}
"""
    )
    found = inspect(library, conv(("agent", "推荐您这款", 0.0, 1.0), ("agent", "好的", 20.0, 21.0)))
    messages = sorted(f.message for f in found)
    assert messages == [
        "未提示风险（应第0句之后在1轮内说明：投资有风险） / "
        "No risk warning (expected within 1 turns after utterance 0)",
        "静音（静默19.0秒） / Long silence (silent 19.0 s)",
    ]


def test_rule_without_english_keeps_a_bilingual_detail_and_is_warned() -> None:
    body = """
- id: t.c.threat
  category: compliance.collection_abuse
  message: 反复威胁
  source: 测试
  count: {condition: {keywords: [后果自负]}, at_least: 2}
- id: t.p.baoben
  category: compliance.guarantee_return
  message: 承诺保本
  message_en: Promised principal protection
  source: 测试
  when: {keywords: [保本]}
"""
    library = lib(body)
    found = inspect(library, conv(("agent", "后果自负"), ("agent", "后果自负 保本的")))
    assert sorted(f.message for f in found) == [
        "反复威胁（第2次 / 2 times）",
        "承诺保本 / Promised principal protection",
    ]
    pack = "pack: t\nrules:\n" + textwrap.indent(with_examples(body), "  ")
    specs = load_pack_text(pack, "<test>").rules
    problems = lint_rules([PackedRule("t", r) for r in specs], taxonomy())
    assert [(p.level, p.rule_id) for p in problems] == [("warning", "t.c.threat")]
    assert "message_en" in problems[0].message

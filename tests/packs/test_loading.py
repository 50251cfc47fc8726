from __future__ import annotations

from pathlib import Path

import pytest

from hegui.engine.library import PackedRule, RuleError, RuleLibrary
from hegui.packs import PackError, load_pack_text, load_rules, packs_for_industry, taxonomy

GOOD_RULE = """
  - id: x.a.b
    category: compliance.guarantee_return
    message: m
    when: {keywords: [保本]}
    examples: {match: [保本, 保本的, 是保本], no_match: [a, b, c]}
"""


def test_yaml_syntax_error_names_the_line() -> None:
    with pytest.raises(PackError, match=r"(?s)<t>:4: YAML .*line 3"):
        load_pack_text("pack: x\nrules:\n  - id: [unclosed\n", "<t>")


def test_schema_error_names_line_rule_and_field() -> None:
    text = (
        "pack: x\nrules:"
        + GOOD_RULE
        + "  - id: x.a.c\n    category: compliance.guarantee_return\n    message: m\n    when: {keywords: []}\n    examples: {match: [a], no_match: [b]}\n"
    )
    with pytest.raises(PackError) as info:
        load_pack_text(text, "<t>")
    message = str(info.value)
    assert "[x.a.c]" in message and "rules.1.when" in message and "<t>:" in message


def test_rule_needs_exactly_one_kind() -> None:
    text = "pack: x\nrules:" + GOOD_RULE.replace(
        "when: {keywords: [保本]}", "when: {keywords: [保本]}\n    must_say: {keywords: [a]}"
    )
    with pytest.raises(PackError, match="exactly one of"):
        load_pack_text(text, "<t>")


def test_unknown_category_and_duplicate_ids_are_refused() -> None:
    spec = load_pack_text("pack: x\nrules:" + GOOD_RULE, "<t>")
    rule = spec.rules[0]
    with pytest.raises(RuleError, match="duplicate"):
        RuleLibrary([PackedRule("x", rule), PackedRule("x", rule)], taxonomy())
    bad = rule.model_copy(update={"category": "compliance.nonexistent"})
    with pytest.raises(RuleError, match="unknown category"):
        RuleLibrary([PackedRule("x", bad)], taxonomy())


def test_rules_folder_and_industry_selection(tmp_path: Path) -> None:
    (tmp_path / "mine.yaml").write_text("pack: mine\nrules:" + GOOD_RULE, "utf-8")
    assert [r.spec.id for r in load_rules((), [tmp_path])] == ["x.a.b"]
    assert packs_for_industry("lending")[0] == "lending"
    assert "service" in packs_for_industry(None)
    with pytest.raises(PackError, match="unknown industry"):
        packs_for_industry("crypto")
    with pytest.raises(PackError, match="no such pack"):
        load_rules(["nope"])


def test_synonym_groups_expand_in_keywords_and_exceptions() -> None:
    text = """pack: x
synonyms:
  保证: [保证, 确保, 包]
  收益: [收益, 回报]
rules:
  - id: x.a.b
    category: compliance.guarantee_return
    message: m
    when: {all: [{keywords: ["{保证}{收益}"], except: ["不{保证}"]}]}
    examples: {match: [保证收益, 包回报, 确保收益], no_match: [a, b, c]}
"""
    rule = load_pack_text(text, "<t>").rules[0]
    leaf = rule.when.all[0]  # type: ignore[union-attr]
    assert sorted(leaf.keywords) == sorted(
        ["保证收益", "保证回报", "确保收益", "确保回报", "包收益", "包回报"]
    )
    assert leaf.except_ == ["不保证", "不确保", "不包"]
    with pytest.raises(PackError, match="unknown synonym group"):
        load_pack_text(text.replace("{保证}{收益}", "{担保}"), "<t>")

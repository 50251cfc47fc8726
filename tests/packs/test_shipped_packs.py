"""The shipped packs are code: every example runs, on both backends; coverage of the taxonomy."""

from __future__ import annotations

from collections import Counter
from functools import lru_cache
from pathlib import Path

import pytest
import yaml

from hegui.engine.library import PackedRule, RuleLibrary
from hegui.engine.model import Conversation, Utterance
from hegui.inspector import Inspector
from hegui.lexicon import default_lexicon
from hegui.models import semantic_model
from hegui.packs import (
    INDUSTRY_PACKS,
    SHIPPED,
    available_packs,
    load_pack_file,
    shipped_path,
    taxonomy,
)
from hegui.packs.lint import lint_sources
from hegui.packs.testing import run_examples, switched_on

SHARED_TAXONOMY = Path(__file__).resolve().parents[3] / "shared" / "spec" / "taxonomy.yaml"
# Owned by later work, per the engine issue: needs more than keywords.
LATER = {"service.customer_negative"}


@lru_cache(maxsize=1)
def packed() -> tuple[list[PackedRule], dict[str, list[str]]]:
    rules: list[PackedRule] = []
    industries: dict[str, list[str]] = {}
    for name in available_packs():
        spec = load_pack_file(shipped_path(name))
        assert spec.pack == name
        industries[name] = list(spec.industries)
        rules.extend(PackedRule(name, r) for r in spec.rules)
    return rules, industries


def test_every_shipped_pack_is_present() -> None:
    assert available_packs() == list(SHIPPED)


def test_at_least_300_rules_each_with_three_and_three_examples() -> None:
    rules, _ = packed()
    assert len(rules) >= 300
    for item in rules:
        assert len(item.spec.examples.match) >= 3, item.spec.id
        assert len(item.spec.examples.no_match) >= 3, item.spec.id


def test_every_taxonomy_category_has_rules() -> None:
    rules, _ = packed()
    counts = Counter(item.spec.category for item in rules)
    missing = [c for c in taxonomy().categories if counts[c] == 0 and c not in LATER]
    assert missing == []


def test_lint_has_no_errors() -> None:
    errors = [str(p) for p in lint_sources() if p.level == "error"]
    assert errors == []


@pytest.mark.parametrize("name", SHIPPED)
def test_pack_examples_pass(name: str, backend: str) -> None:
    rules, industries = packed()
    mine = [r for r in rules if r.pack == name]
    library = RuleLibrary(
        switched_on(rules),
        taxonomy(),
        backend=backend,
        lexicon=default_lexicon(),
        dedupe=False,
        semantic=semantic_model(),
    )
    reports = run_examples(mine, library, industries)
    failures = [(r.rule_id, f.expected, f.text) for r in reports for f in r.failures]
    assert failures == []


def test_compliance_rules_cite_their_source() -> None:
    rules, _ = packed()
    unsourced = [
        r.spec.id for r in rules if r.spec.category.startswith("compliance.") and not r.spec.source
    ]
    assert unsourced == []


def test_industries_select_existing_packs() -> None:
    for packs in INDUSTRY_PACKS.values():
        assert set(packs) <= set(SHIPPED)


@pytest.mark.skipif(not SHARED_TAXONOMY.exists(), reason="shared/spec not beside the checkout")
def test_packaged_taxonomy_is_the_shared_contract() -> None:
    ours = Path(str(shipped_path("x"))).parent.parent / "spec" / "taxonomy.yaml"
    assert yaml.safe_load(ours.read_text("utf-8")) == yaml.safe_load(
        SHARED_TAXONOMY.read_text("utf-8")
    )


@pytest.mark.parametrize(
    ("text", "fires"),
    [
        # the suitability veto: an outcome stated with no way around it is suitability done
        ("对 赵总 您现在的测评结果是C3 平衡型 这个产品是R4的 系统那边是卡着的 买不了", False),
        # ... but any workaround named after the refusal is a bypass (round 17's reviews)
        ("您测评是保守型 这款R5买不了 改天您再测一次 答案往高了填", True),
        ("您的测评是C1 这款R5 您可以买 系统提示不匹配 点忽略就可以", True),
    ],
)
def test_semantic_suitability_veto_keeps_workarounds(text: str, fires: bool) -> None:
    conversation = Conversation("c", (Utterance("agent", text),), "phone", industry="securities")
    found = {f.rule_id for f in _inspector().inspect(conversation)}
    assert ("semantic.compliance.suitability" in found) == fires, found


@lru_cache(maxsize=1)
def _inspector() -> Inspector:
    return Inspector.build(verdicts=False)

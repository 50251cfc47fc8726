"""What a pack must pass before it is published: it parses, its names are its own, every
changed rule has a higher version, and every rule's examples pass (rules are tested code).

Each failure is an `Invalid` naming the field (`text`, `pack`, `rules[3].version`).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from typing import Any

from hegui.catalog import ALL_SHIPPED
from hegui.engine.library import PackedRule, RuleError, RuleLibrary
from hegui.engine.rules.schema import PackSpec, RuleSpec
from hegui.errors import Invalid
from hegui.inspector import default_detector
from hegui.lexicon import default_lexicon
from hegui.models import semantic_model
from hegui.packs import PackError, taxonomy
from hegui.packs.source import ShippedPacks, parse_pack
from hegui.packs.testing import run_examples

MAX_TEXT = 1_000_000
MAX_RULE_ID = 100


def parsed(text: str) -> tuple[PackSpec, str]:
    if not text.strip():
        raise Invalid("text", "规则包为空 the pack is empty")
    if len(text) > MAX_TEXT:
        raise Invalid("text", f"规则包过大 the pack is larger than {MAX_TEXT} characters")
    try:
        spec, digest = parse_pack(text, "text")
    except PackError as exc:
        raise Invalid("text", str(exc)) from exc
    if spec.pack in ALL_SHIPPED:
        raise Invalid("pack", f"与内置规则包重名 {spec.pack!r} is a shipped pack's name")
    return spec, digest


def rule_digest(rule: RuleSpec) -> str:
    """What a rule says, without its version: changed content needs a new version."""
    body = rule.model_dump(mode="json", by_alias=True, exclude={"version"})
    text = json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def rule_table(spec: PackSpec) -> dict[str, Any]:
    return {r.id: {"version": r.version, "digest": rule_digest(r)} for r in spec.rules}


def check_names(spec: PackSpec, taken: Mapping[str, str]) -> None:
    """`taken`: rule id → the pack that has it (shipped, and other published packs)."""
    for i, rule in enumerate(spec.rules):
        if len(rule.id) > MAX_RULE_ID:
            raise Invalid(f"rules[{i}].id", f"编号过长 longer than {MAX_RULE_ID} characters")
        owner = taken.get(rule.id)
        if owner is not None and owner != spec.pack:
            raise Invalid(f"rules[{i}].id", f"编号已被规则包 {owner} 使用 {rule.id} is in {owner}")


def shipped_rule_ids() -> dict[str, str]:
    return {r.id: p.name for p in ShippedPacks(ALL_SHIPPED).packs() for r in p.spec.rules}


def check_versions(spec: PackSpec, history: Mapping[str, Mapping[str, Any]]) -> None:
    """`history`: rule id → its newest published {"version", "digest"}."""
    for i, rule in enumerate(spec.rules):
        before = history.get(rule.id)
        if before is None:
            continue
        field = f"rules[{i}].version"
        if rule.version < before["version"]:
            raise Invalid(
                field,
                f"版本不能回退 {rule.id}: version {rule.version} < published {before['version']}",
            )
        if rule.version == before["version"] and rule_digest(rule) != before["digest"]:
            raise Invalid(
                field,
                f"规则已修改，请提高版本 {rule.id} changed: raise its version above "
                f"{before['version']}",
            )


def check_examples(spec: PackSpec) -> None:
    packed = [PackedRule(spec.pack, rule) for rule in spec.rules]
    try:
        library = RuleLibrary(
            packed,
            taxonomy(),
            pii_detector=default_detector(),
            lexicon=default_lexicon(),
            semantic=semantic_model(),
        )
    except (RuleError, PackError) as exc:
        raise Invalid("rules", f"规则无法编译 rules do not compile: {exc}") from exc
    index = {rule.id: i for i, rule in enumerate(spec.rules)}
    for report in run_examples(packed, library, {spec.pack: list(spec.industries)}):
        if report.failures:
            failure = report.failures[0]
            raise Invalid(
                f"rules[{index[report.rule_id]}].examples",
                f"示例未通过 {report.rule_id}: {failure.expected} example {failure.number} "
                f"({failure.text!r}) fired {failure.fired}",
            )

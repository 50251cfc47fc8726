"""Static checks of rules beyond the schema: taxonomy ids, duplicates, examples, patterns."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from hegui.engine.library import PackedRule
from hegui.engine.match.atoms import required_atoms
from hegui.engine.rules import schema as s
from hegui.engine.rules.compiler import compact
from hegui.engine.taxonomy import Taxonomy

MIN_EXAMPLES = 3
_UNSUPPORTED = re.compile(r"\(\?[=!<]|\\[1-9]|\(\?P=")


@dataclass(frozen=True, slots=True)
class Problem:
    level: str  # "error" | "warning"
    rule_id: str
    message: str


def lint_rules(packed: Sequence[PackedRule], taxonomy: Taxonomy) -> list[Problem]:
    problems: list[Problem] = []
    counts = Counter(p.spec.id for p in packed)
    for rule_id, n in counts.items():
        if n > 1:
            problems.append(Problem("error", rule_id, f"重复编号 id used {n} times"))
    for item in packed:
        problems.extend(_lint_rule(item.spec, taxonomy))
    return problems


def _lint_rule(rule: s.RuleSpec, taxonomy: Taxonomy) -> Iterator[Problem]:
    def error(msg: str) -> Problem:
        return Problem("error", rule.id, msg)

    def warning(msg: str) -> Problem:
        return Problem("warning", rule.id, msg)

    if rule.category not in taxonomy:
        yield error(f"未知类别 unknown category {rule.category!r} (see taxonomy.yaml)")
    if len(rule.examples.match) < MIN_EXAMPLES:
        yield error(f"match 示例不足 needs ≥{MIN_EXAMPLES} match examples")
    if len(rule.examples.no_match) < MIN_EXAMPLES:
        yield error(f"no_match 示例不足 needs ≥{MIN_EXAMPLES} no_match examples")
    if rule.kind == "sequence" and rule.scope.deferred_scope():
        yield error("sequence 不支持 last/last_seconds 范围 (sequences are judged live)")
    if not rule.message_en:
        yield warning("缺少英文说明 no message_en: findings will show the Chinese message only")
    if rule.category.startswith("compliance.") and not rule.source:
        yield warning("合规规则缺少法规出处 compliance rule without a legal source")
    for cond in _conditions(rule):
        yield from _lint_condition(cond, error, warning)


def _conditions(rule: s.RuleSpec) -> Iterator[Any]:
    roots: list[Any] = [rule.when, rule.must_say, rule.after]
    roots += list(rule.sequence or [])
    if rule.count is not None:
        roots.append(rule.count.condition)
    stack = [r for r in roots if r is not None]
    while stack:
        node = stack.pop()
        yield node
        for attr in ("all", "any", "none", "near"):
            stack.extend(getattr(node, attr, None) or [])
        if isinstance(node, s.PreviousCond):
            stack.append(node.previous)


def _lint_condition(cond: Any, error: Any, warning: Any) -> Iterator[Problem]:
    if isinstance(cond, s.KeywordsCond):
        seen = Counter(compact(k) for k in cond.keywords)
        for keyword in cond.keywords:
            if not compact(keyword):
                yield error(f"关键词归一化后为空 keyword {keyword!r} is empty once normalised")
        for keyword, n in seen.items():
            if n > 1 and keyword:
                yield warning(
                    f"重复关键词 keyword {keyword!r} listed {n} times (after normalising)"
                )
    if isinstance(cond, s.RegexCond):
        for regex in cond.regex:
            if _UNSUPPORTED.search(regex):
                yield warning(f"正则含环视/反向引用 regex {regex!r} uses lookaround/backreferences")
            if required_atoms(regex) is None:
                yield warning(
                    f"正则无必含字面量，每句都要执行 regex {regex!r} has no required literal; "
                    "it runs on every utterance"
                )
            if any("A" <= ch <= "Z" for ch in regex.replace("\\A", "").replace("\\Z", "")):
                yield warning(
                    f"正则含大写字母，文本已小写 regex {regex!r} has capitals; text is lower-cased"
                )

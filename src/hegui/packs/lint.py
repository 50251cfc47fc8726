"""Static checks of rules beyond the schema: examples, scopes, sources, patterns.

`lint_sources` is what `hegui rules lint` reports: the errors of
`validate_rule_sources` (what would stop inspection) and these per-rule checks.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from hegui.engine.library import PackedRule
from hegui.engine.match.atoms import required_atoms
from hegui.engine.rules import schema as s
from hegui.engine.rules.compiler import compact
from hegui.engine.taxonomy import Taxonomy
from hegui.packs import LocatedPack, PackError, available_packs, load_located, pack_files
from hegui.packs.validate import Problem, validate_rule_sources

MIN_EXAMPLES = 3
# \w \W \b \B are ASCII-only in RE2: Chinese characters are not "word" characters there.
_ASCII_CLASSES = re.compile(r"(?<!\\)(?:\\\\)*\\[wWbB]")
_ESCAPES = re.compile(r"\\(?:[pPx]\{[^}]*\}|.)")  # \D, \p{Han}, \x{4E00}: not capitals

__all__ = ["Problem", "lint_packs", "lint_rules", "lint_sources"]


def lint_sources(
    rules_dirs: Iterable[Path] = (), packs: Sequence[str] | None = None
) -> list[Problem]:
    """Errors that would stop inspection, then per-rule errors and warnings, for your
    rules and the named shipped packs (all shipped packs when neither is given)."""
    rules_dirs = list(rules_dirs)
    problems = validate_rule_sources(rules_dirs, packs=packs)
    names = list(packs) if packs else ([] if rules_dirs else available_packs())
    try:
        loaded = [load_located(path) for path in pack_files(names, rules_dirs)]
    except PackError:
        return problems  # the same failure is among them
    return problems + lint_packs(loaded)


def lint_rules(packed: Sequence[PackedRule], taxonomy: Taxonomy) -> list[Problem]:
    """The per-rule checks, and ids and categories, of rules already in memory (no
    file positions: for files, `lint_sources` says where)."""
    counts = Counter(p.spec.id for p in packed)
    problems = [
        Problem("error", rule_id, f"重复编号 id used {n} times")
        for rule_id, n in counts.items()
        if n > 1
    ]
    for item in packed:
        if item.spec.category not in taxonomy:
            message = f"未知类别 unknown category {item.spec.category!r} (see taxonomy.yaml)"
            problems.append(Problem("error", item.spec.id, message))
        problems.extend(Problem(lvl, item.spec.id, msg) for lvl, msg in _lint_rule(item.spec))
    return problems


def lint_packs(loaded: Sequence[LocatedPack]) -> list[Problem]:
    problems: list[Problem] = []
    for pack in loaded:
        for index, rule in enumerate(pack.spec.rules):
            where = pack.where(index)
            problems.extend(
                Problem(level, rule.id, message, where) for level, message in _lint_rule(rule)
            )
    return problems


def _lint_rule(rule: s.RuleSpec) -> Iterator[tuple[str, str]]:
    if len(rule.examples.match) < MIN_EXAMPLES:
        yield "error", f"match 示例不足 needs ≥{MIN_EXAMPLES} match examples"
    if len(rule.examples.no_match) < MIN_EXAMPLES:
        yield "error", f"no_match 示例不足 needs ≥{MIN_EXAMPLES} no_match examples"
    if rule.kind == "sequence" and rule.scope.deferred_scope():
        yield "error", "sequence 不支持 last/last_seconds 范围 (sequences are judged live)"
    if not rule.message_en:
        yield "warning", "缺少英文说明 no message_en: findings will show the Chinese message only"
    if rule.category.startswith("compliance.") and not rule.source:
        yield "warning", "合规规则缺少法规出处 compliance rule without a legal source"
    for cond in _conditions(rule):
        yield from _lint_condition(cond)


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


def _lint_condition(cond: Any) -> Iterator[tuple[str, str]]:
    if isinstance(cond, s.KeywordsCond):
        yield from _lint_keywords(cond)
    if isinstance(cond, s.RegexCond):
        for regex in cond.regex:
            yield from _lint_regex(regex)


def _lint_keywords(cond: s.KeywordsCond) -> Iterator[tuple[str, str]]:
    seen = Counter(compact(k) for k in cond.keywords)
    for keyword in cond.keywords:
        if not compact(keyword):
            yield "error", f"关键词归一化后为空 keyword {keyword!r} is empty once normalised"
    for keyword, n in seen.items():
        if n > 1 and keyword:
            yield "warning", f"重复关键词 keyword {keyword!r} listed {n} times (after normalising)"


def _lint_regex(regex: str) -> Iterator[tuple[str, str]]:
    if _ASCII_CLASSES.search(regex):
        yield (
            "warning",
            (
                f"正则 {regex!r} 的 \\w \\b 只认 ASCII，中文不算 \\w \\W \\b \\B are ASCII-only "
                "in RE2; for Chinese use \\p{Han} or an explicit class"
            ),
        )
    if required_atoms(regex) is None:
        yield (
            "warning",
            (
                f"正则无必含字面量，每句都要执行 regex {regex!r} has no required literal; "
                "it runs on every utterance"
            ),
        )
    if any("A" <= ch <= "Z" for ch in _ESCAPES.sub("", regex)):
        yield (
            "warning",
            f"正则含大写字母，文本已小写 regex {regex!r} has capitals; text is lower-cased",
        )

"""Compile validated condition specs into `Cond` trees, collecting every text pattern."""

from __future__ import annotations

from typing import Any

from hegui.engine.match.atoms import required_atoms
from hegui.engine.normalise import normalise
from hegui.engine.pinyin import canonical
from hegui.engine.rules import conditions as c
from hegui.engine.rules import schema as s
from hegui.engine.rules.regex import RulePattern, compile_rule_regex


class PatternTable:
    """Deduplicated literals of the whole library, in the order the matcher compiles them."""

    def __init__(self) -> None:
        self.literals: list[str] = []
        self._index: dict[str, int] = {}
        self.leaf_count = 0
        self.uses_canonical = False

    def add(self, literal: str) -> int:
        found = self._index.get(literal)
        if found is None:
            found = self._index[literal] = len(self.literals)
            self.literals.append(literal)
        return found

    def compiled(self, regex: str) -> RulePattern:
        return compile_rule_regex(regex)  # memoised there: a pattern is compiled once

    def rank(self, ids: frozenset[int]) -> tuple[int, int]:
        """Selectivity of waking on these literals: longer shortest literal, then fewer."""
        return (min(len(self.literals[i]) for i in ids), -len(ids)) if ids else (0, 0)

    def next_leaf(self) -> int:
        self.leaf_count += 1
        return self.leaf_count


def compact(phrase: str) -> str:
    """A keyword in the form it is matched in: normalised and compact."""
    return normalise(phrase).text


def compile_condition(spec: Any, table: PatternTable) -> c.Cond:
    if isinstance(spec, s.KeywordsCond):
        return _keywords(spec, table)
    if isinstance(spec, s.RegexCond):
        return _regex(spec, table)
    if isinstance(spec, s.PiiCond):
        return c.PiiLeaf(spec.pii, spec.min_score)
    if isinstance(spec, s.SemanticCond):
        return c.SemanticLeaf(spec.semantic.intent, spec.semantic.min_score)
    if isinstance(spec, s.MetadataCond):
        return c.MetadataLeaf(spec.metadata, spec.op, spec.value, spec.field)
    if isinstance(spec, s.RoleCond):
        return c.RoleLeaf(spec.role)
    if isinstance(spec, s.PreviousCond):
        return c.PreviousCond(compile_condition(spec.previous, table), spec.within, spec.roles)
    if isinstance(spec, s.NearCond):
        a, b = (compile_condition(part, table) for part in spec.near)
        return c.NearCond(a, b, spec.within)
    if isinstance(spec, s.AllCond):
        return c.AllCond([compile_condition(p, table) for p in spec.all])
    if isinstance(spec, s.AnyCond):
        return c.AnyCond([compile_condition(p, table) for p in spec.any])
    if isinstance(spec, s.NoneCond):
        return c.NoneCond([compile_condition(p, table) for p in spec.none])
    raise TypeError(f"unknown condition {spec!r}")


def _keywords(spec: s.KeywordsCond, table: PatternTable) -> c.TextLeaf:
    verifiers: list[c.Verifier] = []
    for keyword in dict.fromkeys(compact(k) for k in spec.keywords):
        if not keyword:
            continue
        if spec.homophones and any("\u4e00" <= ch <= "\u9fff" for ch in keyword):
            sound = canonical(keyword)
            table.uses_canonical = True
            ids = frozenset([table.add(sound)])
            verifiers.append(c.Verifier(ids, sound, None, keyword, canonical=True))
        else:
            ids = frozenset([table.add(keyword)])
            verifiers.append(c.Verifier(ids, keyword, None, keyword))
    label = "keywords: " + ", ".join(spec.keywords)
    if spec.homophones:
        label += " (+homophones)"
    return c.TextLeaf(
        table.next_leaf(), verifiers, spec.negation, [compact(e) for e in spec.except_], label
    )


def _regex(spec: s.RegexCond, table: PatternTable) -> c.TextLeaf:
    verifiers = []
    for regex in spec.regex:
        atoms = required_atoms(regex)
        ids = frozenset(table.add(a) for a in atoms) if atoms else frozenset()
        verifiers.append(c.Verifier(ids, None, table.compiled(regex), regex))
    label = "regex: " + " | ".join(spec.regex)
    return c.TextLeaf(
        table.next_leaf(), verifiers, spec.negation, [compact(e) for e in spec.except_], label
    )

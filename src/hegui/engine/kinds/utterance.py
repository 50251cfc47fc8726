"""Rules judged per utterance: `when` (a condition holds), `count` (it holds N times)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from hegui.engine.kinds.base import Rule, RuleMeta, Scope, SessionContext
from hegui.engine.model import Finding
from hegui.engine.rules import conditions as c
from hegui.engine.rules import schema as s
from hegui.engine.rules.compiler import PatternTable, compile_condition


class WhenRule(Rule):
    kind = "when"

    def __init__(self, meta: RuleMeta, scope: Scope, cond: c.Cond, rank: c.Rank) -> None:
        super().__init__(meta, scope)
        self.cond = cond
        self.gate = cond.required(rank)
        self.needs = _needs(cond, rank, self.gate)
        self.gate, self.pii_gate = _gates(cond, rank, self.gate)
        self.semantic = c.semantic_leaves(cond)

    @classmethod
    def from_spec(cls, spec: s.RuleSpec, meta: RuleMeta, table: PatternTable) -> WhenRule:
        return cls(meta, Scope(spec.scope), compile_condition(spec.when, table), table.rank)

    def begin(self, conversation: Any) -> Any:
        return set() if self.scope.active(conversation) else None

    def conditions(self) -> Sequence[tuple[str, c.Cond]]:
        return (("when", self.cond),)

    def wake_gate(self) -> frozenset[int] | None:
        return frozenset() if self.scope.deferred else self.gate

    def wake_pii(self) -> frozenset[str] | None:
        return None if self.scope.deferred else self.pii_gate

    def closes(self) -> bool:
        return self.scope.deferred

    def acts_on_close(self) -> bool:
        return self.scope.deferred

    def on_utterance(self, state: Any, u: c.Prepared, ctx: SessionContext) -> list[Finding]:
        if self.scope.deferred or u.index in state or not self.scope.admits(u, ctx):
            return []
        span = self.cond.evaluate(u, ctx)
        if span is None:
            return []
        state.add(u.index)
        score = c.semantic_score(self.semantic, u, ctx) if self.semantic else None
        return [self.finding(ctx, u, span, score=score)]

    def on_boundary(
        self, state: Any, virtual: c.Prepared, ctx: SessionContext, locate: Any
    ) -> list[Finding]:
        """A hit in the joined text of consecutive same-speaker utterances that crosses a join."""
        if self.scope.positional:
            return []
        span = self.cond.evaluate(virtual, ctx)
        if span is None or span == c.TRUE:
            return []
        placed = locate(span)
        if placed is None:
            return []
        first, local, related = placed
        if first.index in state:
            return []
        state.add(first.index)
        return [self.finding(ctx, first, local, related=related)]

    def on_close(self, state: Any, ctx: SessionContext) -> list[Finding]:
        if not self.scope.deferred:
            return []
        out = []
        for u in self.scope.closing_members(ctx):
            if u.index in state:
                continue
            span = self.cond.evaluate(u, ctx)
            if span is not None:
                state.add(u.index)
                score = c.semantic_score(self.semantic, u, ctx) if self.semantic else None
                out.append(self.finding(ctx, u, span, score=score))
        return out


class CountRule(Rule):
    kind = "count"

    def __init__(
        self, meta: RuleMeta, scope: Scope, cond: c.Cond, at_least: int, rank: c.Rank
    ) -> None:
        super().__init__(meta, scope)
        self.cond, self.at_least = cond, at_least
        self.gate = cond.required(rank)
        self.needs = _needs(cond, rank, self.gate)
        self.gate, self.pii_gate = _gates(cond, rank, self.gate)
        self.semantic = c.semantic_leaves(cond)

    @classmethod
    def from_spec(cls, spec: s.RuleSpec, meta: RuleMeta, table: PatternTable) -> CountRule:
        assert spec.count is not None
        cond = compile_condition(spec.count.condition, table)
        return cls(meta, Scope(spec.scope), cond, spec.count.at_least, table.rank)

    def begin(self, conversation: Any) -> Any:
        return [0] if self.scope.active(conversation) else None

    def conditions(self) -> Sequence[tuple[str, c.Cond]]:
        return (("count", self.cond),)

    def on_utterance(self, state: Any, u: c.Prepared, ctx: SessionContext) -> list[Finding]:
        if state[0] >= self.at_least or not self.scope.admits(u, ctx):
            return []
        span = self.cond.evaluate(u, ctx)
        if span is None:
            return []
        state[0] += 1
        if state[0] < self.at_least:
            return []
        message = self.meta.say(f"第{self.at_least}次", f"{self.at_least} times")
        score = c.semantic_score(self.semantic, u, ctx) if self.semantic else None
        return [self.finding(ctx, u, span, message=message, score=score)]


def _needs(cond: c.Cond, rank: c.Rank, gate: frozenset[int] | None) -> tuple[frozenset[int], ...]:
    """The condition's conjunctive literal requirements beyond the gate that wakes it."""
    return tuple(dict.fromkeys(clause for clause in cond.clauses(rank) if clause != gate))


def _gates(
    cond: c.Cond, rank: c.Rank, gate: frozenset[int] | None
) -> tuple[frozenset[int] | None, frozenset[str] | None]:
    """Literal and PII gates: a rule no literal alone can wake may still be woken by
    literals OR the PII types its condition needs (`pii: [...]` or a regex)."""
    if gate is not None:
        return gate, None
    wakers = cond.wakers(rank)
    if wakers is None:
        return None, None
    literals, types = wakers
    return literals or None, types or None

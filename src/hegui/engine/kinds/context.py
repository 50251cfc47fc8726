"""Rules that need the conversation so far: `must_say` (something required is absent) and
`sequence` (a step came without the step before it). Both decide as early as they can, so
a live call is warned before it ends, and batch inspection gives the same findings."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from hegui.engine.kinds.base import Rule, RuleMeta, Scope, SessionContext
from hegui.engine.model import Finding, Obligation
from hegui.engine.rules import conditions as c
from hegui.engine.rules import schema as s
from hegui.engine.rules.compiler import PatternTable, compile_condition


@dataclass(slots=True)
class _Obligation:
    done: bool = False
    trigger: int | None = None
    trigger_position: int = 0
    said_position: int | None = None  # the latest required words said before any trigger


class MustSayRule(Rule):
    """Required words absent. Position in turns comes from the session's role counts, so
    the rule is only woken by its own literals — except while a window is open."""

    kind = "must_say"

    def __init__(
        self,
        meta: RuleMeta,
        scope: Scope,
        required: c.Cond,
        after: c.Cond | None,
        within_turns: int | None,
        rank: c.Rank,
    ) -> None:
        super().__init__(meta, scope)
        self.required, self.after, self.within_turns = required, after, within_turns
        self._satisfy_gate = required.required(rank)
        self._trigger_gate = after.required(rank) if after is not None else None
        self.window = (
            within_turns if within_turns is not None else (scope.first if after is None else None)
        )

    @classmethod
    def from_spec(cls, spec: s.RuleSpec, meta: RuleMeta, table: PatternTable) -> MustSayRule:
        required = compile_condition(spec.must_say, table)
        after = compile_condition(spec.after, table) if spec.after is not None else None
        return cls(meta, Scope(spec.scope), required, after, spec.within_turns, table.rank)

    def begin(self, conversation: Any) -> Any:
        return _Obligation() if self.scope.active(conversation) else None

    def conditions(self) -> Sequence[tuple[str, c.Cond]]:
        named = [("must_say", self.required)]
        if self.after is not None:
            named.insert(0, ("after", self.after))
        return named

    def wake_gate(self) -> frozenset[int] | None:
        if self.scope.deferred:
            return frozenset()
        timed = self.scope.first_seconds is not None
        if self.after is None:
            return None if self.window is not None or timed else self._satisfy_gate
        if self._trigger_gate is None:
            return None
        # An obligation with no literals of its own (a `semantic` alternative) met before
        # the trigger is found by looking back when the trigger comes (`_said_before`), so
        # the rule need not look at every utterance.
        return self._trigger_gate | (self._satisfy_gate or frozenset())

    def pending(self, state: Any, ctx: SessionContext) -> Obligation | None:
        """Triggered and not yet said: the agent can still be reminded."""
        if self.after is None or state.done or state.trigger is None:
            return None
        left = None
        if self.window is not None:
            left = max(
                0, self.window - (ctx.count_before(self.scope.roles) - state.trigger_position)
            )
        meta = self.meta
        return Obligation(meta.id, meta.category, meta.severity, meta.say(), state.trigger, left)

    def every_turn(self, state: Any) -> bool:
        """Once triggered: every turn while a window is open or the answer has no literals."""
        needs = (
            self.window is not None
            or self.scope.first_seconds is not None
            or self._satisfy_gate is None
        )
        return state.trigger is not None and not state.done and needs

    def finished(self, state: Any) -> bool:
        return bool(state.done)

    def closes(self) -> bool:
        """A triggered rule was woken, so it has state; an untriggered one owes nothing."""
        return self.after is None

    def on_utterance(self, state: Any, u: c.Prepared, ctx: SessionContext) -> list[Finding]:
        if state.done or self.scope.deferred or u.utterance.role not in self.scope.roles:
            return []
        position = ctx.count_before(self.scope.roles)
        if self.after is not None and state.trigger is None:
            if self.after.evaluate(u, ctx) is None:
                # Said before the trigger ("按规定提醒您 理财非存款…" and then the product's
                # details): it counts, if no further back than the window.
                if self.required.evaluate(u, ctx) is not None:
                    state.said_position = position
                return []
            state.trigger, state.trigger_position = u.index, position
            said = state.said_position
            if said is not None and (self.window is None or position - said <= self.window):
                state.done = True
                return []
            if self._satisfy_gate is None and self._said_before(u, ctx):
                state.done = True
                return []
        if self.scope.first_seconds is not None and not self.scope.admits(u, ctx):
            return self._missing(state, ctx, "first_seconds")
        if self.window is not None and position - state.trigger_position >= self.window:
            return self._missing(state, ctx, "window")
        if self.required.evaluate(u, ctx) is not None:
            state.done = True
        return []

    def _said_before(self, trigger: c.Prepared, ctx: SessionContext) -> bool:
        """Whether the obligation was met by one of the scope's utterances before the
        trigger (no further back than the window). Looked at once, when the trigger comes:
        an utterance that only the model could judge never woke the rule."""
        seen = 0
        for earlier in reversed(ctx.history[: trigger.index]):
            if earlier.utterance.role not in self.scope.roles:
                continue
            seen += 1
            if self.window is not None and seen > self.window:
                return False
            if self.required.evaluate(earlier, ctx) is not None:
                return True
        return False

    def on_close(self, state: Any, ctx: SessionContext) -> list[Finding]:
        if state.done:
            return []
        if self.scope.deferred:
            members = self.scope.closing_members(ctx)
            if not members or any(self.required.evaluate(u, ctx) is not None for u in members):
                return []
            return self._missing(state, ctx, "last")
        if ctx.count_before(self.scope.roles) == 0:
            return []
        if self.after is not None and state.trigger is None:
            return []
        return self._missing(state, ctx, "end")

    def _missing(self, state: _Obligation, ctx: SessionContext, where: str) -> list[Finding]:
        state.done = True
        window, seconds = self.window, self.scope.first_seconds
        zh, en = {
            "window": (f"在{window}轮内", f"within {window} turns"),
            "first_seconds": (f"在开头{seconds}秒内", f"in the first {seconds} s"),
            "last": ("在结束前", "before the end"),
            "end": ("在通话中", "during the conversation"),
        }[where]
        if self.after is not None and state.trigger is not None:
            zh, en = f"第{state.trigger}句之后{zh}", f"{en} after utterance {state.trigger}"
        expected = _expected(self.required)
        message = self.meta.say(f"应{zh}说明：{expected}", f"expected {en}")
        return [self.finding(ctx, None, None, message=message)]


def _expected(cond: c.Cond, limit: int = 4) -> str:
    """A short human description of what would have satisfied a condition."""
    labels: list[str] = []
    stack = [cond]
    while stack and len(labels) < limit:
        node = stack.pop(0)
        if isinstance(node, c.TextLeaf):
            labels.extend(v.source for v in node.verifiers[: limit - len(labels)])
        stack.extend(n for n in node.children() if not isinstance(n, c.NoneCond))
    return " / ".join(labels) if labels else cond.describe()


class SequenceRule(Rule):
    kind = "sequence"

    def __init__(self, meta: RuleMeta, scope: Scope, steps: Sequence[c.Cond], rank: c.Rank) -> None:
        super().__init__(meta, scope)
        self.steps = tuple(steps)
        self._gates = [step.required(rank) for step in self.steps]

    @classmethod
    def from_spec(cls, spec: s.RuleSpec, meta: RuleMeta, table: PatternTable) -> SequenceRule:
        assert spec.sequence is not None
        steps = [compile_condition(step, table) for step in spec.sequence]
        return cls(meta, Scope(spec.scope), steps, table.rank)

    def begin(self, conversation: Any) -> Any:
        if not self.scope.active(conversation):
            return None
        return {"seen": [False] * len(self.steps), "fired": [False] * len(self.steps)}

    def conditions(self) -> Sequence[tuple[str, c.Cond]]:
        return [(f"step {i + 1}", step) for i, step in enumerate(self.steps)]

    def wake_gate(self) -> frozenset[int] | None:
        union: frozenset[int] = frozenset()
        for need in self._gates:
            if need is None:
                return None
            union |= need
        return union

    def on_utterance(self, state: Any, u: c.Prepared, ctx: SessionContext) -> list[Finding]:
        if not self.scope.admits(u, ctx):
            return []
        out = []
        seen, fired = state["seen"], state["fired"]
        for k, step in enumerate(self.steps):
            span = step.evaluate(u, ctx)
            if span is None:
                continue
            if k > 0 and not seen[k - 1] and not fired[k]:
                fired[k] = True
                before = _expected(self.steps[k - 1])
                message = self.meta.say(f"此前未见：{before}", f"step {k} missing before it")
                out.append(self.finding(ctx, u, span, message=message))
            seen[k] = True
        return out

"""What every rule kind shares: its identity, its scope, and how it reports a finding."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any, Protocol

from hegui.engine.model import Conversation, Finding, Obligation
from hegui.engine.rules import conditions as c
from hegui.engine.rules import schema as s
from hegui.engine.rules.compiler import PatternTable


@dataclass(frozen=True, slots=True)
class RuleMeta:
    id: str
    version: int
    category: str
    severity: str
    message: str
    pack: str
    description: str = ""
    source: str | None = None
    message_en: str = ""

    def say(self, zh: str = "", en: str = "") -> str:
        """A finding's message: the Chinese (with its detail) first, then the English.

        `zh`/`en` are what this finding adds (what was expected, a measured time…); a rule
        without `message_en` still gets the English detail, inside the Chinese brackets."""
        if not self.message_en:
            return f"{self.message}（{zh} / {en}）" if zh else self.message
        head = f"{self.message}（{zh}）" if zh else self.message
        return f"{head} / {self.message_en} ({en})" if en else f"{head} / {self.message_en}"


class SessionContext(c.EvalContext, Protocol):
    """What a rule sees of the running session."""

    clock: str | None
    t0: float | None
    latest_end: float | None

    def count_before(self, roles: frozenset[str]) -> int: ...


class Scope:
    def __init__(self, spec: s.Scope) -> None:
        self.roles = frozenset(spec.roles)
        self.channels = frozenset(spec.channels) if spec.channels else None
        self.industries = frozenset(spec.industries) if spec.industries else None
        self.metadata = [c.MetadataLeaf(m.metadata, m.op, m.value, m.field) for m in spec.metadata]
        self.first, self.last = spec.first, spec.last
        self.first_seconds, self.last_seconds = spec.first_seconds, spec.last_seconds
        self.deferred = spec.last is not None or spec.last_seconds is not None
        self.positional = self.deferred or spec.first is not None or spec.first_seconds is not None
        self.unconditional = self.channels is None and self.industries is None and not self.metadata

    def active(self, conversation: Conversation) -> bool:
        if self.unconditional:
            return True
        if self.channels is not None and conversation.channel not in self.channels:
            return False
        industry = conversation.industry or "general"
        if self.industries is not None and industry not in self.industries:
            return False
        return all(m.holds(conversation) for m in self.metadata)

    def admits(self, u: c.Prepared, ctx: SessionContext) -> bool:
        """Whether a live utterance is in scope (positional `last` scopes wait for close)."""
        if u.utterance.role not in self.roles:
            return False
        if self.first is not None and ctx.count_before(self.roles) >= self.first:
            return False
        if self.first_seconds is not None:
            t = u.t
            if t is None or ctx.t0 is None or t - ctx.t0 > self.first_seconds:
                return False
        return True

    def closing_members(self, ctx: SessionContext) -> list[c.Prepared]:
        """In-scope utterances of a finished conversation (applies `last` scopes)."""
        members = [u for u in ctx.history if u.utterance.role in self.roles]
        if self.first is not None:
            members = members[: self.first]
        if self.last is not None:
            members = members[-self.last :]
        if self.last_seconds is not None:
            ends = [u.t_end for u in ctx.history if u.t_end is not None]
            if not ends:
                return []
            cutoff = max(ends) - self.last_seconds
            members = [u for u in members if u.t is not None and u.t >= cutoff]
        return members


class Rule(ABC):
    """A compiled rule of one kind. `gate` = pattern ids of which one must be present."""

    kind = ""

    def __init__(self, meta: RuleMeta, scope: Scope) -> None:
        self.meta = meta
        self.scope = scope
        self.gate: frozenset[int] | None = None
        # Further literal sets each of which must meet an utterance's hits before the rule
        # can hold there: checked before the rule is evaluated at all.
        self.needs: tuple[frozenset[int], ...] = ()
        # For a rule no literal wakes: PII types one of which must be found to wake it.
        self.pii_gate: frozenset[str] | None = None

    def wake_gate(self) -> frozenset[int] | None:
        """Literal ids that wake this rule for an utterance; None (and no `wake_pii`):
        every utterance."""
        return self.gate

    def wake_pii(self) -> frozenset[str] | None:
        """PII types whose presence also wakes this rule for an utterance."""
        return self.pii_gate

    def every_turn(self, state: Any) -> bool:
        """Whether, in this state, the rule must see every utterance from now on."""
        return False

    def finished(self, state: Any) -> bool:
        """Whether the rule has nothing left to do in this conversation."""
        return False

    def closes(self) -> bool:
        """Whether `on_close` must run even if the rule never saw an utterance."""
        return False

    def pending(self, state: Any, ctx: SessionContext) -> Obligation | None:
        """What this rule still requires of the conversation, if anything (live prompts)."""
        return None

    def acts_on_close(self) -> bool:
        """Whether `on_close` can find anything (the session skips it otherwise)."""
        return type(self).on_close is not Rule.on_close

    def changes_liveness(self) -> bool:
        """Whether `finished` / `every_turn` can say anything (else they are not asked)."""
        cls = type(self)
        return cls.finished is not Rule.finished or cls.every_turn is not Rule.every_turn

    @classmethod
    @abstractmethod
    def from_spec(cls, spec: s.RuleSpec, meta: RuleMeta, table: PatternTable) -> Rule: ...

    def begin(self, conversation: Conversation) -> Any:
        """Per-conversation state, or None when the rule does not apply to it."""
        return {} if self.scope.active(conversation) else None

    def on_utterance(self, state: Any, u: c.Prepared, ctx: SessionContext) -> list[Finding]:
        return []

    def on_close(self, state: Any, ctx: SessionContext) -> list[Finding]:
        return []

    def on_boundary(
        self, state: Any, virtual: c.Prepared, ctx: SessionContext, locate: Any
    ) -> list[Finding]:
        """A hit in joined consecutive same-speaker segments (only `when` rules look)."""
        return []

    def conditions(self) -> Sequence[tuple[str, c.Cond]]:
        """Named condition trees, for `rules explain`."""
        return ()

    def finding(
        self,
        ctx: SessionContext,
        u: c.Prepared | None,
        span: c.Span | None,
        message: str | None = None,
        related: tuple[tuple[int, int, int], ...] = (),
        score: float | None = None,
    ) -> Finding:
        meta = self.meta
        missing = Finding(
            conversation_id=ctx.conversation.id,
            category=meta.category,
            rule_id=meta.id,
            rule_version=meta.version,
            severity=meta.severity,
            message=message or meta.say(),
        )
        if u is None:
            return missing
        utt = u.utterance
        real_span = None if span is None or span == c.TRUE else span
        return replace(
            missing,
            utterance_index=u.index,
            role=utt.role,
            span=real_span,
            evidence=utt.text,
            start=utt.start,
            end=utt.end,
            matched=utt.text[real_span[0] : real_span[1]] if real_span else None,
            related=related,
            score=score,
        )

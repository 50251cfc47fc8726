"""Timing rules: silence, interruption, chat response time and speech rate.

Each is skipped — never failed — when the timestamps it needs are absent.
"""

from __future__ import annotations

from abc import abstractmethod
from typing import Any

from hegui.engine.kinds.base import Rule, RuleMeta, Scope, SessionContext
from hegui.engine.model import OFFSET_CLOCK, Finding
from hegui.engine.rules import conditions as c
from hegui.engine.rules import schema as s
from hegui.engine.rules.compiler import PatternTable


class _TimingRule(Rule):
    limit_field = ""  # the field of this kind's spec that holds its threshold

    def __init__(self, meta: RuleMeta, scope: Scope, limit: float) -> None:
        super().__init__(meta, scope)
        self.limit = limit

    @classmethod
    def from_spec(cls, spec: s.RuleSpec, meta: RuleMeta, table: PatternTable) -> Rule:
        settings = getattr(spec, cls.kind)
        return cls(meta, Scope(spec.scope), getattr(settings, cls.limit_field))

    def on_utterance(self, state: Any, u: c.Prepared, ctx: SessionContext) -> list[Finding]:
        if not self.scope.admits(u, ctx):
            return []
        measured = self.measure(u, ctx)
        if measured is None:
            return []
        message = self.meta.say(*self.describe(measured))
        return [self.finding(ctx, u, None, message=message)]

    @abstractmethod
    def measure(self, u: c.Prepared, ctx: SessionContext) -> float | None:
        """The measured quantity when it breaks the limit, else None."""

    def describe(self, value: float) -> tuple[str, str]:
        """The measured value, in Chinese and in English."""
        return f"{value:.1f}秒", f"{value:.1f} s"

    @staticmethod
    def _previous(u: c.Prepared, ctx: SessionContext) -> c.Prepared | None:
        return ctx.history[u.index - 1] if u.index >= 1 else None


class SilenceRule(_TimingRule):
    kind = "silence"

    limit_field = "min_seconds"

    def measure(self, u: c.Prepared, ctx: SessionContext) -> float | None:
        start = u.t if ctx.clock == OFFSET_CLOCK else None
        if start is None or ctx.latest_end is None:
            return None
        gap = start - ctx.latest_end
        return gap if gap > self.limit else None

    def describe(self, value: float) -> tuple[str, str]:
        return f"静默{value:.1f}秒", f"silent {value:.1f} s"


class InterruptionRule(_TimingRule):
    kind = "interruption"

    limit_field = "min_overlap_seconds"

    def measure(self, u: c.Prepared, ctx: SessionContext) -> float | None:
        prev = self._previous(u, ctx)
        if ctx.clock != OFFSET_CLOCK or prev is None or prev.utterance.role != "customer":
            return None
        start, end = u.utterance.start, prev.utterance.end
        if start is None or end is None or prev.t is None:
            return None
        overlap = end - start
        return overlap if overlap >= self.limit else None

    def describe(self, value: float) -> tuple[str, str]:
        return f"客户未说完即开口，重叠{value:.1f}秒", f"overlapped the customer by {value:.1f} s"


class ResponseTimeRule(_TimingRule):
    kind = "response_time"

    limit_field = "max_seconds"

    def measure(self, u: c.Prepared, ctx: SessionContext) -> float | None:
        prev = self._previous(u, ctx)
        if prev is None or prev.utterance.role != "customer":
            return None
        asked, answered = prev.t_end, u.t
        if asked is None or answered is None:
            return None
        wait = answered - asked
        return wait if wait > self.limit else None

    def describe(self, value: float) -> tuple[str, str]:
        return f"客户等待{value:.0f}秒", f"customer waited {value:.0f} s"


class SpeechRateRule(_TimingRule):
    kind = "speech_rate"

    def __init__(self, meta: RuleMeta, scope: Scope, limit: float, min_chars: int) -> None:
        super().__init__(meta, scope, limit)
        self.min_chars = min_chars

    @classmethod
    def from_spec(cls, spec: s.RuleSpec, meta: RuleMeta, table: PatternTable) -> SpeechRateRule:
        assert spec.speech_rate is not None
        rate = spec.speech_rate
        return cls(meta, Scope(spec.scope), rate.max_chars_per_second, rate.min_chars)

    def measure(self, u: c.Prepared, ctx: SessionContext) -> float | None:
        start, end = u.utterance.start, u.utterance.end
        chars = len(u.norm.text)
        if start is None or end is None or end <= start or chars < self.min_chars:
            return None
        rate = chars / (end - start)
        return rate if rate > self.limit else None

    def describe(self, value: float) -> tuple[str, str]:
        return f"语速{value:.1f}字/秒", f"{value:.1f} chars/s"

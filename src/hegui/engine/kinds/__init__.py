"""One class per rule kind, in an explicit registry: kind name → class."""

from __future__ import annotations

from hegui.engine.kinds.base import Rule, RuleMeta, Scope, SessionContext
from hegui.engine.kinds.context import MustSayRule, SequenceRule
from hegui.engine.kinds.llm import LlmRule
from hegui.engine.kinds.timing import (
    InterruptionRule,
    ResponseTimeRule,
    SilenceRule,
    SpeechRateRule,
)
from hegui.engine.kinds.utterance import CountRule, WhenRule

KINDS: dict[str, type[Rule]] = {
    "when": WhenRule,
    "must_say": MustSayRule,
    "sequence": SequenceRule,
    "count": CountRule,
    "silence": SilenceRule,
    "interruption": InterruptionRule,
    "response_time": ResponseTimeRule,
    "speech_rate": SpeechRateRule,
    "llm": LlmRule,
}

__all__ = ["KINDS", "LlmRule", "Rule", "RuleMeta", "Scope", "SessionContext", "WhenRule"]

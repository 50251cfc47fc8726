"""Learning from verdicts: per-rule precision, noisy rules, exceptions suggested from the
evidence of dismissed cases (`rule_stats`, used by `hegui rules stats` and the rules API)."""

from __future__ import annotations

from hegui.services.rulestats.phrases import suggest, supported
from hegui.services.rulestats.stats import (
    NoiseThresholds,
    RuleHealth,
    RuleStats,
    rule_health,
    rule_stats,
)

__all__ = [
    "NoiseThresholds",
    "RuleHealth",
    "RuleStats",
    "rule_health",
    "rule_stats",
    "suggest",
    "supported",
]

"""Rule packs stored with versions, the Inspector built from them, and re-inspection."""

from __future__ import annotations

from hegui.services.rulesets.models import RulePack, RulePackVersion
from hegui.services.rulesets.schemas import PackVersionRead
from hegui.services.rulesets.service import RuleSetService
from hegui.services.rulesets.source import DatabaseRuleSource, InspectorProvider, Rules

__all__ = [
    "DatabaseRuleSource",
    "InspectorProvider",
    "PackVersionRead",
    "RulePack",
    "RulePackVersion",
    "RuleSetService",
    "Rules",
]

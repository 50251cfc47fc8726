"""Scores of conversations by scorecard (质检评分), recomputed when findings or their cases
change; per-group averages and team × category heat maps (docs/scorecards.md)."""

from __future__ import annotations

from hegui.services.scorecards.models import ConversationScore, ScoreLine
from hegui.services.scorecards.schemas import (
    SCORE_BANDS,
    SCORE_GROUP_BY,
    HeatCell,
    ScorecardRead,
    ScoreGroup,
    ScoreGroupBy,
    ScoreRead,
)
from hegui.services.scorecards.service import ScorecardService

__all__ = [
    "SCORE_BANDS",
    "SCORE_GROUP_BY",
    "ConversationScore",
    "HeatCell",
    "ScoreGroup",
    "ScoreGroupBy",
    "ScoreLine",
    "ScoreRead",
    "ScorecardRead",
    "ScorecardService",
]

"""What the scores queries hand back."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal, get_args

from pydantic import BaseModel

ScoreGroupBy = Literal["day", "channel", "team", "agent", "scorecard", "band"]

# The score distribution's bands (`group_by=band`): [0, 60), [60, 70), [70, 80), [80, 90),
# [90, 100]; each key names its band, the lowest first.
SCORE_BANDS: tuple[tuple[str, float, float | None], ...] = (
    ("0-59", 0.0, 60.0),
    ("60-69", 60.0, 70.0),
    ("70-79", 70.0, 80.0),
    ("80-89", 80.0, 90.0),
    ("90-100", 90.0, None),
)
SCORE_GROUP_BY: tuple[str, ...] = get_args(ScoreGroupBy)


class ScoreRead(BaseModel):
    """A revision's score with its breakdown (`deductions`, `fatal_items`, `bonuses`,
    `unmatched`), each citing finding ids."""

    conversation_id: str
    revision: int
    scorecard: str
    scorecard_version: int
    score: float
    fatal: bool
    deducted: float
    bonus: float
    breakdown: dict[str, Any]
    computed_at: datetime


class ScoreGroup(BaseModel):
    key: str | None
    conversations: int
    average: float
    minimum: float
    maximum: float
    fatal: int


class HeatCell(BaseModel):
    """Counted findings of one category in one team's conversations, and the points they
    cost (team null: conversations without a team)."""

    team: str | None
    category: str
    findings: int
    points: float


class ScorecardRead(BaseModel):
    scorecard: str
    version: int
    title: str
    industries: list[str]
    teams: list[str]
    definition: dict[str, Any]

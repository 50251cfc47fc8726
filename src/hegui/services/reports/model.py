"""The report, as typed values: what the HTML and PDF render and `--format json` prints.

Figures are of the conversations that took place in the period (China Standard Time)
and that the report's reader may see; "previous" is the same figure for the period before.
"""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field


class Scope(BaseModel):
    period: str = Field(description="label: 2026-11, 2026-W45, 2026-11-01~2026-11-15 …")
    kind: str
    first_day: str
    last_day: str
    previous: str = Field(description="label of the period compared with")
    team: str | None = Field(description="the team reported on; null: the whole institution")
    generated_at: datetime
    generated_by: str


class Change(BaseModel):
    """A figure this period and the period before; `change` is the relative change
    (0.5: +50 %), null where the period before had none."""

    current: int | float
    previous: int | float
    change: float | None

    @classmethod
    def of(cls, current: int | float, previous: int | float) -> Change:
        change = None if previous == 0 else round((current - previous) / previous, 4)
        return cls(current=current, previous=previous, change=change)


class Totals(BaseModel):
    conversations: Change
    findings: Change
    findings_per_100: Change = Field(description="findings per 100 conversations")
    confirmed: Change = Field(description="cases confirmed on review, not overturned")
    dismissed: int
    open: int = Field(description="cases still waiting for review or a ruling")
    high_severity: int


class CategoryRow(BaseModel):
    category: str
    name: str = Field(description="the taxonomy's Chinese name")
    findings: int
    previous: int
    change: float | None
    share: float = Field(description="of all findings in the period, 0–1")
    confirmed: int
    dismissed: int


class DayCount(BaseModel):
    day: str
    findings: int
    conversations: int


class RiskRow(BaseModel):
    """A rule that fired in the period, ranked by severity then findings."""

    rule_id: str
    category: str
    severity: str
    findings: int
    confirmed: int
    agents: int = Field(description="distinct agents it was found with")


class TrainingRow(BaseModel):
    agent_id: str
    team: str | None
    category: str
    confirmed: int = Field(description="confirmed findings of the category in the period")
    assignment: str | None = Field(
        description="status of the training assigned in the period: assigned | "
        "acknowledged | completed; null: none assigned"
    )


class RuleHealth(BaseModel):
    rule_id: str
    findings: int
    confirmed: int
    dismissed: int
    precision: float | None
    noisy: bool
    suggested_exceptions: list[str]


class ScoreRow(BaseModel):
    key: str | None
    conversations: int
    average: float
    minimum: float
    fatal: int


class Scores(BaseModel):
    conversations: int
    average: float | None = Field(description="null where nothing was scored")
    previous_average: float | None
    fatal: int
    by_team: list[ScoreRow]
    lowest_agents: list[ScoreRow]


class Sla(BaseModel):
    reviewed: int = Field(description="cases reviewed (first verdict) in the period")
    on_time: int = Field(description="of those, reviewed by their due time")
    on_time_rate: float | None
    open: int
    overdue: int = Field(description="open cases past their due time when the report was made")


class TeamCategory(BaseModel):
    team: str | None
    category: str
    findings: int


class Suggestion(BaseModel):
    """A suggestion drawn from the figures by a documented rule (`suggestions.py`)."""

    rule: str = Field(description="which rule made it: team_concentration, rising_category …")
    zh: str
    en: str
    figures: dict[str, float | int | str]


class Report(BaseModel):
    scope: Scope
    totals: Totals
    categories: list[CategoryRow]
    daily: list[DayCount]
    top_risks: list[RiskRow]
    training: list[TrainingRow]
    rules: list[RuleHealth]
    scores: Scores
    sla: Sla
    team_categories: list[TeamCategory]
    suggestions: list[Suggestion]

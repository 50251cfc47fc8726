"""What the metrics queries hand back."""

from __future__ import annotations

from typing import Literal, get_args

from pydantic import BaseModel

GroupBy = Literal["day", "category", "severity", "channel", "team", "agent"]
GROUP_BY: tuple[str, ...] = get_args(GroupBy)
# Conversation metrics and scores are per conversation: grouped by who, where or when.
PeopleGroupBy = Literal["day", "channel", "team", "agent"]


class FindingGroup(BaseModel):
    """One group: its key (null where the conversation names no team or agent) and count."""

    key: str | None
    count: int


class MetricsGroup(BaseModel):
    """Conversations measured in one group and each metric's average (null: none has it)."""

    key: str | None
    conversations: int
    averages: dict[str, float | None]


class Dashboard(BaseModel):
    """The dashboard in one answer: findings in scope, every grouping (as
    `/metrics/findings`), and the team, channel and industry values to filter by."""

    total: int
    groups: dict[str, list[FindingGroup]]
    options: dict[str, list[str]]

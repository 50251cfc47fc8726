"""Counts over findings and averages of conversation metrics for dashboards, limited to
what the viewer may see."""

from __future__ import annotations

from hegui.services.metrics.conversations import conversations_by
from hegui.services.metrics.schemas import (
    GROUP_BY,
    FindingGroup,
    GroupBy,
    MetricsGroup,
    PeopleGroupBy,
)
from hegui.services.metrics.service import findings_by

__all__ = [
    "GROUP_BY",
    "FindingGroup",
    "GroupBy",
    "MetricsGroup",
    "PeopleGroupBy",
    "conversations_by",
    "findings_by",
]

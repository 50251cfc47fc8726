"""Counts over findings and averages of conversation metrics for dashboards, limited to
what the viewer may see."""

from __future__ import annotations

from hegui.services.metrics.conversations import conversations_by
from hegui.services.metrics.schemas import (
    GROUP_BY,
    Dashboard,
    FindingGroup,
    GroupBy,
    MetricsGroup,
    PeopleGroupBy,
)
from hegui.services.metrics.scope import Scope
from hegui.services.metrics.service import dashboard, findings_by

__all__ = [
    "GROUP_BY",
    "Dashboard",
    "FindingGroup",
    "GroupBy",
    "MetricsGroup",
    "PeopleGroupBy",
    "Scope",
    "conversations_by",
    "dashboard",
    "findings_by",
]

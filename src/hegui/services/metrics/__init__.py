"""Counts over findings for dashboards, limited to what the viewer may see."""

from __future__ import annotations

from hegui.services.metrics.schemas import GROUP_BY, FindingGroup, GroupBy
from hegui.services.metrics.service import findings_by

__all__ = ["GROUP_BY", "FindingGroup", "GroupBy", "findings_by"]

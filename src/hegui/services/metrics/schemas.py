"""What the metrics queries hand back."""

from __future__ import annotations

from typing import Literal, get_args

from pydantic import BaseModel

GroupBy = Literal["day", "category", "severity", "channel", "team", "agent"]
GROUP_BY: tuple[str, ...] = get_args(GroupBy)


class FindingGroup(BaseModel):
    """One group: its key (null where the conversation names no team or agent) and count."""

    key: str | None
    count: int

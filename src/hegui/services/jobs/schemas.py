"""What the jobs service hands back."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict


class JobRead(BaseModel):
    """`GET /jobs/{id}`: status queued | running | done | failed, and progress."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    kind: str
    status: str
    total: int
    done: int
    failed: int
    error: str | None
    params: dict[str, Any]
    created_by: str
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None

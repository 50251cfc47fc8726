"""What the rule sets service hands back."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict


class PackVersionRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    pack: str
    version: int
    digest: str
    rules: dict[str, Any]
    published_by: str
    published_at: datetime
    text: str

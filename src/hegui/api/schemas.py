"""Response bodies shared by several routers (each domain's own live beside its service)."""

from __future__ import annotations

from datetime import datetime
from typing import Generic, Literal, TypeVar

from pydantic import BaseModel, Field

T = TypeVar("T")

# Bounds of `?limit=` on list endpoints.
DEFAULT_LIMIT = 100
MAX_LIMIT = 1000
# Ids and offsets the databases can compare: larger ones are 422, not a database error.
MAX_ID = 2**31 - 1
MAX_SEQ = 2**63 - 1


class Page(BaseModel, Generic[T]):
    """One page of a list: `items`, and `total` matching the query (every page)."""

    items: list[T]
    total: int = Field(ge=0)


class Token(BaseModel):
    access_token: str
    token_type: Literal["bearer"] = "bearer"
    expires_at: datetime


class Health(BaseModel):
    status: Literal["ok"] = "ok"
    database: str = Field(description="sqlite | postgresql")
    version: str

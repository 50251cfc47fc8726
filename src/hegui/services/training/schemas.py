"""What the training service takes and hands back."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field, field_validator

from hegui.services.users.schemas import has_control_characters


class CourseIn(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    title: str = Field(min_length=1, max_length=255)
    url: str | None = Field(None, max_length=1024, pattern=r"^https?://\S+$")

    @field_validator("title")
    @classmethod
    def _printable(cls, value: str) -> str:
        if has_control_characters(value):
            raise ValueError("不能包含控制字符 must not contain control characters")
        return value


class CourseRead(BaseModel):
    category: str
    title: str
    url: str | None
    configured: bool = Field(description="false: the default course of the category")
    updated_by: str | None = None
    updated_at: datetime | None = None


class AssignmentRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    agent_id: str
    team: str | None
    category: str
    period: str
    confirmed: int
    case_ids: list[int]
    course_title: str
    course_url: str | None
    status: str
    created_at: datetime
    acknowledged_at: datetime | None
    completed_at: datetime | None

"""What callers hand the users service and what it hands back."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field, SecretStr, ValidationInfo, field_validator


class Role(StrEnum):
    admin = "admin"
    compliance_manager = "compliance_manager"
    reviewer = "reviewer"
    team_lead = "team_lead"
    agent = "agent"


ROLES = tuple(role.value for role in Role)
MIN_PASSWORD = 8


def has_control_characters(value: str) -> bool:
    """PostgreSQL refuses NUL in text; the other control characters only hide in listings."""
    return any(ord(char) < 32 or ord(char) == 127 for char in value)


class UserCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    username: str = Field(min_length=1, max_length=64, pattern=r"^[^\s:/]+$")
    password: SecretStr = Field(min_length=MIN_PASSWORD, max_length=1024)
    role: Role
    team: str | None = Field(None, min_length=1, max_length=64, validate_default=True)
    agent_id: str | None = Field(None, min_length=1, max_length=64, validate_default=True)

    @field_validator("username", "team", "agent_id")
    @classmethod
    def _printable(cls, value: str | None) -> str | None:
        if value is not None and has_control_characters(value):
            raise ValueError("不能包含控制字符 must not contain control characters")
        return value

    @field_validator("team")
    @classmethod
    def _team_lead_has_team(cls, team: str | None, info: ValidationInfo) -> str | None:
        if team is None and info.data.get("role") == Role.team_lead:
            raise ValueError("组长必须指定团队 a team_lead needs a team")
        return team

    @field_validator("agent_id")
    @classmethod
    def _agent_has_id(cls, agent_id: str | None, info: ValidationInfo) -> str | None:
        if agent_id is None and info.data.get("role") == Role.agent:
            raise ValueError("坐席必须指定 agent_id an agent needs an agent_id")
        return agent_id


class PasswordChange(BaseModel):
    password: SecretStr = Field(min_length=MIN_PASSWORD, max_length=1024)


class UserRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    username: str
    role: Role
    team: str | None
    agent_id: str | None
    is_active: bool
    created_at: datetime

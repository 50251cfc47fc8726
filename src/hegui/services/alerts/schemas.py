"""What the alerts service takes (notifier configurations) and hands back."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, SecretStr, field_validator

from hegui.services.users.schemas import has_control_characters


class NotifierCreate(BaseModel):
    """`POST /notifiers`: `kind` and `target` are checked by the notifier's own rules."""

    model_config = ConfigDict(extra="forbid")

    kind: str = Field(max_length=16, description="webhook | wecom | dingtalk | feishu | email")
    target: str = Field(max_length=2048, description="URL, or e-mail recipients")
    min_severity: Literal["high", "medium", "low"] = Field(
        description="notices of this severity and above reach this notifier"
    )
    secret: SecretStr | None = Field(
        None, max_length=1024, description="signing secret or SMTP password (never returned)"
    )
    options: dict[str, Any] | None = Field(
        None,
        description="per kind: timeout, ca_file; msgtype (wecom); msg_type (feishu); "
        "host, sender, port, security, username (email)",
    )
    name: str | None = Field(None, min_length=1, max_length=128)

    @field_validator("kind", "target", "name")
    @classmethod
    def _printable(cls, value: str | None) -> str | None:
        if value is not None and has_control_characters(value):
            raise ValueError("不能包含控制字符 must not contain control characters")
        return value

    @field_validator("secret")
    @classmethod
    def _no_nul(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and "\x00" in value.get_secret_value():
            raise ValueError("不能包含 NUL 字符 must not contain NUL")
        return value


class NotifierRead(BaseModel):
    """A notifier as lists show it: the target only as scheme and host, never the secret."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    kind: str
    name: str
    min_severity: str
    target_hint: str
    has_secret: bool
    options: dict[str, Any]
    active: bool
    created_by: str
    created_at: datetime


class DeliveryRead(BaseModel):
    """One attempt to send one notice through one notifier (`GET /notifications`)."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    notifier_id: int
    kind: str
    idempotency_key: str
    event: str
    attempt: int
    status: str
    code: int | None
    response: str
    error: str | None
    at: datetime


class SendResult(BaseModel):
    """What a test send did: `sent` or `failed`, with the far side's answer."""

    status: str
    attempts: int
    code: int | None
    response: str
    error: str | None

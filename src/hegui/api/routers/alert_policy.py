"""The severity policy as the alerts page shows it: how each severity is announced (at
once, in the daily digest, the weekly summary, or not at all) and how soon its cases are
due. Read-only: it comes from `HEGUI_NOTIFY_*` and `HEGUI_DUE_*` (docs/platform.md)."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends
from pydantic import BaseModel, Field

from hegui.api.deps import PlatformDep, requires
from hegui.api.errors import documented
from hegui.services.access import Principal
from hegui.services.alerts.policy import SEVERITIES
from hegui.services.cases.digests import GRACE, LISTED
from hegui.services.users.schemas import Role

router = APIRouter(prefix="/api/v1", tags=["notifications"], responses=documented(401, 403))
Manager = Annotated[Principal, Depends(requires(Role.admin, Role.compliance_manager))]


class SeverityRule(BaseModel):
    severity: str = Field(description="high | medium | low")
    notify: Literal["immediate", "daily", "weekly", "none"] = Field(
        description="immediate: each new case at once; daily / weekly: in the digest; none"
    )
    due_hours: float = Field(description="hours a new case of this severity is due in")


class NotifyPolicy(BaseModel):
    severities: list[SeverityRule]
    timezone: str = Field(description="digest periods are calendar days / weeks here")
    grace_minutes: float = Field(description="a period's digest is queued this long after it")
    listed: int = Field(description="a digest lists at most this many cases")
    digest_event: str = Field(description="the delivery log's event of digests")


@router.get("/notifications/policy", response_model=NotifyPolicy)
def notify_policy(_user: Manager, platform: PlatformDep) -> NotifyPolicy:
    """通知策略 How each severity is announced and when its cases are due (admin,
    compliance_manager). Daily digests cover a calendar day, weekly summaries a week from
    Monday, both in China Standard Time, queued a few minutes after the period ends; a
    period without cases sends nothing. Past digests: `GET /notifications?event=digest`."""
    policy = platform.alerts.policy
    rules = [
        SeverityRule(
            severity=severity,
            notify=policy.notify.get(severity, "none"),
            due_hours=policy.due.get(severity, policy.due["low"]).total_seconds() / 3600,
        )
        for severity in SEVERITIES
    ]
    return NotifyPolicy(
        severities=rules,
        timezone="+08:00",
        grace_minutes=GRACE.total_seconds() / 60,
        listed=LISTED,
        digest_event="digest",
    )

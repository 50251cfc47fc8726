"""Notifiers (webhook, WeCom, DingTalk, Feishu, e-mail) and the delivery log of what they sent.

Secrets are never returned, targets only as scheme and host (robot URLs carry their key).
"""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Path, Query, Response, status

from hegui.api.deps import PlatformDep, ReaderDep, SessionDep, requires
from hegui.api.errors import documented
from hegui.api.schemas import DEFAULT_LIMIT, MAX_ID, MAX_LIMIT, Page
from hegui.services.access import Principal
from hegui.services.alerts import DeliveryRead, NotifierCreate, NotifierRead, SendResult
from hegui.services.users.schemas import Role

router = APIRouter(prefix="/api/v1", tags=["notifications"], responses=documented(401, 403))
Manager = Annotated[Principal, Depends(requires(Role.admin, Role.compliance_manager))]
NotifierId = Annotated[int, Path(ge=1, le=MAX_ID, description="notifier id")]


@router.post(
    "/notifiers",
    response_model=NotifierRead,
    status_code=status.HTTP_201_CREATED,
)
def create_notifier(
    spec: NotifierCreate,
    user: Manager,
    platform: PlatformDep,
    session: SessionDep,
    response: Response,
) -> NotifierRead:
    """添加通知渠道 Add a notifier (admin, compliance_manager).

    `kind`: webhook | wecom | dingtalk | feishu | email; `target`: the URL (e-mail: the
    recipients); `min_severity`: notices of this severity and above; `secret`: signing
    secret or SMTP password, stored encrypted and never returned; `options` per kind
    (docs/notify.md). A configuration that cannot work is 422 naming the field.
    """
    row = platform.alerts.notifiers.create(session, spec, actor=user.actor)
    response.headers["Location"] = f"{router.prefix}/notifiers/{row.id}"
    return NotifierRead.model_validate(row)


@router.get("/notifiers", response_model=Page[NotifierRead])
def list_notifiers(_user: Manager, platform: PlatformDep, session: ReaderDep) -> Page[NotifierRead]:
    """通知渠道 Every notifier, active or not (admin, compliance_manager)."""
    rows = platform.alerts.notifiers.all(session)
    return Page(items=[NotifierRead.model_validate(r) for r in rows], total=len(rows))


@router.get("/notifiers/{notifier_id}", response_model=NotifierRead, responses=documented(404))
def read_notifier(
    notifier_id: NotifierId, _user: Manager, platform: PlatformDep, session: ReaderDep
) -> NotifierRead:
    """一个通知渠道 One notifier (admin, compliance_manager)."""
    return NotifierRead.model_validate(platform.alerts.notifiers.get(session, notifier_id))


@router.delete("/notifiers/{notifier_id}", response_model=NotifierRead, responses=documented(404))
def deactivate_notifier(
    notifier_id: NotifierId, user: Manager, platform: PlatformDep, session: SessionDep
) -> NotifierRead:
    """停用 Stop sending through a notifier; it and its deliveries stay on record."""
    row = platform.alerts.notifiers.deactivate(session, notifier_id, actor=user.actor)
    return NotifierRead.model_validate(row)


@router.post(
    "/notifiers/{notifier_id}/test", response_model=SendResult, responses=documented(404, 409)
)
def test_notifier(notifier_id: NotifierId, user: Manager, platform: PlatformDep) -> SendResult:
    """测试发送 Send a test notice now (one attempt; `notifier.test` in the delivery log).

    200 either way: `status` says whether it was `sent`, `error` why not.
    """
    delivery = platform.alerts.test_send(notifier_id, actor=user.actor)
    return SendResult(
        status=delivery.status,
        attempts=delivery.attempts,
        code=delivery.code,
        response=delivery.response,
        error=delivery.error,
    )


@router.get("/notifications", response_model=Page[DeliveryRead])
def list_deliveries(
    _user: Manager,
    platform: PlatformDep,
    session: ReaderDep,
    notifier_id: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
    status: Literal["sent", "failed"] | None = None,
    event: Annotated[str | None, Query(min_length=1, max_length=64)] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = DEFAULT_LIMIT,
    offset: Annotated[int, Query(ge=0, le=MAX_ID)] = 0,
) -> Page[DeliveryRead]:
    """发送记录 The delivery log, newest first: one entry per attempt to send one notice
    through one notifier (admin, compliance_manager)."""
    rows, total = platform.alerts.notifiers.deliveries(
        session, notifier_id=notifier_id, status=status, event=event, limit=limit, offset=offset
    )
    return Page(items=[DeliveryRead.model_validate(r) for r in rows], total=total)

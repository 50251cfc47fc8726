"""The violation ledger: list and read cases; review, appeal, rule; comment and assign.

Who may act is in docs/api.md; a case the user may not see is 404, an action the role may
not take 403, one not allowed from the case's status 409.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Path, Query, status
from pydantic import BaseModel, Field

from hegui.api.deps import CurrentUser, PlatformDep, ReaderDep, SessionDep
from hegui.api.errors import documented
from hegui.api.schemas import DEFAULT_LIMIT, MAX_ID, MAX_LIMIT, Page
from hegui.errors import Invalid
from hegui.formats.times import DEFAULT_ZONE
from hegui.services.cases import CaseFilter, CaseRead
from hegui.services.cases.schemas import (
    AppealIn,
    Assignee,
    AssignIn,
    CommentIn,
    LabelIn,
    ReviewIn,
    RulingIn,
)

router = APIRouter(prefix="/api/v1/cases", tags=["cases"], responses=documented(401, 403))

CaseId = Annotated[int, Path(ge=1, le=MAX_ID, description="case id")]
Status = Literal[
    "new", "confirmed", "dismissed", "appealed", "upheld", "overturned", "withdrawn", "calibrated"
]
Text = Annotated[str | None, Query(min_length=1, max_length=128)]
MAX_SEARCH = 100


def _zoned(moment: datetime | None) -> datetime | None:
    # A time without a zone is China Standard Time, as everywhere in hegui.
    if moment is not None and moment.tzinfo is None:
        return moment.replace(tzinfo=DEFAULT_ZONE)
    return moment


def _above(below: float | None, low: float | None) -> float | None:
    if below is not None and low is not None and below <= low:
        raise Invalid(
            "query.score_below",
            "score_below 须大于 score_min: score_below must be above score_min",
        )
    return below


def _search(q: str | None) -> str | None:
    if q is None:
        return None
    text = q.strip()
    if not 1 <= len(text) <= MAX_SEARCH:
        raise Invalid(
            "query.q", f"搜索词须为 1–{MAX_SEARCH} 个字符 q must have 1 to {MAX_SEARCH} characters"
        )
    return text


def case_filter(
    platform: PlatformDep,
    kind: Literal["finding", "calibration", "all"] = "finding",
    status: Annotated[Status | None, Query()] = None,
    category: Text = None,
    severity: Literal["high", "medium", "low"] | None = None,
    agent_id: Text = None,
    team: Text = None,
    channel: Text = None,
    industry: Text = None,
    rule_id: Text = None,
    assignee: Text = None,
    since: Annotated[datetime | None, Query(description="occurred at or after (ISO 8601)")] = None,
    until: Annotated[datetime | None, Query(description="occurred before (ISO 8601)")] = None,
    overdue: Annotated[bool, Query(description="only open cases past their due date")] = False,
    score_min: Annotated[
        float | None,
        Query(ge=0, le=100, description="the conversation scored at least this (0–100)"),
    ] = None,
    score_below: Annotated[
        float | None,
        Query(gt=0, le=101, description="the conversation scored under this"),
    ] = None,
    q: Annotated[
        str | None,
        Query(
            max_length=1000,
            description="search: text (1–100 characters, trimmed) in the conversation, rule "
            "or agent id, the finding's message or its evidence",
        ),
    ] = None,
) -> CaseFilter:
    return CaseFilter(
        kind=kind,
        status=status,
        category=category,
        severity=severity,
        agent_id=agent_id,
        team=team,
        channel=channel,
        industry=industry,
        rule_id=rule_id,
        assignee=assignee,
        q=_search(q),
        score_min=score_min,
        score_below=_above(score_below, score_min),
        since=_zoned(since),
        until=_zoned(until),
        overdue_at=platform.clock.now() if overdue else None,
    )


@router.get("", response_model=Page[CaseRead])
def list_cases(
    user: CurrentUser,
    platform: PlatformDep,
    session: ReaderDep,
    where: Annotated[CaseFilter, Depends(case_filter)],
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = DEFAULT_LIMIT,
    offset: Annotated[int, Query(ge=0, le=MAX_ID)] = 0,
) -> Page[CaseRead]:
    """台账 Cases the user may see, newest first; `total` counts every match.

    `kind` defaults to finding cases (`calibration` lists calibration samples, `all` both);
    `since`/`until` bound when the conversation took place (a time without a zone is UTC+8);
    `q` finds its text (literally, Latin letters in either case) in the conversation, rule or
    agent id, the finding's message or its masked evidence.
    """
    items, total = platform.cases.list(session, user, where, limit=limit, offset=offset)
    return Page(items=items, total=total)


class Assignees(BaseModel):
    items: list[Assignee] = Field(description="active reviewers and compliance managers")


@router.get("/assignees", response_model=Assignees)
def list_assignees(user: CurrentUser, platform: PlatformDep, session: ReaderDep) -> Assignees:
    """可分派的人 Who a case may be assigned to: every active reviewer and compliance
    manager, by username — id, username and role only (reviewer, compliance_manager,
    team_lead: the roles that assign)."""
    return Assignees(items=list(platform.cases.assignees(session, user)))


@router.get("/{case_id}", response_model=CaseRead, responses=documented(404))
def read_case(
    case_id: CaseId, user: CurrentUser, platform: PlatformDep, session: ReaderDep
) -> CaseRead:
    """一个案件 One case with its history, comments and the masked transcript around the
    evidence (`transcript`, a few utterances either side; a calibration case: all)."""
    return platform.cases.get(session, user, case_id)


@router.post("/{case_id}/review", response_model=CaseRead, responses=documented(404, 409))
def review_case(
    case_id: CaseId, spec: ReviewIn, user: CurrentUser, platform: PlatformDep, session: SessionDep
) -> CaseRead:
    """复核 `new` → `confirmed` | `dismissed` (reviewer, compliance_manager).

    Confirming opens the agent's appeal window (`appeal_until`) and may assign training.
    """
    return platform.cases.review(session, user, case_id, spec)


@router.post("/{case_id}/appeal", response_model=CaseRead, responses=documented(404, 409))
def appeal_case(
    case_id: CaseId, spec: AppealIn, user: CurrentUser, platform: PlatformDep, session: SessionDep
) -> CaseRead:
    """申诉 `confirmed` → `appealed`: the case's own agent, before `appeal_until` (else 409)."""
    return platform.cases.appeal(session, user, case_id, spec)


@router.post("/{case_id}/ruling", response_model=CaseRead, responses=documented(404, 409))
def rule_on_case(
    case_id: CaseId, spec: RulingIn, user: CurrentUser, platform: PlatformDep, session: SessionDep
) -> CaseRead:
    """裁定 `appealed` → `upheld` | `overturned` (compliance_manager)."""
    return platform.cases.ruling(session, user, case_id, spec)


@router.post(
    "/{case_id}/comments",
    response_model=CaseRead,
    status_code=status.HTTP_201_CREATED,
    responses=documented(404),
)
def comment_on_case(
    case_id: CaseId, spec: CommentIn, user: CurrentUser, platform: PlatformDep, session: SessionDep
) -> CaseRead:
    """评论 Add a comment (anyone who may see the case, in any status)."""
    return platform.cases.comment(session, user, case_id, spec)


@router.post("/{case_id}/assign", response_model=CaseRead, responses=documented(404, 409))
def assign_case(
    case_id: CaseId, spec: AssignIn, user: CurrentUser, platform: PlatformDep, session: SessionDep
) -> CaseRead:
    """指派 Who handles an open case (`new`, `appealed`): a reviewer's or compliance manager's
    username, or null (reviewer, compliance_manager, team_lead of the case's team)."""
    return platform.cases.assign(session, user, case_id, spec)


@router.post(
    "/{case_id}/labels",
    response_model=CaseRead,
    status_code=status.HTTP_201_CREATED,
    responses=documented(404, 409),
)
def label_case(
    case_id: CaseId, spec: LabelIn, user: CurrentUser, platform: PlatformDep, session: SessionDep
) -> CaseRead:
    """校准标注 Label a calibration case `clean` or `violation` (+ `category`), once per
    reviewer (reviewer, compliance_manager); the second label makes it `calibrated`."""
    platform.calibration.label(session, user, case_id, spec)
    return platform.cases.get(session, user, case_id)

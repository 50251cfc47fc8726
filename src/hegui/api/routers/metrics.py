"""Dashboards: findings counted, conversation metrics and scores averaged per group, and
team × category heat-map cells."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from typing import Annotated

from fastapi import APIRouter, Depends, Query
from pydantic import AwareDatetime, BaseModel

from hegui.api.deps import CurrentUser, PlatformDep, ReaderDep
from hegui.api.errors import documented
from hegui.errors import Invalid
from hegui.services.metrics import (
    Dashboard,
    FindingGroup,
    GroupBy,
    MetricsGroup,
    PeopleGroupBy,
    Scope,
    conversations_by,
    dashboard,
    findings_by,
)
from hegui.services.scorecards import SCORE_BANDS, HeatCell, ScoreGroup, ScoreGroupBy

router = APIRouter(prefix="/api/v1/metrics", tags=["metrics"], responses=documented(401, 403))

# A "+" left unencoded in a query string arrives as a space: read it as "+".
OFFSET = r"^(Z|[+ -](0\d|1[0-4]):[0-5]\d)$"


class FindingGroups(BaseModel):
    groups: list[FindingGroup]


class MetricsGroups(BaseModel):
    groups: list[MetricsGroup]


class ScoreBand(BaseModel):
    """One band of the score distribution: scores from `score_min`, below `score_below`
    (null: up to 100), the bounds `GET /cases?score_min=&score_below=` takes."""

    key: str
    score_min: float
    score_below: float | None


class ScoreGroups(BaseModel):
    groups: list[ScoreGroup]
    bands: list[ScoreBand] | None = None  # with group_by=band: every band, empty ones too


class HeatMap(BaseModel):
    cells: list[HeatCell]


Since = Annotated[
    AwareDatetime | None, Query(description="conversations from (ISO 8601 with time zone)")
]
Until = Annotated[AwareDatetime | None, Query(description="to (exclusive)")]
Tz = Annotated[str, Query(pattern=OFFSET, description="UTC offset of days: Z, %2B08:00 (+08:00) …")]


def filters(
    since: Since = None,
    until: Until = None,
    team: Annotated[str | None, Query(min_length=1, max_length=64, description="team")] = None,
    channel: Annotated[
        str | None, Query(min_length=1, max_length=16, description="channel")
    ] = None,
    industry: Annotated[
        str | None, Query(min_length=1, max_length=16, description="industry")
    ] = None,
    agent: Annotated[str | None, Query(min_length=1, max_length=64, description="agent id")] = None,
) -> Scope:
    """The period and the filters of every metrics query (the viewer's role limits more)."""
    _period(since, until)
    return Scope(
        since=since, until=until, team=team, channel=channel, industry=industry, agent=agent
    )


def scope(where: Annotated[Scope, Depends(filters)], tz: Tz = "Z") -> Scope:
    return replace(where, utc_offset=_offset(tz))


ScopeDep = Annotated[Scope, Depends(scope)]


@router.get("/dashboard", response_model=Dashboard, responses=documented(422))
def dashboard_metrics(user: CurrentUser, session: ReaderDep, where: ScopeDep) -> Dashboard:
    """总览 The dashboard in one answer: the findings counted (`total`), grouped every way
    `/metrics/findings` groups them (`groups`: day, category, severity, channel, team,
    agent), and `options`: the teams, channels and industries of this user's findings in
    the period, whatever the filters (what there is to choose from)."""
    return dashboard(session, user, where)


@router.get("/findings", response_model=FindingGroups, responses=documented(422))
def findings_metrics(
    user: CurrentUser,
    session: ReaderDep,
    group_by: Annotated[
        GroupBy, Query(description="day | category | severity | channel | team | agent")
    ],
    where: ScopeDep,
) -> FindingGroups:
    """质检结果统计 Current findings counted per group, of the conversations this user may
    see (an agent its own, a team lead its team's) that took place in [since, until), of
    the `team`, `channel`, `industry` and `agent` given.

    `day` groups by calendar day (`YYYY-MM-DD`) at the offset `tz`, in date order; the other
    groups are ordered by count, largest first. A conversation without a team or agent is
    counted under the key null.
    """
    return FindingGroups(groups=findings_by(session, user, group_by, where))


@router.get("/conversations", response_model=MetricsGroups, responses=documented(422))
def conversation_metrics(
    user: CurrentUser,
    session: ReaderDep,
    group_by: Annotated[PeopleGroupBy, Query(description="day | channel | team | agent")],
    where: ScopeDep,
) -> MetricsGroups:
    """服务质量指标 Conversation metrics averaged per group (talk ratio, silence,
    interruptions, speech rate, response times, hold and dead air), over the newest revision
    of each conversation this user may see that took place in [since, until), of the
    `team`, `channel`, `industry` and `agent` given.

    `conversations` counts those measured; each average is over the conversations that have
    the metric (null where none has: e.g. chats have no talk time).
    """
    return MetricsGroups(groups=conversations_by(session, user, group_by, where))


@router.get("/scores", response_model=ScoreGroups, responses=documented(422))
def score_metrics(
    user: CurrentUser,
    session: ReaderDep,
    platform: PlatformDep,
    group_by: Annotated[
        ScoreGroupBy, Query(description="day | channel | team | agent | scorecard | band")
    ],
    where: ScopeDep,
) -> ScoreGroups:
    """质检评分统计 Scores per group: conversations scored, average, lowest, highest and how
    many scored 0 on a fatal item; days in date order, the rest lowest average first.
    `band` is the score distribution: 0-59, 60-69, 70-79, 80-89, 90-100, lowest first
    (a band with no conversation is left out of `groups`; `bands` lists every band with its
    bounds); `GET /cases?score_min=&score_below=` lists the cases behind a band. Filtered
    like `/metrics/findings`."""
    groups = platform.scorecards.scores_by(session, user, group_by, where)
    if group_by != "band":
        return ScoreGroups(groups=groups)
    bands = [ScoreBand(key=k, score_min=low, score_below=below) for k, low, below in SCORE_BANDS]
    return ScoreGroups(groups=groups, bands=bands)


@router.get("/heatmap", response_model=HeatMap, responses=documented(422))
def heatmap(
    user: CurrentUser,
    session: ReaderDep,
    platform: PlatformDep,
    where: Annotated[Scope, Depends(filters)],
) -> HeatMap:
    """团队×类别热力图 Per team and category: the findings scores counted (not dismissed,
    overturned or withdrawn) and the points they cost, for [since, until), filtered like
    `/metrics/findings`."""
    return HeatMap(cells=platform.scorecards.heatmap(session, user, where))


def _period(since: datetime | None, until: datetime | None) -> None:
    if since is not None and until is not None and not since < until:
        raise Invalid("query.until", "须晚于 since until must be after since")


def _offset(tz: str) -> timedelta:
    if tz == "Z":
        return timedelta(0)
    sign = -1 if tz[0] == "-" else 1
    hours, minutes = int(tz[1:3]), int(tz[4:6])
    return sign * timedelta(hours=hours, minutes=minutes)

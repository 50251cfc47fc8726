"""Counts for dashboards: findings grouped by day, category, severity, channel, team, agent."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import AwareDatetime, BaseModel

from hegui.api.deps import CurrentUser, ReaderDep
from hegui.api.errors import documented
from hegui.errors import Invalid
from hegui.services.metrics import FindingGroup, GroupBy, findings_by

router = APIRouter(prefix="/api/v1/metrics", tags=["metrics"], responses=documented(401, 403))

# A "+" left unencoded in a query string arrives as a space: read it as "+".
OFFSET = r"^(Z|[+ -](0\d|1[0-4]):[0-5]\d)$"


class FindingGroups(BaseModel):
    groups: list[FindingGroup]


@router.get("/findings", response_model=FindingGroups, responses=documented(422))
def findings_metrics(
    user: CurrentUser,
    session: ReaderDep,
    group_by: Annotated[
        GroupBy, Query(description="day | category | severity | channel | team | agent")
    ],
    since: Annotated[
        AwareDatetime | None, Query(description="conversations from (ISO 8601 with time zone)")
    ] = None,
    until: Annotated[AwareDatetime | None, Query(description="to (exclusive)")] = None,
    tz: Annotated[
        str,
        Query(pattern=OFFSET, description="UTC offset of days: Z, %2B08:00 (+08:00) …"),
    ] = "Z",
) -> FindingGroups:
    """质检结果统计 Current findings counted per group, of the conversations this user may
    see (an agent its own, a team lead its team's) that took place in [since, until).

    `day` groups by calendar day (`YYYY-MM-DD`) at the offset `tz`, in date order; the other
    groups are ordered by count, largest first. A conversation without a team or agent is
    counted under the key null.
    """
    if since is not None and until is not None and not since < until:
        raise Invalid("query.until", "须晚于 since until must be after since")
    groups = findings_by(session, user, group_by, since=since, until=until, utc_offset=_offset(tz))
    return FindingGroups(groups=groups)


def _offset(tz: str) -> timedelta:
    if tz == "Z":
        return timedelta(0)
    sign = -1 if tz[0] == "-" else 1
    hours, minutes = int(tz[1:3]), int(tz[4:6])
    return sign * timedelta(hours=hours, minutes=minutes)

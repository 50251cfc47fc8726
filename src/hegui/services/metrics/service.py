"""Findings counted by day, category, severity, channel, team or agent, and the dashboard's
summary: every grouping at once, with the filter values there are to choose from.

Counted: the current findings (not superseded) of each conversation's newest revision,
of conversations that took place in [since, until) (`started_at`, else when received),
of the team, channel, industry and agent asked for, and only those the viewer may see
(`hegui.services.access`). They are counted from the ledger's finding cases, one per
finding (`hegui.services.metrics.scope`). Days are calendar days at a fixed UTC offset
(China has no daylight saving time: `+08:00` is Beijing time).
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from hegui.services.access import Principal
from hegui.services.cases.models import Case
from hegui.services.metrics.schemas import Dashboard, FindingGroup, GroupBy
from hegui.services.metrics.scope import CASES, Scope, counted, day_of, in_order, scoped

_COLUMNS = {"category": Case.category, "severity": Case.severity}
HOUR = timedelta(hours=1)


def findings_by(
    session: Session, viewer: Principal, group_by: GroupBy, scope: Scope | None = None
) -> list[FindingGroup]:
    """Groups by key: days in date order, the others by count (largest first), then key."""
    scope = scope or Scope()
    if group_by == "day":
        return _days(session, viewer, scope)
    key = _COLUMNS[group_by] if group_by in _COLUMNS else getattr(CASES, group_by)
    return _groups(_counts(session, viewer, scope, key), 0, group_by)


def dashboard(session: Session, viewer: Principal, scope: Scope | None = None) -> Dashboard:
    """Every grouping of `findings_by` in one read, their total, and per filter the values
    the viewer's findings of the period have (whatever the filters: what to choose from).

    Three scans of the covering index, not six: SQLite sorts every row to group them, so
    a scan grouped by (category, severity, channel, industry) costs what one grouped by
    category does, and its few hundred rows are summed here per key."""
    scope = scope or Scope()
    what = _counts(
        session, viewer, scope, Case.category, Case.severity, Case.channel, Case.industry
    )
    who = _counts(session, viewer, scope, Case.team, Case.agent_id)
    groups = {
        "day": _days(session, viewer, scope),
        "category": _groups(what, 0, "category"),
        "severity": _groups(what, 1, "severity"),
        "channel": _groups(what, 2, "channel"),
        "team": _groups(who, 0, "team"),
        "agent": _groups(who, 1, "agent"),
    }
    total = sum(row[-1] for row in who)
    if scope.filters():
        found = options(session, viewer, Scope(since=scope.since, until=scope.until))
    else:
        found = {
            "team": sorted({row[0] for row in who if row[0] is not None}),
            "channel": sorted({row[2] for row in what if row[2] is not None}),
            "industry": sorted({row[3] for row in what if row[3] is not None}),
        }
    return Dashboard(total=total, groups=groups, options=found)


def options(session: Session, viewer: Principal, scope: Scope) -> dict[str, list[str]]:
    """The team, channel and industry values of the findings in scope, sorted."""
    rows = _counts(session, viewer, scope, CASES.team, CASES.channel, CASES.industry)
    return {
        name: sorted({row[i] for row in rows if row[i] is not None})
        for i, name in enumerate(("team", "channel", "industry"))
    }


def _counts(session: Session, viewer: Principal, scope: Scope, *keys: Any) -> list[tuple[Any, ...]]:
    """(key values…, count) of the counted cases in scope, per distinct key values."""
    query: Select[Any] = counted(select(*keys, func.count()).select_from(Case)).group_by(*keys)
    return [tuple(row) for row in session.execute(scoped(query, viewer, scope, CASES))]


def _groups(rows: list[tuple[Any, ...]], index: int, group_by: str) -> list[FindingGroup]:
    summed: Counter[Any] = Counter()
    for row in rows:
        summed[row[index]] += row[-1]
    groups = [FindingGroup(key=key, count=n) for key, n in summed.items()]
    return in_order(groups, group_by, lambda g: -g.count)


def _days(session: Session, viewer: Principal, scope: Scope) -> list[FindingGroup]:
    offset = scope.utc_offset
    if session.get_bind().dialect.name != "sqlite" or offset % HOUR:
        key = day_of(session, offset, Case.occurred_at)
        return _groups(_counts(session, viewer, scope, key), 0, "day")
    # SQLite keeps UTC as text, 'YYYY-MM-DD HH:MM:SS…': counted per UTC hour (cheaper than
    # parsing every time), each hour then moved to its day at the whole-hour offset.
    hours = _counts(session, viewer, scope, func.substr(Case.occurred_at, 1, 13))
    summed: Counter[str] = Counter()
    for hour, n in hours:
        local = datetime.strptime(hour, "%Y-%m-%d %H") + offset
        summed[local.strftime("%Y-%m-%d")] += n
    groups = [FindingGroup(key=day, count=n) for day, n in summed.items()]
    return in_order(groups, "day", lambda g: g.key)

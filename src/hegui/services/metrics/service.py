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

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from hegui.services.access import Principal
from hegui.services.cases.models import Case
from hegui.services.metrics.schemas import GROUP_BY, Dashboard, FindingGroup, GroupBy
from hegui.services.metrics.scope import CASES, FILTERS, Scope, counted, in_order, scoped

_COLUMNS = {"category": Case.category, "severity": Case.severity}


def findings_by(
    session: Session, viewer: Principal, group_by: GroupBy, scope: Scope | None = None
) -> list[FindingGroup]:
    """Groups by key: days in date order, the others by count (largest first), then key."""
    scope = scope or Scope()
    if group_by in _COLUMNS:
        key = _COLUMNS[group_by].expression
    else:
        key = CASES.key(session, group_by, scope.utc_offset)
    query = counted(select(key.label("key"), func.count()).select_from(Case)).group_by(key)
    rows = session.execute(scoped(query, viewer, scope, CASES)).all()
    groups = [FindingGroup(key=row[0], count=row[1]) for row in rows]
    return in_order(groups, group_by, lambda g: -g.count)


def dashboard(session: Session, viewer: Principal, scope: Scope | None = None) -> Dashboard:
    """Every grouping of `findings_by` in one read, their total, and per filter the values
    the viewer's findings of the period have (whatever the filters: what to choose from)."""
    scope = scope or Scope()
    groups = {name: findings_by(session, viewer, name, scope) for name in GROUP_BY}  # type: ignore[arg-type]
    total = sum(g.count for g in groups["severity"])
    period = Scope(since=scope.since, until=scope.until)
    return Dashboard(total=total, groups=groups, options=options(session, viewer, period))


def options(session: Session, viewer: Principal, scope: Scope) -> dict[str, list[str]]:
    """The team, channel and industry values of the findings in scope, sorted."""
    names = [name for name in FILTERS if name != "agent"]
    query = counted(select(*(getattr(CASES, name) for name in names)).distinct())
    rows = session.execute(scoped(query, viewer, scope, CASES)).all()
    found: dict[str, set[str]] = {name: set() for name in names}
    for row in rows:
        for name, value in zip(found, row, strict=True):
            if value is not None:
                found[name].add(value)
    return {name: sorted(values) for name, values in found.items()}

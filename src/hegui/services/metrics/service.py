"""Findings counted by day, category, severity, channel, team or agent.

Counted: the current findings (not superseded) of each conversation's newest revision,
of conversations that took place in [since, until) (`started_at`, else when received),
and only those the viewer may see (`hegui.services.access`). Days are calendar days at
a fixed UTC offset (China has no daylight saving time: `+08:00` is Beijing time).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, func, literal_column, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from hegui.services.access import Principal, restrict
from hegui.services.conversations.models import ConversationRevision, StoredConversation
from hegui.services.findings.models import StoredFinding
from hegui.services.metrics.schemas import FindingGroup, GroupBy

Finding, Conversation, Revision = StoredFinding, StoredConversation, ConversationRevision


def findings_by(
    session: Session,
    viewer: Principal,
    group_by: GroupBy,
    *,
    since: datetime | None = None,
    until: datetime | None = None,
    utc_offset: timedelta = timedelta(0),
) -> list[FindingGroup]:
    """Groups by key: days in date order, the others by count (largest first), then key."""
    key = _key(session, group_by, utc_offset).label("key")
    query = (
        select(key, func.count().label("count"))
        .select_from(Finding)
        .join(Revision, Revision.id == Finding.revision_id)
        .join(
            Conversation,
            (Conversation.id == Revision.conversation_id)
            & (Conversation.revision == Revision.number),
        )
        .where(Finding.superseded_at.is_(None))
        .group_by(key)
    )
    if since is not None:
        query = query.where(Conversation.occurred_at >= since)
    if until is not None:
        query = query.where(Conversation.occurred_at < until)
    rows = session.execute(restrict(query, viewer, Conversation)).all()
    groups = [FindingGroup(key=row[0], count=row[1]) for row in rows]
    if group_by == "day":
        return sorted(groups, key=lambda g: g.key or "")
    return sorted(groups, key=lambda g: (-g.count, g.key is None, g.key or ""))


def _key(session: Session, group_by: GroupBy, utc_offset: timedelta) -> ColumnElement[Any]:
    columns: dict[str, InstrumentedAttribute[Any]] = {
        "category": Finding.category,
        "severity": Finding.severity,
        "channel": Conversation.channel,
        "team": Conversation.team,
        "agent": Conversation.agent_id,
    }
    if group_by != "day":
        return columns[group_by].expression
    return day_of(session, utc_offset)


def day_of(session: Session, utc_offset: timedelta) -> ColumnElement[Any]:
    """`YYYY-MM-DD` of `occurred_at` at the offset, in each database's own dialect."""
    minutes = int(utc_offset.total_seconds() // 60)
    if session.get_bind().dialect.name == "sqlite":
        # SQLite keeps UTC as naive text; strftime's modifier shifts it.
        return func.strftime("%Y-%m-%d", Conversation.occurred_at, f"{minutes:+d} minutes")
    # An int we computed, not input: safe to write into the statement.
    shift: ColumnElement[Any] = literal_column(f"INTERVAL '{minutes} minutes'")
    return func.to_char(func.timezone("UTC", Conversation.occurred_at) + shift, "YYYY-MM-DD")

"""Conversation metrics: stored when a revision is first inspected, averaged per agent,
team, channel or day over the newest revision of each conversation the viewer may see."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from hegui.engine.metrics import ConversationMetrics
from hegui.services.access import Principal, restrict
from hegui.services.clock import Clock
from hegui.services.conversations.models import ConversationRevision, StoredConversation
from hegui.services.metrics.models import COUNTS, FLOATS, ConversationMetricsRow
from hegui.services.metrics.schemas import MetricsGroup, PeopleGroupBy
from hegui.services.metrics.service import day_of

Row, Conversation, Revision = ConversationMetricsRow, StoredConversation, ConversationRevision
AVERAGED = (*FLOATS, *COUNTS[1:])  # every metric but the utterance count


def record(
    session: Session, revision: ConversationRevision, metrics: ConversationMetrics, now: datetime
) -> None:
    """Store a revision's metrics once (a re-inspection reads the same timestamps)."""
    if session.get(Row, revision.id) is not None:
        return
    values = {name: getattr(metrics, name) for name in (*FLOATS, *COUNTS)}
    session.add(
        Row(
            revision_id=revision.id,
            conversation_id=revision.conversation_id,
            measured_at=now,
            **values,
        )
    )


def for_revision(session: Session, revision_id: int) -> dict[str, Any] | None:
    row = session.get(Row, revision_id)
    if row is None:
        return None
    return {name: getattr(row, name) for name in (*COUNTS, *FLOATS)}


def conversations_by(
    session: Session,
    viewer: Principal,
    group_by: PeopleGroupBy,
    *,
    since: datetime | None = None,
    until: datetime | None = None,
    utc_offset: timedelta = timedelta(0),
) -> list[MetricsGroup]:
    """Per group: conversations measured and the average of each metric over those that
    have it (null where none has); days in date order, the rest by count, then key."""
    key = _key(session, group_by, utc_offset).label("key")
    averages = [func.avg(getattr(Row, name)).label(name) for name in AVERAGED]
    query = (
        select(key, func.count().label("conversations"), *averages)
        .select_from(Row)
        .join(Revision, Revision.id == Row.revision_id)
        .join(
            Conversation,
            (Conversation.id == Revision.conversation_id)
            & (Conversation.revision == Revision.number),
        )
        .group_by(key)
    )
    if since is not None:
        query = query.where(Conversation.occurred_at >= since)
    if until is not None:
        query = query.where(Conversation.occurred_at < until)
    rows = session.execute(restrict(query, viewer, Conversation)).all()
    groups = [
        MetricsGroup(
            key=row[0],
            conversations=row[1],
            averages={
                name: None if value is None else round(float(value), 3)
                for name, value in zip(AVERAGED, row[2:], strict=True)
            },
        )
        for row in rows
    ]
    if group_by == "day":
        return sorted(groups, key=lambda g: g.key or "")
    return sorted(groups, key=lambda g: (-g.conversations, g.key is None, g.key or ""))


def _key(session: Session, group_by: PeopleGroupBy, utc_offset: timedelta) -> ColumnElement[Any]:
    if group_by == "day":
        return day_of(session, utc_offset)
    column = {"agent": Conversation.agent_id, "team": Conversation.team}.get(
        group_by, Conversation.channel
    )
    return column.expression


class MetricsRecorder:
    """The inspection step's hook: stores the metrics measured on a first inspection."""

    def __init__(self, clock: Clock) -> None:
        self.clock = clock

    def on_inspected(
        self,
        session: Session,
        revision: ConversationRevision,
        metrics: ConversationMetrics | None,
    ) -> None:
        if metrics is not None:
            record(session, revision, metrics, self.clock.now())

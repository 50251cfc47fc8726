"""Conversation metrics: stored when a revision is first inspected, averaged per agent,
team, channel or day over the newest revision of each conversation the viewer may see."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from hegui.engine.metrics import ConversationMetrics
from hegui.services.access import Principal
from hegui.services.clock import Clock
from hegui.services.conversations.models import ConversationRevision
from hegui.services.metrics.models import COUNTS, FLOATS, ConversationMetricsRow
from hegui.services.metrics.schemas import MetricsGroup, PeopleGroupBy
from hegui.services.metrics.scope import NEWEST, Scope, in_order, newest, scoped

Row = ConversationMetricsRow
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
    session: Session, viewer: Principal, group_by: PeopleGroupBy, scope: Scope | None = None
) -> list[MetricsGroup]:
    """Per group: conversations measured and the average of each metric over those that
    have it (null where none has); days in date order, the rest by count, then key."""
    scope = scope or Scope()
    key = NEWEST.key(session, group_by, scope.utc_offset)
    averages = [func.avg(getattr(Row, name)).label(name) for name in AVERAGED]
    query = select(key.label("key"), func.count().label("conversations"), *averages)
    query = newest(query.select_from(Row), Row.revision_id).group_by(key)
    rows = session.execute(scoped(query, viewer, scope, NEWEST)).all()
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
    return in_order(groups, group_by, lambda g: -g.conversations)


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

"""Daily digests and weekly summaries of the cases of the severities the policy announces so.

Once a day (week) is over, plus a grace period for transactions still committing, one
`digest` notice per severity covers the cases opened in it: counts by category and team,
and the first cases. It goes through the outbox under the key
`digest:<daily|weekly>:<severity>:<period>`, so it is queued once and sent once per
notifier whatever the number of servers or restarts. A period without cases sends nothing.
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from hegui.adapters.notify import Notice
from hegui.services.alerts import outbox
from hegui.services.alerts.models import OutboxEntry
from hegui.services.alerts.policy import SeverityPolicy, previous_period
from hegui.services.cases.models import FINDING, Case

GRACE = timedelta(minutes=5)
LISTED = 100
PERIODS = (("daily", "day", "每日汇总 daily digest"), ("weekly", "week", "每周汇总 weekly summary"))


def queue_digests(session: Session, policy: SeverityPolicy, now: datetime) -> list[str]:
    """Queue the digests of the periods that ended before `now`; their keys."""
    queued = []
    for mode, period, name in PERIODS:
        start, end, label = previous_period(period, now - GRACE)
        for severity in policy.digested(mode):
            key = f"digest:{mode}:{severity}:{label}"
            if session.scalar(select(exists().where(OutboxEntry.key == key))):
                continue
            query = (
                select(Case)
                .where(
                    Case.kind == FINDING,
                    Case.severity == severity,
                    Case.created_at >= start,
                    Case.created_at < end,
                )
                .order_by(Case.id)
            )
            cases = session.scalars(query).all()
            if cases:
                payload = _payload(mode, severity, label, start, end, cases)
                outbox.enqueue(session, _notice(key, name, severity, label, payload), now)
                queued.append(key)
    return queued


def _payload(
    mode: str, severity: str, label: str, start: datetime, end: datetime, cases: Any
) -> dict[str, Any]:
    return {
        "period": mode,
        "label": label,
        "severity": severity,
        "since": start.isoformat(),
        "until": end.isoformat(),
        "count": len(cases),
        "open": sum(1 for c in cases if c.status in ("new", "appealed")),
        "by_category": dict(Counter(c.category for c in cases).most_common()),
        "by_team": dict(Counter(c.team or "-" for c in cases).most_common()),
        "cases": [_summary(c) for c in cases[:LISTED]],
    }


def _summary(case: Case) -> dict[str, Any]:
    return {
        "id": case.id,
        "category": case.category,
        "rule_id": case.rule_id,
        "status": case.status,
        "conversation_id": case.conversation_id,
        "agent_id": case.agent_id,
        "team": case.team,
        "channel": case.channel,
        "due_at": case.due_at.isoformat() if case.due_at else None,
    }


def _notice(key: str, name: str, severity: str, label: str, payload: dict[str, Any]) -> Notice:
    lines = [f"{category}: {n}" for category, n in payload["by_category"].items()]
    return Notice(
        event="digest",
        severity=severity,  # type: ignore[arg-type]
        title=f"{name} {label}: {payload['count']} 个案件 cases",
        text="\n".join([f"未处理 open: {payload['open']}", *lines]),
        idempotency_key=key,
        payload=payload,
    )

"""The outbox: notices written in the transaction that makes the news, sent after it commits.

A case opened by the worker must not be announced if the worker's transaction rolls back,
and must not be lost if the process dies right after the commit: so the notice is a row of
that transaction, and a delivery loop (`deliver_outbox`) sends what is pending. Rows are
claimed with a lease (`next_at` moved forward, `FOR UPDATE SKIP LOCKED` on PostgreSQL), so
two servers never deliver one row at once; a failed delivery backs off and is retried.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import exists, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from hegui.adapters.notify import Notice
from hegui.services.alerts.models import DELIVERED, GAVE_UP, PENDING, OutboxEntry

LEASE = timedelta(minutes=5)
BACKOFF = timedelta(seconds=30)
BACKOFF_MAX = timedelta(hours=1)
MAX_TRIES = 20
ERROR_CHARS = 2000


@dataclass(frozen=True)
class Queued:
    """A claimed outbox row, detached from any session."""

    id: int
    notice: Notice
    lease_owner: str


def enqueue(
    session: Session,
    notice: Notice,
    now: datetime,
) -> bool:
    """Queue `notice` unless a notice with its key was queued before; whether it was new."""
    key = notice.idempotency_key
    if session.scalar(select(exists().where(OutboxEntry.key == key))):
        return False
    row = OutboxEntry(**_row(notice, now))
    try:
        with session.begin_nested():  # a concurrent writer of the same key wins
            session.add(row)
    except IntegrityError:
        return False
    return True


def enqueue_new(session: Session, notices: Sequence[Notice], now: datetime) -> None:
    """Queue notices whose keys are new by construction (a case just opened), in one
    statement; a clash is a bug and fails the caller's transaction."""
    if notices:
        session.execute(insert(OutboxEntry), [_row(notice, now) for notice in notices])


def _row(notice: Notice, now: datetime) -> dict[str, Any]:
    return dict(
        key=notice.idempotency_key,
        event=notice.event,
        severity=notice.severity,
        title=notice.title,
        text=notice.text,
        payload=dict(notice.payload),
        state=PENDING,
        attempts=0,
        created_at=now,
        next_at=now,
        lease_owner=None,
        delivered_at=None,
        last_error=None,
    )


def claim(session: Session, owner: str, now: datetime, limit: int) -> list[Queued]:
    query = (
        select(OutboxEntry)
        .where(OutboxEntry.state == PENDING, OutboxEntry.next_at <= now)
        .order_by(OutboxEntry.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    rows = session.scalars(query).all()
    for row in rows:
        row.next_at, row.lease_owner = now + LEASE, owner
    session.flush()
    return [Queued(row.id, _notice(row), owner) for row in rows]


def finish(session: Session, item: Queued, errors: list[str], now: datetime) -> None:
    """Delivered to every notifier (or none wanted it), else back off and try again later."""
    query = select(OutboxEntry).where(OutboxEntry.id == item.id).with_for_update()
    row = session.scalars(query).one_or_none()
    if row is None or row.state != PENDING or row.lease_owner != item.lease_owner:
        return  # the lease ran out and another server took it over
    row.attempts += 1
    row.lease_owner = None
    if not errors:
        row.state, row.delivered_at, row.last_error = DELIVERED, now, None
        return
    row.last_error = "; ".join(errors)[:ERROR_CHARS]
    if row.attempts >= MAX_TRIES:
        row.state = GAVE_UP
    else:
        row.next_at = now + min(BACKOFF * 2 ** (row.attempts - 1), BACKOFF_MAX)


def _notice(row: OutboxEntry) -> Notice:
    payload: Mapping[str, Any] = dict(row.payload)
    return Notice(
        event=row.event,
        severity=row.severity,  # type: ignore[arg-type]
        title=row.title,
        text=row.text,
        idempotency_key=row.key,
        payload=payload,
    )

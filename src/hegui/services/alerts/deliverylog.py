"""The delivery log on the database: `hegui.adapters.notify.DeliveryLog` for the dispatcher.

Each attempt is written in a transaction of its own, committed at once: a send recorded as
`sent` stays recorded whatever happens to the caller, so a restart does not send it again.
Two processes recording the same send hit the partial unique index; the second one's row
is dropped (the send it reports happened; the log keeps the first).
"""

from __future__ import annotations

from sqlalchemy import exists, select
from sqlalchemy.exc import IntegrityError

from hegui.adapters.notify import DeliveryRecord
from hegui.adapters.notify.base import excerpt
from hegui.db import Database
from hegui.services.alerts.models import DeliveryRow

SENT = "sent"


class DatabaseDeliveryLog:
    def __init__(self, db: Database) -> None:
        self.db = db

    def already_sent(self, key: str, notifier_id: str) -> bool:
        query = select(
            exists().where(
                DeliveryRow.idempotency_key == key,
                DeliveryRow.notifier_id == int(notifier_id),
                DeliveryRow.status == SENT,
            )
        )
        with self.db.reader() as session:
            return bool(session.scalar(query))

    def record(self, entry: DeliveryRecord) -> None:
        row = DeliveryRow(
            notifier_id=int(entry.notifier_id),
            kind=entry.kind,
            idempotency_key=entry.idempotency_key[:255],
            event=entry.event[:64],
            attempt=entry.attempt,
            status=entry.status,
            code=entry.code,
            response=excerpt(entry.response),
            error=entry.error,
            at=entry.at,
        )
        with self.db.transaction() as session:
            try:
                with session.begin_nested():
                    session.add(row)
            except IntegrityError:
                pass  # another process recorded this send first

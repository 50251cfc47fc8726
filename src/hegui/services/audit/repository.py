"""Queries on the audit log and its head."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from hegui.services.audit.models import AuditEntry, AuditHead

HEAD_ID = 1


class AuditRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def head_for_append(self) -> AuditHead | None:
        """The head row, locked until the transaction ends (PostgreSQL: FOR UPDATE).

        `populate_existing`: a head loaded earlier in this session may be stale by now.
        """
        query = select(AuditHead).where(AuditHead.id == HEAD_ID).with_for_update()
        return self.session.scalars(query.execution_options(populate_existing=True)).first()

    def head(self) -> AuditHead | None:
        return self.session.get(AuditHead, HEAD_ID)

    def add(self, entry: AuditEntry) -> None:
        self.session.add(entry)

    def stream(self, batch: int = 1000) -> Iterator[AuditEntry]:
        """Every entry in seq order, fetched in batches (the log grows without bound)."""
        last = 0
        while True:
            query = select(AuditEntry).where(AuditEntry.seq > last).order_by(AuditEntry.seq)
            page = self.session.scalars(query.limit(batch)).all()
            yield from page
            if len(page) < batch:
                return
            last = page[-1].seq
            self.session.expunge_all()

    def page(self, *, after: int, limit: int) -> Sequence[AuditEntry]:
        query = select(AuditEntry).where(AuditEntry.seq > after).order_by(AuditEntry.seq)
        return self.session.scalars(query.limit(limit)).all()

    def count(self) -> int:
        return self.session.scalar(select(func.count()).select_from(AuditEntry)) or 0

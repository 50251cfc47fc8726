"""Queries on findings and inspections."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import Any

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from hegui.services.findings.models import Inspection, StoredFinding


class FindingRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def of_revision(
        self, revision_id: int, *, rule_ids: Collection[str] | None = None, current: bool = False
    ) -> Sequence[StoredFinding]:
        """`rule_ids`: only these rules' findings; `current`: none superseded."""
        query = select(StoredFinding).where(StoredFinding.revision_id == revision_id)
        if rule_ids is not None:
            query = query.where(StoredFinding.rule_id.in_(list(rule_ids)))
        if current:
            query = query.where(StoredFinding.superseded_at.is_(None))
        order = (
            StoredFinding.utterance_index.asc().nulls_last(),  # missing things last, as the engine
            StoredFinding.span_start.asc().nulls_last(),
            StoredFinding.id,
        )
        return self.session.scalars(query.order_by(*order)).all()

    def inspections(self, revision_id: int) -> Sequence[Inspection]:
        query = select(Inspection).where(Inspection.revision_id == revision_id)
        return self.session.scalars(query.order_by(Inspection.id)).all()

    def added_by_job(self, job_id: int) -> int:
        query = select(func.coalesce(func.sum(Inspection.added), 0)).where(
            Inspection.job_id == job_id
        )
        return int(self.session.scalar(query) or 0)

    def insert(self, rows: Sequence[dict[str, Any]]) -> list[StoredFinding]:
        """Many findings in one statement, back as rows of the session (hooks may edit them)."""
        if not rows:
            return []
        statement = insert(StoredFinding).returning(StoredFinding, sort_by_parameter_order=True)
        # populate_existing: SQLite reuses the ids of rows a rolled-back savepoint inserted,
        # and the session may still hold those rows' objects.
        statement = statement.execution_options(populate_existing=True)
        return list(self.session.scalars(statement, list(rows)).all())

    def add(self, *rows: object) -> None:
        self.session.add_all(rows)
        self.session.flush()

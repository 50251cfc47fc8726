"""Queries on cases, their history and calibration labels."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Select, exists, func, or_, select
from sqlalchemy.orm import Session, aliased

from hegui.services.access import Principal, restrict
from hegui.services.cases.models import ALL_KINDS, OPEN, Case, CaseEvent, CaseLabel
from hegui.services.cases.schemas import CaseFilter
from hegui.services.conversations.models import ConversationRevision
from hegui.services.findings.models import StoredFinding
from hegui.services.scorecards.models import ConversationScore

# (case, its finding or None, the revision's number)
CaseRow = tuple[Case, StoredFinding | None, int]
_EQUAL = (
    "status",
    "category",
    "severity",
    "agent_id",
    "team",
    "channel",
    "industry",
    "rule_id",
    "assignee",
)


class CaseRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def get(self, case_id: int, *, lock: bool = False) -> Case | None:
        query = select(Case).where(Case.id == case_id)
        if lock:
            # Two reviewers acting at once: the second waits, then sees the first's status.
            query = query.with_for_update().execution_options(populate_existing=True)
        return self.session.scalars(query).one_or_none()

    def rows(self, query: Select[Any]) -> list[CaseRow]:
        joined = (
            query.add_columns(StoredFinding, ConversationRevision.number)
            .outerjoin(StoredFinding, StoredFinding.id == Case.finding_id)
            .join(ConversationRevision, ConversationRevision.id == Case.revision_id)
        )
        return [(row[0], row[1], row[2]) for row in self.session.execute(joined)]

    def one(self, case_id: int) -> CaseRow | None:
        found = self.rows(select(Case).where(Case.id == case_id))
        return found[0] if found else None

    def page(
        self, viewer: Principal, where: CaseFilter, *, limit: int, offset: int
    ) -> tuple[list[CaseRow], int]:
        query = restrict(filtered(select(Case), where), viewer, Case)
        total = self.session.scalar(select(func.count()).select_from(query.subquery())) or 0
        ordered = query.order_by(Case.id.desc()).limit(limit).offset(offset)
        return self.rows(ordered), total

    def events(self, case_ids: Iterable[int]) -> dict[int, list[CaseEvent]]:
        ids = list(case_ids)
        out: dict[int, list[CaseEvent]] = {i: [] for i in ids}
        if ids:
            query = select(CaseEvent).where(CaseEvent.case_id.in_(ids)).order_by(CaseEvent.id)
            for event in self.session.scalars(query):
                out[event.case_id].append(event)
        return out

    def labels(self, case_ids: Iterable[int]) -> dict[int, list[CaseLabel]]:
        ids = list(case_ids)
        out: dict[int, list[CaseLabel]] = {i: [] for i in ids}
        if ids:
            query = select(CaseLabel).where(CaseLabel.case_id.in_(ids)).order_by(CaseLabel.id)
            for label in self.session.scalars(query):
                out[label.case_id].append(label)
        return out

    def by_findings(self, finding_ids: Iterable[int]) -> dict[int, Case]:
        ids = list(finding_ids)
        if not ids:
            return {}
        query = select(Case).where(Case.finding_id.in_(ids))
        return {case.finding_id: case for case in self.session.scalars(query) if case.finding_id}

    def overdue(self, now: datetime, limit: int) -> Sequence[Case]:
        """Open cases past their due date, oldest first, locked (others skip them)."""
        query = (
            select(Case)
            .where(Case.status.in_(OPEN), Case.due_at < now, Case.kind == "finding")
            .order_by(Case.due_at, Case.id)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
        return self.session.scalars(query).all()

    def add(self, *rows: object) -> None:
        self.session.add_all(rows)
        self.session.flush()


def filtered(query: Select[Any], where: CaseFilter) -> Select[Any]:
    if where.kind != ALL_KINDS:
        query = query.where(Case.kind == where.kind)
    for name in _EQUAL:
        value = getattr(where, name)
        if value is not None:
            query = query.where(getattr(Case, name) == value)
    if where.since is not None:
        query = query.where(Case.occurred_at >= where.since)
    if where.until is not None:
        query = query.where(Case.occurred_at < where.until)
    if where.overdue_at is not None:
        query = query.where(Case.status.in_(OPEN), Case.due_at < where.overdue_at)
    if where.q:
        query = query.where(_matching(where.q))
    if where.score_min is not None or where.score_below is not None:
        query = query.where(_scored(where.score_min, where.score_below))
    return query


def _scored(low: float | None, below: float | None) -> Any:
    """The case's revision was scored at least `low` and under `below` (either optional)."""
    scored = exists().where(ConversationScore.revision_id == Case.revision_id)
    if low is not None:
        scored = scored.where(ConversationScore.score >= low)
    if below is not None:
        scored = scored.where(ConversationScore.score < below)
    return scored.correlate(Case)


def _matching(text: str) -> Any:
    """The case's ids, or its finding's message or (masked) evidence, contain `text` —
    literally (`%` and `_` escaped), ignoring the case of Latin letters, on SQLite and
    PostgreSQL alike."""

    def has(column: Any) -> Any:
        return column.icontains(text, autoescape=True)

    # An alias: the page's rows join `findings` too, which must not be correlated here.
    found = aliased(StoredFinding)
    in_finding = (
        exists()
        .where(found.id == Case.finding_id, or_(has(found.message), has(found.evidence)))
        .correlate(Case)
    )
    return or_(has(Case.conversation_id), has(Case.rule_id), has(Case.agent_id), in_finding)

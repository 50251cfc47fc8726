"""Training push: an agent whose confirmed findings of one category reach the threshold in
a calendar week or month gets that category's course to acknowledge and complete.

`on_confirmed` runs in the transaction that confirms a case, so the assignment exists as
soon as the verdict does; the unique (agent, category, period) key keeps it to one. A
ruling that later overturns a case does not take an assignment back.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from hegui.adapters.notify import Notice
from hegui.errors import Conflict, Forbidden, NotFound
from hegui.services.access import Principal, ensure_visible, restrict
from hegui.services.alerts import outbox
from hegui.services.alerts.policy import period_bounds
from hegui.services.audit import AuditService
from hegui.services.cases.models import APPEALED, CONFIRMED, FINDING, UPHELD, Case
from hegui.services.clock import Clock
from hegui.services.training.courses import all_courses, course_for, known_category
from hegui.services.training.models import (
    ACKNOWLEDGED,
    ASSIGNED,
    COMPLETED,
    TrainingAssignment,
    TrainingCourse,
)
from hegui.services.training.schemas import AssignmentRead, CourseIn, CourseRead
from hegui.services.users.schemas import Role

COUNTED = (CONFIRMED, APPEALED, UPHELD)  # confirmed and not (yet) overturned
SYSTEM = "system"


class TrainingService:
    def __init__(self, audit: AuditService, clock: Clock, threshold: int, period: str) -> None:
        self.audit = audit
        self.clock = clock
        self.threshold = threshold
        self.period = period

    def on_confirmed(self, session: Session, case: Case) -> None:
        if case.agent_id is None or case.category is None:
            return
        start, end, label = period_bounds(self.period, case.occurred_at)
        query = select(Case.id).where(
            Case.kind == FINDING,
            Case.agent_id == case.agent_id,
            Case.category == case.category,
            Case.status.in_(COUNTED),
            Case.occurred_at >= start,
            Case.occurred_at < end,
        )
        case_ids = sorted(session.scalars(query))
        if len(case_ids) >= self.threshold:
            self._assign(session, case, label, case_ids)

    def _assign(self, session: Session, case: Case, period: str, case_ids: list[int]) -> None:
        assert case.agent_id is not None and case.category is not None
        taken = select(TrainingAssignment.id).where(
            TrainingAssignment.agent_id == case.agent_id,
            TrainingAssignment.category == case.category,
            TrainingAssignment.period == period,
        )
        if session.scalar(taken) is not None:
            return
        course = course_for(session, case.category)
        row = TrainingAssignment(
            agent_id=case.agent_id,
            team=case.team,
            category=case.category,
            period=period,
            confirmed=len(case_ids),
            case_ids=case_ids,
            course_title=course.title,
            course_url=course.url,
            status=ASSIGNED,
            created_at=self.clock.now(),
            acknowledged_at=None,
            completed_at=None,
        )
        try:
            with session.begin_nested():  # two confirmations racing: one assignment
                session.add(row)
        except IntegrityError:
            return
        read = AssignmentRead.model_validate(row)
        details = read.model_dump(mode="json", include={"agent_id", "category", "period"})
        self.audit.record(session, SYSTEM, "training.assign", ("training", row.id), details)
        outbox.enqueue(session, _notice(read), self.clock.now())

    def assignments(
        self,
        session: Session,
        viewer: Principal,
        *,
        status: str | None = None,
        agent_id: str | None = None,
        category: str | None = None,
        limit: int = 100,
        offset: int = 0,
    ) -> tuple[list[AssignmentRead], int]:
        everything: Select[Any] = select(TrainingAssignment)
        query = restrict(everything, viewer, TrainingAssignment)
        for column, value in (
            (TrainingAssignment.status, status),
            (TrainingAssignment.agent_id, agent_id),
            (TrainingAssignment.category, category),
        ):
            if value is not None:
                query = query.where(column == value)
        total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
        page = query.order_by(TrainingAssignment.id.desc()).limit(limit).offset(offset)
        return [AssignmentRead.model_validate(r) for r in session.scalars(page)], total

    def acknowledge(
        self, session: Session, viewer: Principal, assignment_id: int
    ) -> AssignmentRead:
        return self._advance(session, viewer, assignment_id, ASSIGNED, ACKNOWLEDGED)

    def complete(self, session: Session, viewer: Principal, assignment_id: int) -> AssignmentRead:
        return self._advance(session, viewer, assignment_id, ACKNOWLEDGED, COMPLETED)

    def _advance(
        self, session: Session, viewer: Principal, assignment_id: int, source: str, target: str
    ) -> AssignmentRead:
        if viewer.role != Role.agent:
            raise Forbidden("只有被指派的坐席可以操作 only the assigned agent may do this")
        row = session.get(TrainingAssignment, assignment_id, with_for_update=True)
        missing = f"培训任务不存在 no training assignment {assignment_id}"
        if row is None:
            raise NotFound(missing)
        ensure_visible(viewer, row.agent_id, row.team, missing)
        if row.status != source:
            raise Conflict(
                f"培训任务状态为 {row.status} assignment {assignment_id} is {row.status}; "
                f"{target} needs {source}"
            )
        now = self.clock.now()
        row.status = target
        if target == ACKNOWLEDGED:
            row.acknowledged_at = now
        else:
            row.completed_at = now
        session.flush()
        ref = ("training", row.id)
        self.audit.record(session, viewer.actor, f"training.{target}", ref, {"status": target})
        return AssignmentRead.model_validate(row)

    def courses(self, session: Session) -> list[CourseRead]:
        return all_courses(session)

    def set_course(
        self, session: Session, category: str, spec: CourseIn, *, actor: str
    ) -> CourseRead:
        known_category(category)
        row = session.get(TrainingCourse, category)
        now = self.clock.now()
        if row is None:
            row = TrainingCourse(
                category=category, title=spec.title, url=spec.url, updated_by=actor, updated_at=now
            )
            session.add(row)
        else:
            row.title, row.url, row.updated_by, row.updated_at = spec.title, spec.url, actor, now
        session.flush()
        details = {"title": spec.title, "url": spec.url}
        self.audit.record(session, actor, "training.course", ("category", category), details)
        return course_for(session, category)


def _notice(assignment: AssignmentRead) -> Notice:
    return Notice(
        event="training.assigned",
        severity="medium",
        title=f"培训任务 training for {assignment.agent_id}: {assignment.course_title}",
        text=(
            f"坐席 {assignment.agent_id} 在 {assignment.period} 有 {assignment.confirmed} 条"
            f"已确认的 {assignment.category} 违规 confirmed findings: {assignment.course_title}"
        ),
        idempotency_key=f"training-{assignment.id}:assigned",
        payload=assignment.model_dump(mode="json"),
    )

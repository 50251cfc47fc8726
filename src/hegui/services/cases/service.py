"""The violation ledger: reading cases and acting on them (review, appeal, ruling,
comments, assignment). Every action appends to the case's history and to the audit log in
the caller's transaction; `restrict`/`ensure_visible` keep agents and team leads to their
own cases (404 for the rest)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from hegui.errors import Conflict, Invalid, NotFound
from hegui.services.access import Principal, ensure_visible
from hegui.services.alerts.policy import SeverityPolicy
from hegui.services.audit import AuditService
from hegui.services.cases.history import add_event
from hegui.services.cases.models import APPEALED, CONFIRMED, Case
from hegui.services.cases.repository import CaseRepository
from hegui.services.cases.schemas import (
    AppealIn,
    Assignee,
    AssignIn,
    CaseFilter,
    CaseRead,
    CommentIn,
    ReviewIn,
    RulingIn,
)
from hegui.services.cases.states import check_role, check_status
from hegui.services.cases.views import case_read, sources, transcript
from hegui.services.clock import Clock
from hegui.services.users.models import User
from hegui.services.users.repository import UserRepository
from hegui.services.users.schemas import Role

# Escalation level of a case waiting for a ruling: the compliance manager's.
RULING_LEVEL = 2
ASSIGNABLE = (Role.reviewer.value, Role.compliance_manager.value)
ConfirmedHook = Callable[[Session, Case], None]
VerdictHook = Callable[[Session, Case], None]


class CaseService:
    def __init__(
        self,
        audit: AuditService,
        clock: Clock,
        policy: SeverityPolicy,
        appeal_window: timedelta,
    ) -> None:
        self.audit = audit
        self.clock = clock
        self.policy = policy
        self.appeal_window = appeal_window
        # Called in the reviewing transaction when a case is confirmed (training push).
        self.on_confirmed: list[ConfirmedHook] = []
        # Called in the same transaction after every review verdict and ruling (scores).
        self.on_verdict: list[VerdictHook] = []

    def list(
        self, session: Session, viewer: Principal, where: CaseFilter, *, limit: int, offset: int
    ) -> tuple[list[CaseRead], int]:
        repo = CaseRepository(session)
        rows, total = repo.page(viewer, where, limit=limit, offset=offset)
        ids = [row[0].id for row in rows]
        events, labels = repo.events(ids), repo.labels(ids)
        items = [case_read(r, events[r[0].id], labels[r[0].id], viewer) for r in rows]
        return items, total

    def get(self, session: Session, viewer: Principal, case_id: int) -> CaseRead:
        """One case with its history and the masked transcript around the evidence."""
        repo = CaseRepository(session)
        row = repo.one(case_id)
        if row is None:
            raise NotFound(_missing(case_id))
        case, finding, _ = row
        ensure_visible(viewer, case.agent_id, case.team, _missing(case_id))
        read = case_read(
            row, repo.events([case_id])[case_id], repo.labels([case_id])[case_id], viewer
        )
        read.transcript = transcript(session, case, finding)
        read.audio, read.raw_kept = sources(session, case)
        return read

    def review(self, session: Session, viewer: Principal, case_id: int, spec: ReviewIn) -> CaseRead:
        transition = check_role("review", viewer)
        case = self.load(session, viewer, case_id)
        check_status(transition, case, spec.verdict)
        now = self.clock.now()
        add_event(
            session, case, viewer.actor, "review", now, to_status=spec.verdict, comment=spec.comment
        )
        case.due_at = None
        if spec.verdict == CONFIRMED:
            case.appeal_until = now + self.appeal_window
        self._audit(session, viewer, "case.review", case, {"verdict": spec.verdict})
        if spec.verdict == CONFIRMED:
            for hook in self.on_confirmed:
                hook(session, case)
        self._verdict(session, case)
        return self.get(session, viewer, case_id)

    def appeal(self, session: Session, viewer: Principal, case_id: int, spec: AppealIn) -> CaseRead:
        transition = check_role("appeal", viewer)
        case = self.load(session, viewer, case_id)
        check_status(transition, case, APPEALED)
        now = self.clock.now()
        if case.appeal_until is not None and now > case.appeal_until:
            raise Conflict(
                f"申诉期已过 the appeal window of case {case_id} closed at "
                f"{case.appeal_until.isoformat()}"
            )
        add_event(
            session, case, viewer.actor, "appeal", now, to_status=APPEALED, comment=spec.reason
        )
        case.due_at = self.policy.due_at(case.severity, now)
        case.escalation_level = max(case.escalation_level, RULING_LEVEL)
        self._audit(session, viewer, "case.appeal", case, {})
        return self.get(session, viewer, case_id)

    def ruling(self, session: Session, viewer: Principal, case_id: int, spec: RulingIn) -> CaseRead:
        transition = check_role("ruling", viewer)
        case = self.load(session, viewer, case_id)
        check_status(transition, case, spec.verdict)
        now = self.clock.now()
        add_event(
            session, case, viewer.actor, "ruling", now, to_status=spec.verdict, comment=spec.comment
        )
        case.due_at = None
        self._audit(session, viewer, "case.ruling", case, {"verdict": spec.verdict})
        self._verdict(session, case)
        return self.get(session, viewer, case_id)

    def comment(
        self, session: Session, viewer: Principal, case_id: int, spec: CommentIn
    ) -> CaseRead:
        """Anyone who may see the case may comment on it, in any status."""
        case = self.load(session, viewer, case_id)
        event = add_event(
            session, case, viewer.actor, "comment", self.clock.now(), comment=spec.text
        )
        session.flush()
        self._audit(session, viewer, "case.comment", case, {"event": event.id})
        return self.get(session, viewer, case_id)

    def assign(self, session: Session, viewer: Principal, case_id: int, spec: AssignIn) -> CaseRead:
        """Who handles an open case: a reviewer or compliance manager (null: nobody)."""
        transition = check_role("assign", viewer)
        case = self.load(session, viewer, case_id)
        check_status(transition, case)
        if spec.assignee is not None:
            _assignable(UserRepository(session).by_username(spec.assignee), spec.assignee)
        details = {"assignee": spec.assignee, "previous": case.assignee}
        case.assignee = spec.assignee
        add_event(session, case, viewer.actor, "assign", self.clock.now(), details=details)
        self._audit(session, viewer, "case.assign", case, details)
        return self.get(session, viewer, case_id)

    def assignees(self, session: Session, viewer: Principal) -> Sequence[Assignee]:
        """Who `assign` accepts (active reviewers and compliance managers, by username),
        for the roles that may assign; else `Forbidden`."""
        check_role("assign", viewer)
        query = (
            select(User.id, User.username, User.role)
            .where(User.is_active, User.role.in_(ASSIGNABLE))
            .order_by(User.username)
        )
        return [Assignee(id=i, username=u, role=r) for i, u, r in session.execute(query)]

    def load(self, session: Session, viewer: Principal, case_id: int) -> Case:
        """The case locked for an action, if `viewer` may see it; else `NotFound`."""
        case = CaseRepository(session).get(case_id, lock=True)
        if case is None:
            raise NotFound(_missing(case_id))
        ensure_visible(viewer, case.agent_id, case.team, _missing(case_id))
        return case

    def _verdict(self, session: Session, case: Case) -> None:
        for hook in self.on_verdict:
            hook(session, case)

    def _audit(
        self,
        session: Session,
        viewer: Principal,
        action: str,
        case: Case,
        details: Mapping[str, object],
    ) -> None:
        session.flush()
        details = {"status": case.status, **details}
        self.audit.record(session, viewer.actor, action, ("case", case.id), details)


def _assignable(user: User | None, name: str) -> None:
    if user is None or not user.is_active:
        raise Invalid("assignee", f"用户不存在 no active user {name!r}")
    if user.role not in ASSIGNABLE:
        raise Invalid(
            "assignee",
            f"只能指派给复核员或合规经理 {name!r} is a {user.role}: assign a reviewer or "
            "compliance_manager",
        )


def _missing(case_id: int) -> str:
    return f"案件不存在 no case {case_id}"

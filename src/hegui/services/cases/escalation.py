"""Overdue cases climb the chain and are announced again.

A new case is its reviewers' (or its assignee's) to handle by `due_at`; once overdue it
escalates to the team lead of the agent's team, then the compliance managers, then the
admins (`ESCALATION`), each time with a fresh due date from the severity policy and a
`case.escalated` notice naming who must act. An appealed case starts at the compliance
managers (they rule on appeals). Past the admins it keeps being announced every period.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from hegui.adapters.notify import Notice
from hegui.services.alerts import outbox
from hegui.services.alerts.policy import SeverityPolicy, escalated_to
from hegui.services.audit import AuditService
from hegui.services.cases.history import SYSTEM, add_event
from hegui.services.cases.models import Case
from hegui.services.cases.opening import category_label
from hegui.services.cases.repository import CaseRepository
from hegui.services.cases.schemas import CaseRead
from hegui.services.cases.views import case_read
from hegui.services.users.models import User

BATCH = 200


def escalate_overdue(
    session: Session, audit: AuditService, policy: SeverityPolicy, now: datetime
) -> list[int]:
    """Escalate (one level) every open case past its due date; their ids."""
    repo = CaseRepository(session)
    escalated = []
    for case in repo.overdue(now, BATCH):
        _escalate(session, audit, policy, case, now)
        escalated.append(case.id)
    return escalated


def _escalate(
    session: Session, audit: AuditService, policy: SeverityPolicy, case: Case, now: datetime
) -> None:
    was_due = case.due_at
    case.escalation_level += 1
    role = escalated_to(case.escalation_level)
    case.due_at = policy.due_at(case.severity, now)
    details = {
        "level": case.escalation_level,
        "to": role,
        "was_due": was_due.isoformat() if was_due else None,
    }
    add_event(session, case, SYSTEM, "escalate", now, details=details)
    session.flush()
    audit.record(session, SYSTEM, "case.escalate", ("case", case.id), details)
    repo = CaseRepository(session)
    row = repo.one(case.id)
    assert row is not None
    read = case_read(row, repo.events([case.id])[case.id])
    outbox.enqueue(session, escalated_notice(read, _people(session, role, case.team)), now)


def _people(session: Session, role: str, team: str | None) -> list[str]:
    """Who holds `role` (a team lead: of the case's team)."""
    query = select(User.username).where(User.role == role, User.is_active.is_(True))
    if role == "team_lead":
        query = query.where(User.team == team)
    return sorted(session.scalars(query))


def escalated_notice(case: CaseRead, people: list[str]) -> Notice:
    payload = {**case.notice_payload(), "escalated_users": people}
    who = ", ".join(people) or case.escalated_to
    return Notice(
        event="case.escalated",
        severity=case.severity,  # type: ignore[arg-type]
        title=f"案件逾期升级 overdue case #{case.id} → {case.escalated_to}: "
        f"{category_label(case.category)}",
        text=f"逾期未处理，已升级至 {who} overdue, escalated to {case.escalated_to}",
        idempotency_key=f"case-{case.id}:escalated:{case.escalation_level}",
        payload=payload,
    )

"""The audit export for regulators: every finding case of a period with its rule version,
the reviewers' actions with their times, the SLA due and handled times, and the proof that
the audit chain holds them untouched.

JSON Lines, written as it is read (the period may hold many cases):

1. `{"type": "scope", ...}` — the period, the team, when and by whom it was made;
2. one `{"type": "case", ...}` per case: rule id and version, category, severity, status,
   the finding's message and masked evidence, `occurred_at`, `created_at`, `due_at` (the
   SLA due time: creation plus the severity's time to handle), `handled_at` (first
   verdict), `on_time`, `events` (every action: who, when, from and to which status) and
   `audit` (the seq and hash of each audit-log entry about the case);
3. `{"type": "chain", ...}` — the verification of the whole audit chain just done: entries,
   head seq and hash, `ok`, the problem if any. With `hegui audit export` (the whole
   chain), each case's `audit` hashes can be checked to lie on the verified chain.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from hegui.services.access import Principal, restrict
from hegui.services.alerts.policy import SeverityPolicy
from hegui.services.audit import AuditService
from hegui.services.audit.chain import format_time
from hegui.services.audit.models import AuditEntry
from hegui.services.cases.models import FINDING, Case, CaseEvent
from hegui.services.findings.models import StoredFinding
from hegui.services.reports.period import Period

BATCH = 500
VERDICTS = ("review", "ruling")


def export_lines(
    session: Session,
    viewer: Principal,
    period: Period,
    *,
    team: str | None,
    audit: AuditService,
    policy: SeverityPolicy,
    now: datetime,
) -> Iterator[str]:
    """The export, line by line (each ends with a newline)."""
    yield _line(
        {
            "type": "scope",
            "period": period.label,
            "since": format_time(period.since),
            "until": format_time(period.until),
            "team": team,
            "generated_at": format_time(now),
            "generated_by": viewer.actor,
        }
    )
    query: Any = select(Case, StoredFinding).join(
        StoredFinding, StoredFinding.id == Case.finding_id
    )
    query = query.where(
        Case.kind == FINDING, Case.occurred_at >= period.since, Case.occurred_at < period.until
    )
    if team is not None:
        query = query.where(Case.team == team)
    query = restrict(query, viewer, Case).order_by(Case.id)
    last = 0
    while True:
        rows = session.execute(query.where(Case.id > last).limit(BATCH)).all()
        if not rows:
            break
        ids = [case.id for case, _ in rows]
        events = _events(session, ids)
        entries = _entries(session, ids)
        for case, found in rows:
            yield _line(
                _case(case, found, events.get(case.id, []), entries.get(case.id, []), policy)
            )
        last = ids[-1]
        session.expunge_all()
    report = audit.verify(session)
    yield _line(
        {
            "type": "chain",
            "ok": report.ok,
            "entries": report.entries,
            "head_seq": report.head_seq,
            "head_hash": report.head_hash,
            "problem": report.problem,
            "problem_seq": report.problem_seq,
        }
    )


def _case(
    case: Case,
    found: StoredFinding,
    events: list[CaseEvent],
    entries: list[AuditEntry],
    policy: SeverityPolicy,
) -> dict[str, Any]:
    due = policy.due_at(case.severity, case.created_at)
    handled = next((e.at for e in events if e.action in VERDICTS), None)
    return {
        "type": "case",
        "case_id": case.id,
        "conversation_id": case.conversation_id,
        "finding_id": found.id,
        "rule_id": found.rule_id,
        "rule_version": found.rule_version,
        "category": found.category,
        "severity": found.severity,
        "message": found.message,
        "evidence": found.evidence,
        "status": case.status,
        "agent_id": case.agent_id,
        "team": case.team,
        "occurred_at": format_time(case.occurred_at),
        "created_at": format_time(case.created_at),
        "due_at": format_time(due),
        "handled_at": format_time(handled) if handled is not None else None,
        "on_time": None if handled is None else handled <= due,
        "events": [
            {
                "at": format_time(e.at),
                "actor": e.actor,
                "action": e.action,
                "from_status": e.from_status,
                "to_status": e.to_status,
                "comment": e.comment,
            }
            for e in events
        ],
        "audit": [{"seq": e.seq, "action": e.action, "hash": e.hash} for e in entries],
    }


def _events(session: Session, ids: list[int]) -> dict[int, list[CaseEvent]]:
    query = select(CaseEvent).where(CaseEvent.case_id.in_(ids)).order_by(CaseEvent.at, CaseEvent.id)
    out: dict[int, list[CaseEvent]] = {}
    for event in session.scalars(query):
        out.setdefault(event.case_id, []).append(event)
    return out


def _entries(session: Session, ids: list[int]) -> dict[int, list[AuditEntry]]:
    query = (
        select(AuditEntry)
        .where(AuditEntry.object_type == "case", AuditEntry.object_id.in_([str(i) for i in ids]))
        .order_by(AuditEntry.seq)
    )
    out: dict[int, list[AuditEntry]] = {}
    for entry in session.scalars(query):
        out.setdefault(int(entry.object_id), []).append(entry)
    return out


def _line(record: dict[str, Any]) -> str:
    return json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n"

"""Opening cases from findings, in the transaction that stores them (the findings hooks).

- `on_stored`: each new finding opens one case (`new`, due by the severity policy), linked
  both ways (`findings.case_id`, `cases.finding_id`, unique); a severity notified at once
  queues `case.created` in the outbox of the same transaction. A finding a re-inspection
  makes again after it was superseded gets its case back: a withdrawn case reopens.
- `on_filed`: a conversation's new revision makes the cases of its older revisions no
  longer `latest` (the dashboard counts the newest revision's findings only).
- `on_superseded`: a finding the current rules no longer make withdraws its case if nobody
  has reviewed it yet (`withdrawn`); a reviewed case keeps its verdict and records the
  change (`superseded_at`, a history entry), since people acted on it.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import insert, select, update
from sqlalchemy.orm import InstrumentedAttribute, Session

from hegui.adapters.notify import Notice
from hegui.packs import taxonomy
from hegui.services.alerts import outbox
from hegui.services.alerts.policy import SeverityPolicy
from hegui.services.audit import AuditService
from hegui.services.cases.history import SYSTEM, add_event
from hegui.services.cases.models import FINDING, NEW, WITHDRAWN, Case, CaseEvent
from hegui.services.cases.schemas import CaseRead
from hegui.services.cases.views import case_read
from hegui.services.clock import Clock
from hegui.services.conversations.models import ConversationRevision, StoredConversation
from hegui.services.findings.models import StoredFinding

M = TypeVar("M", Case, CaseEvent)


class CaseOpener:
    def __init__(self, audit: AuditService, clock: Clock, policy: SeverityPolicy) -> None:
        self.audit = audit
        self.clock = clock
        self.policy = policy

    def on_stored(self, session: Session, rows: Sequence[StoredFinding]) -> None:
        fresh = [row for row in rows if row.case_id is None]
        revived = [row.case_id for row in rows if row.case_id is not None]
        if fresh:
            self._open(session, fresh)
        if revived:
            self._revive(session, revived, rows[0].conversation_id)

    def on_filed(self, session: Session, conversation_id: str, revision_id: int) -> None:
        session.execute(
            update(Case)
            .where(
                Case.conversation_id == conversation_id,
                Case.revision_id != revision_id,
                Case.latest.is_(True),
            )
            .values(latest=False)
            .execution_options(synchronize_session=False)
        )

    def on_superseded(self, session: Session, rows: Sequence[StoredFinding]) -> None:
        now = self.clock.now()
        changed: list[int] = []
        for case_id in sorted({row.case_id for row in rows if row.case_id is not None}):
            case = session.get(Case, case_id)
            if case is None:
                continue
            case.superseded_at = now
            if case.status == NEW:
                case.due_at = None
                add_event(session, case, SYSTEM, "withdraw", now, to_status=WITHDRAWN)
            else:
                add_event(session, case, SYSTEM, "finding_superseded", now)
            changed.append(case.id)
        if changed:
            session.flush()
            ref = ("conversation", rows[0].conversation_id)
            self.audit.record(session, SYSTEM, "cases.superseded", ref, {"cases": changed})

    def _open(self, session: Session, rows: Sequence[StoredFinding]) -> None:
        # A handful of statements per conversation, whatever its number of findings: this
        # runs in the worker's storing transaction, on the ingestion's critical path.
        revisions = {r: _revision(session, r) for r in {row.revision_id for row in rows}}
        newest = {r: _newest(session, revision) for r, revision in revisions.items()}
        now = self.clock.now()
        values = [
            self._case(row, revisions[row.revision_id], newest[row.revision_id], now)
            for row in rows
        ]
        cases = _inserted(session, Case, values, Case.finding_id, [row.id for row in rows])
        opened = [_opened(case, row, now) for case, row in zip(cases, rows, strict=True)]
        events = _inserted(session, CaseEvent, opened, CaseEvent.case_id, [c.id for c in cases])
        for case, row in zip(cases, rows, strict=True):
            row.case_id = case.id
        details = {"cases": [c.id for c in cases], "findings": [r.id for r in rows]}
        ref = ("conversation", rows[0].conversation_id)
        self.audit.record(session, SYSTEM, "cases.open", ref, details)
        notices = [
            created_notice(case_read((case, row, revisions[row.revision_id].number), [event]))
            for case, row, event in zip(cases, rows, events, strict=True)
            if self.policy.immediate(case.severity)
        ]
        outbox.enqueue_new(session, notices, now)

    def _case(
        self,
        row: StoredFinding,
        revision: ConversationRevision,
        newest: StoredConversation | None,
        now: datetime,
    ) -> dict[str, Any]:
        return dict(
            kind=FINDING,
            finding_id=row.id,
            calibration_of=None,
            conversation_id=row.conversation_id,
            revision_id=row.revision_id,
            rule_id=row.rule_id,
            category=row.category,
            severity=row.severity,
            status=NEW,
            agent_id=revision.agent_id,
            team=revision.team,
            channel=revision.channel,
            industry=revision.industry,
            latest=newest is not None,
            # The newest revision's: when the conversation took place, as its row says.
            occurred_at=newest.occurred_at
            if newest is not None
            else revision.started_at or revision.received_at,
            created_at=now,
            updated_at=now,
            due_at=self.policy.due_at(row.severity, now),
            appeal_until=None,
            assignee=None,
            escalation_level=0,
            superseded_at=None,
        )

    def _revive(self, session: Session, case_ids: Sequence[int], conversation_id: str) -> None:
        now = self.clock.now()
        for case_id in sorted(set(case_ids)):
            case = session.get(Case, case_id)
            if case is None:
                continue
            case.superseded_at = None
            if case.status == WITHDRAWN:
                case.due_at = self.policy.due_at(case.severity, now)
                add_event(session, case, SYSTEM, "reopen", now, to_status=NEW)
            else:
                add_event(session, case, SYSTEM, "finding_restored", now)
        session.flush()
        ref = ("conversation", conversation_id)
        self.audit.record(session, SYSTEM, "cases.restored", ref, {"cases": sorted(set(case_ids))})


def _revision(session: Session, revision_id: int) -> ConversationRevision:
    # The worker holds the revision already: `get` finds it without a query.
    found = session.get(ConversationRevision, revision_id)
    assert found is not None  # its findings are being stored in this transaction
    return found


def _newest(session: Session, revision: ConversationRevision) -> StoredConversation | None:
    """The revision's conversation when the revision is its newest, else None."""
    conversation = session.get(StoredConversation, revision.conversation_id)
    return conversation if conversation and conversation.revision == revision.number else None


def _inserted(
    session: Session,
    model: type[M],
    values: list[dict[str, Any]],
    key: InstrumentedAttribute[Any],
    keys: list[Any],
) -> list[M]:
    """Rows inserted in one statement and read back in one, in the order of `keys` (a column
    unique among them: a finding's case, a new case's one event). Cheaper than RETURNING,
    which SQLite runs row by row when asked to keep the order."""
    session.execute(insert(model), values)
    query = select(model).where(key.in_(keys)).execution_options(populate_existing=True)
    found = {getattr(row, key.key): row for row in session.scalars(query)}
    return [found[k] for k in keys]


def _opened(case: Case, row: StoredFinding, now: datetime) -> dict[str, Any]:
    return dict(
        case_id=case.id,
        at=now,
        actor=SYSTEM,
        action="open",
        from_status=None,
        to_status=None,
        comment=None,
        details={"finding_id": row.id, "rule_id": row.rule_id},
    )


def created_notice(case: CaseRead) -> Notice:
    """`case.created`: what the webhook sends as `{"event": "case.created", "case": {…}}`."""
    label = category_label(case.category)
    message = (case.finding or {}).get("message", "")
    return Notice(
        event="case.created",
        severity=case.severity,  # type: ignore[arg-type]
        title=f"新案件 new case #{case.id}: {label}",
        text=f"{message}\n会话 conversation {case.conversation_id}",
        idempotency_key=f"case-{case.id}:created",
        payload=case.notice_payload(),
    )


def category_label(category: str | None) -> str:
    if category is None:
        return "校准抽检 calibration sample"
    found = taxonomy().categories.get(category)
    return f"{found.zh} {category}" if found is not None and found.zh else category

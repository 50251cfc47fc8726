"""Cases as the API shows them: the finding, history, comments, labels, and the masked
transcript around the evidence."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from hegui.services.access import Principal
from hegui.services.alerts.policy import escalated_to
from hegui.services.cases.models import CALIBRATED, CALIBRATION, Case, CaseEvent, CaseLabel
from hegui.services.cases.repository import CaseRow
from hegui.services.cases.schemas import CaseRead, CommentRead, EventRead, LabelRead, Line
from hegui.services.conversations.models import ConversationRevision, StoredUtterance
from hegui.services.findings.models import StoredFinding
from hegui.services.findings.schemas import FindingRead
from hegui.services.recordings.models import Recording
from hegui.services.users.schemas import Role

COMMENT = "comment"
# Utterances shown either side of the evidence; a calibration case shows the whole call.
CONTEXT = 3
WHOLE_CALL = 500


def case_read(
    row: CaseRow,
    events: Sequence[CaseEvent],
    labels: Sequence[CaseLabel] = (),
    viewer: Principal | None = None,
) -> CaseRead:
    case, finding, number = row
    return CaseRead(
        id=case.id,
        kind=case.kind,
        conversation_id=case.conversation_id,
        revision=number,
        finding=FindingRead.of(finding, number).contract() if finding is not None else None,
        rule_id=case.rule_id,
        category=case.category,
        severity=case.severity,
        status=case.status,
        agent_id=case.agent_id,
        team=case.team,
        channel=case.channel,
        occurred_at=case.occurred_at,
        created_at=case.created_at,
        updated_at=case.updated_at,
        due_at=case.due_at,
        appeal_until=case.appeal_until,
        assignee=case.assignee,
        escalation_level=case.escalation_level,
        escalated_to=escalated_to(case.escalation_level),
        superseded_at=case.superseded_at,
        history=[_event(e) for e in events],
        comments=[_comment(e) for e in events if e.action == COMMENT],
        labels=[_label(label) for label in _visible_labels(case, labels, viewer)],
    )


def _event(event: CaseEvent) -> EventRead:
    return EventRead(
        id=event.id,
        at=event.at,
        actor=event.actor,
        action=event.action,
        from_status=event.from_status,
        to_status=event.to_status,
        comment=event.comment,
        details=dict(event.details),
    )


def _comment(event: CaseEvent) -> CommentRead:
    return CommentRead(id=event.id, at=event.at, author=event.actor, text=event.comment or "")


def _label(label: CaseLabel) -> LabelRead:
    return LabelRead(
        reviewer=label.reviewer,
        verdict=label.verdict,
        category=label.category,
        comment=label.comment,
        at=label.at,
    )


def _visible_labels(
    case: Case, labels: Sequence[CaseLabel], viewer: Principal | None
) -> Sequence[CaseLabel]:
    # Calibration measures independent judgement: until both reviewers have labelled, a
    # reviewer sees only their own label (managers see all).
    if case.status == CALIBRATED or viewer is None:
        return labels
    if viewer.role in (Role.admin, Role.compliance_manager):
        return labels
    return [label for label in labels if label.reviewer == viewer.username]


def transcript(session: Session, case: Case, finding: StoredFinding | None) -> list[Line]:
    """The masked utterances around the evidence (a few either side), marking the evidence."""
    marked = _evidence_indexes(finding)
    if case.kind == CALIBRATION:
        low, high = 0, WHOLE_CALL - 1
    elif marked:
        low, high = min(marked) - CONTEXT, max(marked) + CONTEXT
    else:  # a finding about something missing: the opening of the call
        low, high = 0, 2 * CONTEXT
    query = (
        select(StoredUtterance)
        .where(
            StoredUtterance.revision_id == case.revision_id,
            StoredUtterance.idx >= max(low, 0),
            StoredUtterance.idx <= high,
        )
        .order_by(StoredUtterance.idx)
    )
    return [
        Line(
            index=u.idx,
            role=u.role,
            text=u.text,
            start=u.start_seconds,
            end=u.end_seconds,
            evidence=u.idx in marked,
        )
        for u in session.scalars(query)
    ]


def sources(session: Session, case: Case) -> tuple[bool, bool]:
    """Whether the case's revision has a recording kept, and its raw text kept."""
    revision = ConversationRevision.id == case.revision_id
    query = select(
        exists().where(Recording.revision_id == case.revision_id),
        exists().where(
            revision, ConversationRevision.raw_kept, ConversationRevision.raw_sealed.is_not(None)
        ),
    )
    audio, raw = session.execute(query).one()
    return bool(audio), bool(raw)


def _evidence_indexes(finding: StoredFinding | None) -> set[int]:
    if finding is None or finding.utterance_index is None:
        return set()
    marked = {finding.utterance_index}
    for related in finding.related:
        if isinstance(related, dict) and isinstance(related.get("utterance_index"), int):
            marked.add(related["utterance_index"])
    return marked

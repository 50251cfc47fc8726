"""Calibration: a share of the conversations the rules found nothing in goes to human review,
and two reviewers label each one independently; their agreement is tracked.

Sampling is deterministic (a hash of the revision id below the configured share), so
looking at the same inspections twice samples the same ones, and `calibration_of` is unique,
so each is sampled once. The sampler looks at first inspections that added no finding since
its last run (a watermark in `job_marks`, minus a margin for transactions that committed
late). A calibration case has no finding or category; it is `calibrated` once two reviewers
have labelled it `clean` or `violation` (with the category the rules missed).
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from hegui.errors import Conflict, Invalid
from hegui.packs import taxonomy
from hegui.services.access import Principal
from hegui.services.alerts.policy import SeverityPolicy
from hegui.services.audit import AuditService
from hegui.services.cases.history import SYSTEM, add_event
from hegui.services.cases.models import (
    CALIBRATED,
    CALIBRATION,
    NEW,
    VIOLATION,
    Case,
    CaseLabel,
    JobMark,
)
from hegui.services.cases.schemas import LabelIn
from hegui.services.cases.service import CaseService
from hegui.services.cases.states import check_role, check_status
from hegui.services.clock import Clock
from hegui.services.conversations.models import ConversationRevision
from hegui.services.findings.models import FIRST, Inspection

MARK = "calibration"
MARGIN = timedelta(minutes=10)
FIRST_LOOK = timedelta(days=1)
LABELS_NEEDED = 2
CALIBRATION_SEVERITY = "low"


def sampled(revision_id: int, share: float) -> bool:
    digest = hashlib.sha256(f"hegui-calibration:{revision_id}".encode()).digest()
    return int.from_bytes(digest[:8], "big") < share * 2**64


@dataclass(frozen=True)
class Agreement:
    key: str
    items: int
    agreed: int

    @property
    def rate(self) -> float | None:
        return self.agreed / self.items if self.items else None


class Calibration:
    def __init__(
        self, cases: CaseService, audit: AuditService, clock: Clock, policy: SeverityPolicy
    ) -> None:
        self.cases = cases
        self.audit = audit
        self.clock = clock
        self.policy = policy

    def sample(self, session: Session, share: float, now: datetime) -> list[int]:
        """Open calibration cases for newly inspected conversations without findings."""
        mark = session.get(JobMark, MARK, with_for_update=True)
        since = (mark.at if mark is not None else now - FIRST_LOOK) - MARGIN
        query = select(Inspection.revision_id).where(
            Inspection.kind == FIRST,
            Inspection.added == 0,
            Inspection.at >= since,
            Inspection.at <= now,
        )
        chosen = [rid for rid in session.scalars(query) if sampled(rid, share)]
        taken = select(Case.calibration_of).where(Case.calibration_of.in_(chosen))
        fresh = sorted(set(chosen) - set(session.scalars(taken)))
        opened = [self.open_sample(session, rid, now) for rid in fresh]
        if mark is None:
            session.add(JobMark(name=MARK, at=now))
        else:
            mark.at = max(mark.at, now)
        session.flush()
        if opened:
            details = {"cases": opened, "share": share}
            self.audit.record(session, SYSTEM, "cases.calibration_sample", ("cases", MARK), details)
        return opened

    def open_sample(self, session: Session, revision_id: int, now: datetime) -> int:
        """A calibration case for one revision (what sampling opens)."""
        revision = session.get(ConversationRevision, revision_id)
        assert revision is not None  # an inspection's revision is never deleted
        case = Case(
            kind=CALIBRATION,
            finding_id=None,
            calibration_of=revision_id,
            conversation_id=revision.conversation_id,
            revision_id=revision_id,
            rule_id=None,
            category=None,
            severity=CALIBRATION_SEVERITY,
            status=NEW,
            agent_id=revision.agent_id,
            team=revision.team,
            channel=revision.channel,
            industry=revision.industry,
            occurred_at=revision.started_at or revision.received_at,
            created_at=now,
            updated_at=now,
            due_at=self.policy.due_at(CALIBRATION_SEVERITY, now),
            appeal_until=None,
            assignee=None,
            escalation_level=0,
            superseded_at=None,
        )
        session.add(case)
        session.flush()
        add_event(session, case, SYSTEM, "open", now, details={"calibration_of": revision_id})
        return case.id

    def label(self, session: Session, viewer: Principal, case_id: int, spec: LabelIn) -> Case:
        """One reviewer's independent label; the second distinct reviewer closes the case."""
        transition = check_role("label", viewer)
        case = self.cases.load(session, viewer, case_id)
        check_status(transition, case)
        _check_category(spec)
        existing = session.scalars(select(CaseLabel).where(CaseLabel.case_id == case_id)).all()
        if any(label.reviewer == viewer.username for label in existing):
            raise Conflict(f"已标注过 you already labelled case {case_id}")
        now = self.clock.now()
        session.add(
            CaseLabel(
                case_id=case_id,
                reviewer=viewer.username,
                verdict=spec.verdict,
                category=spec.category,
                comment=spec.comment or None,
                at=now,
            )
        )
        # The history says who labelled, not what: the next reviewer must judge alone.
        done = len(existing) + 1 >= LABELS_NEEDED
        add_event(session, case, viewer.actor, "label", now, to_status=CALIBRATED if done else None)
        if done:
            case.due_at = None
        session.flush()
        details = {"verdict": spec.verdict, "category": spec.category, "status": case.status}
        self.audit.record(session, viewer.actor, "case.label", ("case", case_id), details)
        return case

    def agreement(self, session: Session) -> tuple[Agreement, list[Agreement], list[Agreement]]:
        """Overall, per reviewer and per category: of calibrated cases, how many the two
        labels agree on (same verdict, and the same category for a violation)."""
        query = (
            select(CaseLabel)
            .join(Case, Case.id == CaseLabel.case_id)
            .where(Case.kind == CALIBRATION, Case.status == CALIBRATED)
            .order_by(CaseLabel.case_id, CaseLabel.id)
        )
        pairs: dict[int, list[CaseLabel]] = defaultdict(list)
        for label in session.scalars(query):
            pairs[label.case_id].append(label)
        overall = [0, 0]
        reviewers: dict[str, list[int]] = defaultdict(lambda: [0, 0])
        categories: dict[str, list[int]] = defaultdict(lambda: [0, 0])
        for labels in pairs.values():
            first, second = labels[:LABELS_NEEDED]
            agreed = int(_key(first) == _key(second))
            for counts in (
                overall,
                *(reviewers[label.reviewer] for label in (first, second)),
                *(categories[key] for key in {_key(first), _key(second)}),
            ):
                counts[0] += 1
                counts[1] += agreed
        return (
            Agreement("all", *overall),
            _agreements(reviewers),
            _agreements(categories),
        )


def _key(label: CaseLabel) -> str:
    """What two labels must share to agree: `clean`, or the category of a violation."""
    if label.verdict == VIOLATION and label.category:
        return label.category
    return label.verdict


def _agreements(counts: dict[str, list[int]]) -> list[Agreement]:
    return [Agreement(key, items, agreed) for key, (items, agreed) in sorted(counts.items())]


def _check_category(spec: LabelIn) -> None:
    if spec.verdict == VIOLATION:
        if spec.category is None or spec.category not in taxonomy():
            raise Invalid("category", "须为分类编号 a violation needs a taxonomy category id")
    elif spec.category is not None:
        raise Invalid("category", "无违规时不填分类 a clean label takes no category")

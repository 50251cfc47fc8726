"""What the ledger's rows of the role matrix need: cases in each status, calibration cases,
notifiers and training assignments of the seeded agent (A-17, team east-1)."""

from __future__ import annotations

from sqlalchemy import select

from hegui.services.access import Principal
from hegui.services.cases.schemas import AppealIn, ReviewIn
from hegui.services.conversations.models import ConversationRevision
from hegui.services.training.models import ACKNOWLEDGED, ASSIGNED, TrainingAssignment
from tests.api.conftest import Seed
from tests.services.cases.support import open_case

UNREACHABLE = "http://127.0.0.1:9/hegui"  # the discard port: refused at once


def _user(seed: Seed, role: str) -> Principal:
    return Principal.of(seed.users[role])


def case_in(seed: Seed, status: str = "new") -> int:
    """A case of the seeded agent, moved to `status` (new, confirmed or appealed)."""
    platform = seed.platform
    case_id = open_case(platform, f"api-{seed.tag()}")
    with platform.db.transaction() as session:
        if status in ("confirmed", "appealed"):
            reviewer = _user(seed, "reviewer")
            platform.cases.review(session, reviewer, case_id, ReviewIn(verdict="confirmed"))
        if status == "appealed":
            platform.cases.appeal(session, _user(seed, "agent"), case_id, AppealIn(reason="x"))
    return case_id


def calibration_case(seed: Seed) -> int:
    platform = seed.platform
    open_case(platform, f"api-{seed.tag()}")
    with platform.db.transaction() as session:
        revision = session.scalars(
            select(ConversationRevision.id).order_by(ConversationRevision.id.desc())
        ).first()
        assert revision is not None
        return platform.calibration.open_sample(session, revision, platform.clock.now())


def notifier(seed: Seed) -> int:
    spec = {"kind": "webhook", "target": UNREACHABLE, "min_severity": "high"}
    with seed.platform.db.transaction() as session:
        return seed.platform.alerts.notifiers.create(session, spec, actor="seed").id


def assignment(seed: Seed, status: str = ASSIGNED) -> int:
    row = TrainingAssignment(
        agent_id="A-17",
        team="east-1",
        category="compliance.guarantee_return",
        period=f"p-{seed.tag()}",
        confirmed=3,
        case_ids=[],
        course_title="专项培训 training",
        course_url=None,
        status=status,
        created_at=seed.platform.clock.now(),
        acknowledged_at=seed.platform.clock.now() if status == ACKNOWLEDGED else None,
        completed_at=None,
    )
    with seed.platform.db.transaction() as session:
        session.add(row)
        session.flush()
        return row.id

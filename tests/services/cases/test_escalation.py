"""Overdue cases escalate one role up with a fresh due date and a new notice; daily and
weekly digests are queued once per period for the severities the policy digests."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from hegui.bootstrap import Platform
from hegui.services.alerts import OutboxEntry
from hegui.services.cases import run_escalations, send_digests
from hegui.services.clock import FixedClock
from tests.db_fixtures import T0
from tests.services.cases.support import ADMIN, appealed_case, confirmed_case, open_case


def outbox(platform: Platform) -> dict[str, dict[str, object]]:
    with platform.db.reader() as session:
        rows = session.scalars(select(OutboxEntry).order_by(OutboxEntry.id)).all()
        return {row.key: dict(row.payload) for row in rows}


def test_overdue_cases_climb_the_chain(platform: Platform, clock: FixedClock) -> None:
    with platform.db.transaction() as session:
        spec = {"username": "lead", "password": "pw-123456", "role": "team_lead", "team": "east-1"}
        platform.users.create(session, spec, actor="t")
        spec = {"username": "cm", "password": "pw-123456", "role": "compliance_manager"}
        platform.users.create(session, spec, actor="t")
    high = open_case(platform, severity="high")
    medium = open_case(platform, severity="medium")
    clock.advance(timedelta(minutes=59))
    assert run_escalations(platform) == []
    clock.advance(timedelta(minutes=2))
    assert run_escalations(platform) == [high]
    with platform.db.reader() as session:
        case = platform.cases.get(session, ADMIN, high)
    assert (case.escalation_level, case.escalated_to) == (1, "team_lead")
    assert case.due_at == clock.now() + timedelta(hours=1)
    assert case.history[-1].action == "escalate"
    assert case.history[-1].details["was_due"] == (T0 + timedelta(hours=1)).isoformat()
    notice = outbox(platform)[f"case-{high}:escalated:1"]
    assert notice["escalated_users"] == ["lead"] and notice["escalated_to"] == "team_lead"
    assert run_escalations(platform) == []  # not due again yet
    clock.advance(timedelta(hours=1, seconds=1))
    assert run_escalations(platform) == [high]
    assert outbox(platform)[f"case-{high}:escalated:2"]["escalated_users"] == ["cm"]
    clock.advance(timedelta(hours=24))
    assert sorted(run_escalations(platform)) == sorted([high, medium])
    with platform.db.reader() as session:
        actions = [e.action for e in platform.audit.entries(session, limit=1000)]
        assert platform.cases.get(session, ADMIN, high).escalated_to == "admin"
    assert actions.count("case.escalate") == 4


def test_an_appealed_case_escalates_past_the_compliance_managers(
    platform: Platform, clock: FixedClock
) -> None:
    case_id = appealed_case(platform)
    clock.advance(timedelta(hours=1, seconds=1))
    assert run_escalations(platform) == [case_id]
    with platform.db.reader() as session:
        assert platform.cases.get(session, ADMIN, case_id).escalated_to == "admin"


def test_reviewed_cases_do_not_escalate(platform: Platform, clock: FixedClock) -> None:
    confirmed_case(platform)
    clock.advance(timedelta(days=30))
    assert run_escalations(platform) == []


def test_digests_once_per_period_for_digested_severities(
    platform: Platform, clock: FixedClock
) -> None:
    # T0 is Monday 2025-01-06 17:00 in China: cases opened that day go in its daily digest.
    medium = [open_case(platform, severity="medium") for _ in range(2)]
    low = open_case(platform, severity="low")
    open_case(platform, severity="high")  # notified at once, never digested
    assert send_digests(platform) == []  # the day is not over
    clock.advance(timedelta(hours=7, minutes=4))  # 00:04 on Tuesday, inside the grace period
    assert send_digests(platform) == []
    clock.advance(timedelta(minutes=2))
    assert send_digests(platform) == ["digest:daily:medium:2025-01-06"]
    assert send_digests(platform) == []
    digest = outbox(platform)["digest:daily:medium:2025-01-06"]
    assert digest["count"] == 2 and digest["open"] == 2 and digest["period"] == "daily"
    assert [c["id"] for c in digest["cases"]] == medium  # type: ignore[index]
    assert digest["by_category"] == {"compliance.guarantee_return": 2}
    clock.advance(timedelta(days=6))  # next Monday 00:06
    assert send_digests(platform) == ["digest:weekly:low:2025-W02"]
    weekly = outbox(platform)["digest:weekly:low:2025-W02"]
    assert [c["id"] for c in weekly["cases"]] == [low]  # type: ignore[index]

"""Every stored finding opens one case, in the storing transaction; superseded findings
withdraw their unreviewed cases; high severity is queued for notification at once."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select

from hegui.bootstrap import Platform
from hegui.errors import Conflict
from hegui.services.alerts import OutboxEntry
from hegui.services.cases import CaseFilter
from hegui.services.cases.schemas import ReviewIn
from hegui.services.clock import FixedClock
from hegui.services.findings import StoredFinding
from tests.db_fixtures import T0
from tests.services.cases.support import ADMIN, REVIEWER, finding, open_case, open_cases
from tests.services.ingest_support import PACK_V1, PACK_V2, PROMISE, call, count, drain, submit
from tests.services.rulesets.test_rulesets import CST, LOTTERY, lottery_call, publish


def outbox_keys(platform: Platform) -> list[str]:
    with platform.db.reader() as session:
        return list(session.scalars(select(OutboxEntry.key).order_by(OutboxEntry.id)))


def test_each_finding_of_an_inspected_conversation_opens_one_case(platform: Platform) -> None:
    submit(platform, call("c-1", *PROMISE, agent={"id": "A-17", "team": "east-1"}))
    drain(platform)
    with platform.db.reader() as session:
        findings = platform.findings.for_conversation(session, "c-1")
        cases, total = platform.cases.list(session, ADMIN, CaseFilter(), limit=100, offset=0)
        opened = [e.details for e in platform.audit.entries(session) if e.action == "cases.open"]
    assert len(findings) >= 2 and total == len(findings)
    by_finding = {case.finding["id"]: case for case in cases if case.finding}
    assert set(by_finding) == {f.id for f in findings}
    for found in findings:
        case = by_finding[found.id]
        assert found.case_id == case.id and case.finding["case_id"] == case.id
        assert (case.conversation_id, case.agent_id, case.team) == ("c-1", "A-17", "east-1")
        assert (case.category, case.severity, case.status) == (
            found.category,
            found.severity,
            "new",
        )
        assert case.channel == "phone" and case.created_at == T0
        assert [e.action for e in case.history] == ["open"]
    assert len(opened) == 1 and sorted(opened[0]["cases"]) == sorted(
        by_finding[f.id].id for f in findings
    )
    # The same content again opens nothing.
    submit(platform, call("c-1", *PROMISE, agent={"id": "A-17", "team": "east-1"}))
    drain(platform)
    with platform.db.reader() as session:
        assert count(session, "SELECT count(*) FROM cases") == len(findings)


def test_due_dates_follow_the_severity_policy(platform: Platform) -> None:
    due = {}
    for severity in ("high", "medium", "low"):
        case_id = open_case(platform, severity=severity)
        with platform.db.reader() as session:
            due[severity] = platform.cases.get(session, ADMIN, case_id).due_at
    assert due == {
        "high": T0 + timedelta(hours=1),
        "medium": T0 + timedelta(hours=24),
        "low": T0 + timedelta(days=7),
    }


def test_only_severities_notified_at_once_are_queued(platform: Platform) -> None:
    high = open_case(platform, severity="high")
    open_case(platform, severity="medium")
    open_case(platform, severity="low")
    assert outbox_keys(platform) == [f"case-{high}:created"]
    with platform.db.reader() as session:
        entry = session.scalars(select(OutboxEntry)).one()
        assert entry.event == "case.created" and entry.severity == "high"
        assert entry.payload["id"] == high and entry.payload["finding"]["rule_id"]
        assert entry.payload["status"] == "new" and "transcript" not in entry.payload


def test_a_failing_case_hook_stores_no_findings_either(platform: Platform) -> None:
    # One transaction: a case that cannot open leaves no finding (the worker retries later).
    def refuse(session: object, rows: object) -> None:
        raise Conflict("案件无法创建 cannot open cases")

    platform.findings.on_stored.append(refuse)
    submit(platform, call("c-9", *PROMISE))
    drain(platform)
    with platform.db.reader() as session:
        assert count(session, "SELECT count(*) FROM cases") == 0
        assert count(session, "SELECT count(*) FROM findings") == 0
        assert count(session, "SELECT count(*) FROM outbox") == 0


def test_superseded_findings_withdraw_new_cases_and_mark_reviewed_ones(
    platform: Platform, clock: FixedClock
) -> None:
    publish(platform, PACK_V1)
    submit(platform, lottery_call("in-1", 3), lottery_call("in-2", 4))
    drain(platform)
    with platform.db.reader() as session:
        cases, _ = platform.cases.list(
            session, ADMIN, CaseFilter(rule_id=LOTTERY), limit=10, offset=0
        )
    first = {case.conversation_id: case.id for case in cases}
    with platform.db.transaction() as session:
        platform.cases.review(session, REVIEWER, first["in-2"], ReviewIn(verdict="confirmed"))
    clock.advance(timedelta(minutes=5))
    publish(platform, PACK_V2)
    since, until = datetime(2026, 11, 1, tzinfo=CST), datetime(2026, 11, 10, tzinfo=CST)
    with platform.db.transaction() as session:
        platform.rulesets.reinspect(session, "acme", since, until, actor="cm")
    drain(platform)
    with platform.db.reader() as session:
        withdrawn = platform.cases.get(session, ADMIN, first["in-1"])
        reviewed = platform.cases.get(session, ADMIN, first["in-2"])
        fresh, total = platform.cases.list(
            session, ADMIN, CaseFilter(rule_id=LOTTERY, status="new"), limit=10, offset=0
        )
    assert withdrawn.status == "withdrawn" and withdrawn.due_at is None
    assert withdrawn.superseded_at == T0 + timedelta(minutes=5)
    assert [e.action for e in withdrawn.history] == ["open", "withdraw"]
    assert reviewed.status == "confirmed" and reviewed.superseded_at is not None
    assert [e.action for e in reviewed.history] == ["open", "review", "finding_superseded"]
    # The new rule version's findings opened their own cases.
    assert total == 2 and {c.finding["rule_version"] for c in fresh} == {2}


def test_a_finding_made_again_reopens_its_withdrawn_case(platform: Platform) -> None:
    [case_id] = open_cases(platform, "c-r", finding("c-r"))
    with platform.db.transaction() as session:
        query = select(StoredFinding).where(StoredFinding.case_id == case_id)
        stored = session.scalars(query).one()
        # What a re-inspection does: supersede it, then make it again (the hooks it calls).
        for hook in platform.findings.on_superseded:
            hook(session, [stored])
        for hook in platform.findings.on_stored:
            hook(session, [stored])
    with platform.db.reader() as session:
        case = platform.cases.get(session, ADMIN, case_id)
    assert case.status == "new" and case.superseded_at is None
    assert case.due_at == T0 + timedelta(hours=1)
    assert [e.action for e in case.history] == ["open", "withdraw", "reopen"]

"""The status machine and who may act: 403 for a role that may not, 404 for a case the user
may not see, 409 for an action not allowed from the status; history and audit of each."""

from __future__ import annotations

from datetime import timedelta

import pytest

from hegui.bootstrap import Platform
from hegui.errors import Conflict, Forbidden, Invalid, NotFound
from hegui.services.access import Principal
from hegui.services.cases import CaseFilter
from hegui.services.cases.schemas import AppealIn, AssignIn, CommentIn, ReviewIn, RulingIn
from hegui.services.clock import FixedClock
from tests.db_fixtures import T0
from tests.services.cases.support import (
    ADMIN,
    AGENT,
    LEAD,
    MANAGER,
    OTHER_AGENT,
    REVIEWER,
    confirmed_case,
    finding,
    open_case,
    open_cases,
)

CONFIRM = ReviewIn(verdict="confirmed", comment="确认 confirmed")


def act(platform: Platform, action: str, user: Principal, case_id: int, spec: object) -> object:
    with platform.db.transaction() as session:
        return getattr(platform.cases, action)(session, user, case_id, spec)


def audit_actions(platform: Platform) -> list[str]:
    with platform.db.reader() as session:
        return [entry.action for entry in platform.audit.entries(session, limit=1000)]


def test_review_appeal_ruling(platform: Platform, clock: FixedClock) -> None:
    case_id = open_case(platform)
    reviewed = act(platform, "review", REVIEWER, case_id, CONFIRM)
    assert reviewed.status == "confirmed" and reviewed.due_at is None  # type: ignore[attr-defined]
    assert reviewed.appeal_until == T0 + timedelta(days=7)  # type: ignore[attr-defined]
    clock.advance(timedelta(days=6))
    appealed = act(platform, "appeal", AGENT, case_id, AppealIn(reason="我说的是不保本"))
    assert appealed.status == "appealed"  # type: ignore[attr-defined]
    assert appealed.due_at == clock.now() + timedelta(hours=1)  # type: ignore[attr-defined]
    assert appealed.escalated_to == "compliance_manager"  # type: ignore[attr-defined]
    ruled = act(platform, "ruling", MANAGER, case_id, RulingIn(verdict="overturned"))
    history = [(e.action, e.from_status, e.to_status, e.actor) for e in ruled.history]  # type: ignore[attr-defined]
    assert history == [
        ("open", None, None, "system"),
        ("review", "new", "confirmed", "rev"),
        ("appeal", "confirmed", "appealed", "li"),
        ("ruling", "appealed", "overturned", "cm"),
    ]
    assert ruled.history[2].comment == "我说的是不保本"  # type: ignore[attr-defined]
    assert audit_actions(platform)[-3:] == ["case.review", "case.appeal", "case.ruling"]


def test_dismissed_cases_cannot_be_appealed(platform: Platform) -> None:
    case_id = open_case(platform)
    act(platform, "review", MANAGER, case_id, ReviewIn(verdict="dismissed"))
    with pytest.raises(Conflict, match="dismissed"):
        act(platform, "appeal", AGENT, case_id, AppealIn(reason="x"))
    with pytest.raises(Conflict):
        act(platform, "review", REVIEWER, case_id, CONFIRM)


@pytest.mark.parametrize(
    ("action", "spec", "allowed"),
    [
        ("review", CONFIRM, {REVIEWER, MANAGER}),
        ("ruling", RulingIn(verdict="upheld"), {MANAGER}),
        ("appeal", AppealIn(reason="x"), {AGENT}),
    ],
)
def test_roles_that_may_not_act_get_403(
    platform: Platform, action: str, spec: object, allowed: set[Principal]
) -> None:
    case_id = open_case(platform)
    for user in {ADMIN, REVIEWER, MANAGER, LEAD, AGENT} - allowed:
        with pytest.raises(Forbidden):
            act(platform, action, user, case_id, spec)


def test_wrong_status_is_409_and_changes_nothing(platform: Platform) -> None:
    case_id = open_case(platform)
    with pytest.raises(Conflict, match="new"):
        act(platform, "ruling", MANAGER, case_id, RulingIn(verdict="upheld"))
    with pytest.raises(Conflict):
        act(platform, "appeal", AGENT, case_id, AppealIn(reason="x"))
    with platform.db.reader() as session:
        case = platform.cases.get(session, ADMIN, case_id)
    assert case.status == "new" and [e.action for e in case.history] == ["open"]


def test_other_agents_and_teams_see_404(platform: Platform) -> None:
    case_id = confirmed_case(platform)
    with pytest.raises(NotFound):
        act(platform, "appeal", OTHER_AGENT, case_id, AppealIn(reason="x"))
    other_lead = Principal(77, "lead2", LEAD.role, team="west-2")
    for user in (OTHER_AGENT, other_lead):
        with platform.db.reader() as session, pytest.raises(NotFound):
            platform.cases.get(session, user, case_id)
        with pytest.raises(NotFound):
            act(platform, "comment", user, case_id, CommentIn(text="hi"))
    with pytest.raises(NotFound):
        act(platform, "review", REVIEWER, 999_999, CONFIRM)


def test_appeal_window_closes(platform: Platform, clock: FixedClock) -> None:
    case_id = confirmed_case(platform)
    clock.advance(timedelta(days=7, seconds=1))
    with pytest.raises(Conflict, match="appeal window"):
        act(platform, "appeal", AGENT, case_id, AppealIn(reason="too late"))


def test_comments_by_anyone_who_sees_the_case(platform: Platform) -> None:
    case_id = open_case(platform)
    act(platform, "comment", AGENT, case_id, CommentIn(text="客户误解了 the customer misheard"))
    case = act(platform, "comment", LEAD, case_id, CommentIn(text="已核实 checked"))
    comments = [(c.author, c.text) for c in case.comments]  # type: ignore[attr-defined]
    assert comments == [("li", "客户误解了 the customer misheard"), ("lead", "已核实 checked")]
    assert case.status == "new"  # type: ignore[attr-defined]
    assert audit_actions(platform).count("case.comment") == 2


def test_assignment(platform: Platform) -> None:
    with platform.db.transaction() as session:
        for name, role in (("rev", "reviewer"), ("li", "agent")):
            spec = {"username": name, "password": "pw-123456", "role": role}
            platform.users.create(
                session, spec | ({"agent_id": "A-17"} if role == "agent" else {}), actor="t"
            )
    case_id = open_case(platform)
    case = act(platform, "assign", LEAD, case_id, AssignIn(assignee="rev"))
    assert case.assignee == "rev" and case.history[-1].details == {  # type: ignore[attr-defined]
        "assignee": "rev",
        "previous": None,
    }
    with pytest.raises(Invalid, match="assignee"):
        act(platform, "assign", MANAGER, case_id, AssignIn(assignee="li"))
    with pytest.raises(Invalid, match="assignee"):
        act(platform, "assign", MANAGER, case_id, AssignIn(assignee="nobody"))
    with pytest.raises(Forbidden):
        act(platform, "assign", AGENT, case_id, AssignIn(assignee="rev"))
    with platform.db.reader() as session:
        mine, total = platform.cases.list(
            session, ADMIN, CaseFilter(assignee="rev"), limit=10, offset=0
        )
    assert total == 1 and mine[0].id == case_id
    act(platform, "review", REVIEWER, case_id, CONFIRM)
    with pytest.raises(Conflict):
        act(platform, "assign", MANAGER, case_id, AssignIn(assignee=None))


def test_list_filters_pages_and_visibility(platform: Platform, clock: FixedClock) -> None:
    ids = [open_case(platform, severity=s) for s in ("high", "medium", "low")]
    other = open_case(platform, agent="B-2", team="west-2", started_at="2025-01-01T10:00:00+08:00")
    act(platform, "review", REVIEWER, ids[0], CONFIRM)

    def listed(user: Principal, **where: object) -> tuple[list[int], int]:
        with platform.db.reader() as session:
            items, total = platform.cases.list(
                session,
                user,
                CaseFilter(**where),
                limit=where.pop("limit", 100),
                offset=0,  # type: ignore[arg-type]
            )
        return [i.id for i in items], total

    assert listed(ADMIN) == ([other, *reversed(ids)], 4)
    assert listed(AGENT) == (list(reversed(ids)), 3)
    assert listed(LEAD, agent_id="B-2") == ([], 0)
    assert listed(ADMIN, severity="medium") == ([ids[1]], 1)
    assert listed(ADMIN, status="confirmed") == ([ids[0]], 1)
    assert listed(ADMIN, team="west-2", channel="phone") == ([other], 1)
    assert listed(ADMIN, category="privacy.phone") == ([], 0)
    january_1 = T0.replace(day=1, hour=0)
    assert listed(ADMIN, until=january_1 + timedelta(days=1))[0] == [other]
    assert listed(ADMIN, since=january_1 + timedelta(days=1))[1] == 3
    clock.advance(timedelta(hours=2))
    assert listed(ADMIN, overdue_at=clock.now()) == ([other], 1)
    with platform.db.reader() as session:
        page, total = platform.cases.list(session, ADMIN, CaseFilter(), limit=2, offset=1)
    assert [c.id for c in page] == [ids[2], ids[1]] and total == 4


def test_transcript_around_the_evidence(platform: Platform) -> None:
    turns = tuple(f"第{i}句" for i in range(12))
    [case_id] = open_cases(
        platform, "long", finding("long", index=6, span=(0, 2), evidence="第6句"), turns=turns
    )
    with platform.db.reader() as session:
        case = platform.cases.get(session, AGENT, case_id)
    assert case.transcript is not None
    assert [line.index for line in case.transcript] == [3, 4, 5, 6, 7, 8, 9]
    assert [line.index for line in case.transcript if line.evidence] == [6]
    assert case.transcript[3].text == "第6句" and case.transcript[3].role == "agent"

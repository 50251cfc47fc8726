"""Training push: N confirmed findings of a category in a calendar month give the agent one
assignment of that category's course, acknowledged and then completed by the agent."""

from __future__ import annotations

import pytest

from hegui.bootstrap import Platform
from hegui.errors import Conflict, Forbidden, NotFound
from hegui.services.access import Principal
from hegui.services.training import AssignmentRead, CourseIn, TrainingService
from tests.services.cases.support import (
    ADMIN,
    AGENT,
    LEAD,
    MANAGER,
    OTHER_AGENT,
    confirmed_case,
    open_case,
)

JAN = "2025-01-{:02d}T10:00:00+08:00"


def assignments(platform: Platform, user: Principal = ADMIN) -> list[AssignmentRead]:
    with platform.db.reader() as session:
        items, _ = platform.training.assignments(session, user)
    return items


def test_the_threshold_in_a_month_assigns_the_course_once(platform: Platform) -> None:
    first = [confirmed_case(platform, started_at=JAN.format(day)) for day in (2, 3)]
    open_case(platform, started_at=JAN.format(4))  # not confirmed: does not count
    confirmed_case(platform, started_at="2024-12-30T10:00:00+08:00")  # another month
    assert assignments(platform) == []
    third = confirmed_case(platform, started_at=JAN.format(5))
    confirmed_case(platform, started_at=JAN.format(6))  # a fourth: no second assignment
    [assignment] = assignments(platform)
    assert (assignment.agent_id, assignment.team) == ("A-17", "east-1")
    assert (assignment.category, assignment.period) == ("compliance.guarantee_return", "2025-01")
    assert assignment.case_ids == [*first, third] and assignment.confirmed == 3
    assert assignment.course_title.startswith("专项培训：承诺收益/保本保息")
    assert assignment.status == "assigned"
    with platform.db.reader() as session:
        actions = [e.action for e in platform.audit.entries(session, limit=1000)]
        keys = [
            k for (k,) in session.execute(__import__("sqlalchemy").text("SELECT key FROM outbox"))
        ]
    assert actions.count("training.assign") == 1
    assert f"training-{assignment.id}:assigned" in keys


def test_a_configured_course_is_used(platform: Platform) -> None:
    with platform.db.transaction() as session:
        course = CourseIn(title="适当性与收益承诺 必修课", url="https://lms.example/c/7")
        read = platform.training.set_course(
            session, "compliance.guarantee_return", course, actor="cm"
        )
        assert read.configured and read.updated_by == "cm"
        with pytest.raises(NotFound):
            platform.training.set_course(session, "no.such", course, actor="cm")
        courses = {c.category: c for c in platform.training.courses(session)}
    assert courses["compliance.guarantee_return"].url == "https://lms.example/c/7"
    assert not courses["privacy.phone"].configured and len(courses) >= 29
    for day in (2, 3, 4):
        confirmed_case(platform, started_at=JAN.format(day))
    [assignment] = assignments(platform)
    assert assignment.course_url == "https://lms.example/c/7"


def test_the_agent_acknowledges_then_completes(platform: Platform) -> None:
    for day in (2, 3, 4):
        confirmed_case(platform, started_at=JAN.format(day))
    [assignment] = assignments(platform, AGENT)
    assert assignments(platform, LEAD) and not assignments(platform, OTHER_AGENT)

    def advance(user: Principal, step: str) -> AssignmentRead:
        with platform.db.transaction() as session:
            return getattr(platform.training, step)(session, user, assignment.id)

    with pytest.raises(Conflict):
        advance(AGENT, "complete")
    with pytest.raises(Forbidden):
        advance(MANAGER, "acknowledge")
    with pytest.raises(NotFound):
        advance(OTHER_AGENT, "acknowledge")
    done = advance(AGENT, "acknowledge")
    assert done.status == "acknowledged" and done.acknowledged_at is not None
    done = advance(AGENT, "complete")
    assert done.status == "completed" and done.completed_at is not None
    with pytest.raises(Conflict):
        advance(AGENT, "complete")


def test_weekly_periods(platform: Platform) -> None:
    platform.training = TrainingService(platform.audit, platform.clock, 2, "week")
    platform.cases.on_confirmed[:] = [platform.training.on_confirmed]
    confirmed_case(platform, started_at=JAN.format(5))  # Sunday: week 1
    confirmed_case(platform, started_at=JAN.format(6))  # Monday: week 2
    assert assignments(platform) == []
    confirmed_case(platform, started_at=JAN.format(12))  # Sunday: week 2
    [assignment] = assignments(platform)
    assert assignment.period == "2025-W02"

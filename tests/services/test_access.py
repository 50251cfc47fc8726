"""Visibility: agents see their agent_id's rows, team leads their team's, others all.

Run on the `users` table, which carries `agent_id` and `team` like conversations and cases.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from hegui.bootstrap import Platform
from hegui.errors import NotFound
from hegui.services.access import Principal, can_see, ensure_visible, restrict
from hegui.services.users import Role, User

ROWS = {
    # username: (role, team, agent_id)
    "a17": ("agent", "east-1", "A-17"),
    "a18": ("agent", "east-1", "A-18"),
    "a30": ("agent", "west-2", "A-30"),
    "loner": ("agent", None, "A-40"),
    "lead": ("team_lead", "east-1", None),
    "rev": ("reviewer", None, None),
}
VIEWERS = {
    "agent A-17": (Principal(1, "v", Role.agent, "east-1", "A-17"), {"a17"}),
    "agent A-40, no team": (Principal(1, "v", Role.agent, None, "A-40"), {"loner"}),
    "agent without agent_id": (Principal(1, "v", Role.agent, "east-1", None), set()),
    "lead east-1": (Principal(1, "v", Role.team_lead, "east-1"), {"a17", "a18", "lead"}),
    "lead west-2": (Principal(1, "v", Role.team_lead, "west-2"), {"a30"}),
    "lead without team": (Principal(1, "v", Role.team_lead, None), set()),
    "reviewer": (Principal(1, "v", Role.reviewer), set(ROWS)),
    "compliance_manager": (Principal(1, "v", Role.compliance_manager), set(ROWS)),
    "admin": (Principal(1, "v", Role.admin), set(ROWS)),
}


@pytest.fixture
def people(platform: Platform, session: Session) -> Session:
    for username, (role, team, agent_id) in ROWS.items():
        spec = {"username": username, "password": "pw-123456", "role": role}
        platform.users.create(session, spec | {"team": team, "agent_id": agent_id}, actor="t")
    return session


@pytest.mark.parametrize("viewer", list(VIEWERS))
def test_restrict_filters_in_sql(people: Session, viewer: str) -> None:
    principal, expected = VIEWERS[viewer]
    query = restrict(select(User.username), principal, User)
    assert set(people.scalars(query)) == expected


@pytest.mark.parametrize("viewer", list(VIEWERS))
def test_restrict_takes_an_alias_or_a_table(people: Session, viewer: str) -> None:
    principal, expected = VIEWERS[viewer]
    alias = aliased(User)
    table = User.__table__
    by_alias = restrict(select(alias.username), principal, alias)
    by_table = restrict(select(table.c.username), principal, table)
    assert set(people.scalars(by_alias)) == set(people.scalars(by_table)) == expected


@pytest.mark.parametrize("viewer", list(VIEWERS))
def test_can_see_agrees_with_the_sql(people: Session, viewer: str) -> None:
    principal, expected = VIEWERS[viewer]
    for user in people.scalars(select(User)):
        assert can_see(principal, user.agent_id, user.team) == (user.username in expected)


def test_ensure_visible_hides_existence() -> None:
    agent = Principal(1, "li", Role.agent, "east-1", "A-17")
    ensure_visible(agent, "A-17", "east-1", "no case 7")
    with pytest.raises(NotFound, match="no case 8"):
        ensure_visible(agent, "A-18", "east-1", "no case 8")


def test_roles_that_see_all_leave_the_query_alone() -> None:
    query = select(User)
    assert restrict(query, Principal(1, "x", Role.reviewer), User) is query


def test_principal_of_a_user(platform: Platform, session: Session) -> None:
    spec = {"username": "li", "password": "pw-123456", "role": "agent", "agent_id": "A-17"}
    user = platform.users.create(session, spec, actor="t")
    principal = Principal.of(user)
    assert principal == Principal(user.id, "li", Role.agent, None, "A-17")
    assert principal.actor == "li" and not principal.sees_all

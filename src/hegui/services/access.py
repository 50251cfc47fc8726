"""Who may see what: an agent only its own `agent_id`'s data, a team lead only its team's,
every other role everything (the contract's rule, `shared/spec/api.md`).

One rule for every domain whose rows carry `agent_id` and `team` (conversations, cases,
metrics). Filter queries in SQL, so counts and pages never include what a user may not
see, and check single objects loaded by id::

    query = restrict(select(Case), viewer, Case)          # a mapped class, alias or table
    case = session.get(Case, case_id)
    ensure_visible(viewer, case.agent_id, case.team, f"案件不存在 no case {case_id}")
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, FromClause, Select, false, true

from hegui.errors import NotFound
from hegui.services.users.models import User
from hegui.services.users.schemas import Role

T = TypeVar("T", bound=tuple[Any, ...])


@dataclass(frozen=True)
class Principal:
    """The authenticated user a request acts for: a plain value, safe outside any session."""

    id: int
    username: str
    role: Role
    team: str | None = None
    agent_id: str | None = None

    @classmethod
    def of(cls, user: User) -> Principal:
        return cls(user.id, user.username, Role(user.role), user.team, user.agent_id)

    @property
    def actor(self) -> str:
        """How the audit log names this user (CLI changes are `cli:<os user>`)."""
        return self.username

    @property
    def sees_all(self) -> bool:
        return self.role not in (Role.agent, Role.team_lead)


def visibility(
    viewer: Principal, agent_id: ColumnElement[Any], team: ColumnElement[Any]
) -> ColumnElement[bool]:
    """The SQL condition selecting the rows `viewer` may see, given the two columns."""
    if viewer.role == Role.agent:
        return agent_id == viewer.agent_id if viewer.agent_id is not None else false()
    if viewer.role == Role.team_lead:
        return team == viewer.team if viewer.team is not None else false()
    return true()


def restrict(query: Select[T], viewer: Principal, source: Any) -> Select[T]:
    """`query` limited to what `viewer` may see.

    `source` has the columns `agent_id` and `team`: a mapped class (`Case`), an aliased
    class, or a table or subquery (its `.c` is used). Roles that see all get `query` as is.
    """
    if viewer.sees_all:
        return query
    columns = source.c if isinstance(source, FromClause) else source
    return query.where(visibility(viewer, columns.agent_id, columns.team))


def can_see(viewer: Principal, agent_id: str | None, team: str | None) -> bool:
    """Whether `viewer` may see one object owned by `agent_id` in `team` (same rule as SQL)."""
    if viewer.role == Role.agent:
        return viewer.agent_id is not None and agent_id == viewer.agent_id
    if viewer.role == Role.team_lead:
        return viewer.team is not None and team == viewer.team
    return viewer.sees_all


def ensure_visible(viewer: Principal, agent_id: str | None, team: str | None, message: str) -> None:
    """`NotFound(message)` unless `viewer` may see the object: never reveal that it exists."""
    if not can_see(viewer, agent_id, team):
        raise NotFound(message)

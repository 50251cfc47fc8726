"""One builder for every per-group dashboard query (findings, conversation metrics, scores,
heat map): what it counts (`Scope`: a period and optional team, channel, industry and agent
filters), where those columns live (`Source`), and what the viewer may see.

Two sources:

- `CASES`, the ledger's finding cases: one per finding, carrying who, where and when
  (`hegui.services.cases.models`), so findings are counted from one table, through one
  covering index (`ix_cases_counted`), without a join. `counted` keeps the cases of
  current findings (not superseded) of each conversation's newest revision (`latest`).
- `NEWEST`, each conversation's newest revision (`newest` joins a per-revision table to it):
  for rows stored per revision (metrics, scores).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, Select, func, literal_column, true
from sqlalchemy.orm import Session

from hegui.services.access import Principal, visibility
from hegui.services.cases.models import FINDING, Case
from hegui.services.conversations.models import ConversationRevision, StoredConversation

Conversation, Revision = StoredConversation, ConversationRevision
T = TypeVar("T", bound=tuple[Any, ...])
G = TypeVar("G")
FILTERS = ("team", "channel", "industry", "agent")


@dataclass(frozen=True)
class Scope:
    """Conversations that took place in [since, until), of the team, channel, industry and
    agent given (None: any); days are counted at `utc_offset`."""

    since: datetime | None = None
    until: datetime | None = None
    team: str | None = None
    channel: str | None = None
    industry: str | None = None
    agent: str | None = None
    utc_offset: timedelta = timedelta(0)

    def filters(self) -> dict[str, str]:
        """The filters given, by name."""
        values = {name: getattr(self, name) for name in FILTERS}
        return {name: value for name, value in values.items() if value is not None}


@dataclass(frozen=True)
class Source:
    """The columns a grouped query filters by and groups by."""

    occurred_at: Any
    team: Any
    channel: Any
    industry: Any
    agent: Any

    def key(self, session: Session, name: str, utc_offset: timedelta) -> ColumnElement[Any]:
        """The group key `name` (`day` at the offset, or one of the columns)."""
        if name == "day":
            return day_of(session, utc_offset, self.occurred_at)
        column: Any = getattr(self, name)
        return column.expression  # type: ignore[no-any-return]


CASES = Source(Case.occurred_at, Case.team, Case.channel, Case.industry, Case.agent_id)
NEWEST = Source(
    Conversation.occurred_at,
    Conversation.team,
    Conversation.channel,
    Revision.industry,
    Conversation.agent_id,
)


def scoped(query: Select[T], viewer: Principal, scope: Scope, source: Source) -> Select[T]:
    """`query` limited to the scope's period and filters and to what `viewer` may see."""
    if scope.since is not None:
        query = query.where(source.occurred_at >= scope.since)
    if scope.until is not None:
        query = query.where(source.occurred_at < scope.until)
    for name, value in scope.filters().items():
        query = query.where(getattr(source, name) == value)
    if viewer.sees_all:
        return query
    return query.where(visibility(viewer, source.agent, source.team))


def counted(query: Select[T]) -> Select[T]:
    """`query` over `Case` limited to the cases of current findings of newest revisions."""
    return query.where(Case.kind == FINDING, Case.latest == true(), Case.superseded_at.is_(None))


def newest(query: Select[T], revision_id: Any) -> Select[T]:
    """`query` over a table with `revision_id`, joined to the newest revision of each
    conversation (rows of older revisions drop out)."""
    return query.join(Revision, Revision.id == revision_id).join(
        Conversation,
        (Conversation.id == Revision.conversation_id) & (Conversation.revision == Revision.number),
    )


def in_order(groups: Sequence[G], group_by: str, rank: Callable[[G], Any]) -> list[G]:
    """Days in date order, other groups by `rank`, then a null key last, then by key."""
    key: Callable[[G], Any] = lambda g: getattr(g, "key", None)  # noqa: E731
    if group_by == "day":
        return sorted(groups, key=lambda g: key(g) or "")
    return sorted(groups, key=lambda g: (rank(g), key(g) is None, key(g) or ""))


def day_of(session: Session, utc_offset: timedelta, column: Any) -> ColumnElement[Any]:
    """`YYYY-MM-DD` of `column` (a UTC time) at the offset, in each database's dialect."""
    minutes = int(utc_offset.total_seconds() // 60)
    if session.get_bind().dialect.name == "sqlite":
        # SQLite keeps UTC as naive text; strftime's modifier shifts it.
        return func.strftime("%Y-%m-%d", column, f"{minutes:+d} minutes")
    # An int we computed, not input: safe to write into the statement.
    shift: ColumnElement[Any] = literal_column(f"INTERVAL '{minutes} minutes'")
    return func.to_char(func.timezone("UTC", column) + shift, "YYYY-MM-DD")

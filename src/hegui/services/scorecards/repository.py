"""Queries of the scores domain: a revision's countable findings, its score row, and the
team × category heat map over each conversation's newest revision
(`hegui.services.metrics.scope`)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import delete, func, insert, select
from sqlalchemy.orm import Session

from hegui.services.access import Principal
from hegui.services.cases.models import DISMISSED, OVERTURNED, WITHDRAWN, Case
from hegui.services.conversations.models import ConversationRevision, StoredConversation
from hegui.services.findings.models import StoredFinding
from hegui.services.metrics.scope import NEWEST, Scope, newest, scoped
from hegui.services.scorecards.models import ConversationScore, ScoreLine

# A finding whose case ended so no longer counts against the agent.
CLEARED = (DISMISSED, OVERTURNED, WITHDRAWN)
Conversation, Revision, Finding = StoredConversation, ConversationRevision, StoredFinding


class ScoreRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def countable(self, revision_id: int) -> Sequence[StoredFinding]:
        """Current findings of the revision whose case (if any) was not cleared."""
        query = (
            select(Finding)
            .outerjoin(Case, Case.finding_id == Finding.id)
            .where(Finding.revision_id == revision_id, Finding.superseded_at.is_(None))
            .where(Case.id.is_(None) | Case.status.not_in(CLEARED))
            .order_by(Finding.id)
        )
        return self.session.scalars(query).all()

    def of_revision(self, revision_id: int) -> ConversationScore | None:
        query = select(ConversationScore).where(ConversationScore.revision_id == revision_id)
        return self.session.scalars(query).one_or_none()

    def replace_lines(self, score_id: int, lines: Sequence[dict[str, Any]]) -> None:
        self.session.execute(delete(ScoreLine).where(ScoreLine.score_id == score_id))
        if lines:
            self.session.execute(
                insert(ScoreLine), [{"score_id": score_id, **line} for line in lines]
            )

    def heat(self, viewer: Principal, scope: Scope) -> Sequence[Any]:
        """Per team and category: findings scores counted and the points they cost."""
        query: Any = (
            select(
                Conversation.team,
                ScoreLine.category,
                func.count().label("findings"),
                func.coalesce(func.sum(ScoreLine.points), 0.0).label("points"),
            )
            .select_from(ScoreLine)
            .join(ConversationScore, ConversationScore.id == ScoreLine.score_id)
        )
        query = newest(query, ConversationScore.revision_id).group_by(
            Conversation.team, ScoreLine.category
        )
        return self.session.execute(scoped(query, viewer, scope, NEWEST)).all()

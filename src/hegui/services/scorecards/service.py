"""Scores (质检评分): each inspected revision scored with its scorecard, stored with a
breakdown citing its findings, and scored again in the same transaction whenever what
counts changes — a re-inspection (findings superseded or added) or a case dismissed,
overturned or withdrawn. Read per conversation, averaged per group, and as team ×
category heat-map cells, limited to what the viewer may see."""

from __future__ import annotations

from typing import Any

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from hegui.engine.metrics import ConversationMetrics
from hegui.errors import NotFound
from hegui.scorecards import Scoreable, Scorecards, ScorecardSpec, score
from hegui.services.access import Principal, ensure_visible
from hegui.services.cases.models import FINDING, Case
from hegui.services.clock import Clock
from hegui.services.conversations.models import INSPECTED, ConversationRevision
from hegui.services.conversations.repository import ConversationRepository
from hegui.services.metrics.scope import NEWEST, Scope, in_order, newest, scoped
from hegui.services.scorecards.models import ConversationScore
from hegui.services.scorecards.repository import ScoreRepository
from hegui.services.scorecards.schemas import (
    SCORE_BANDS,
    HeatCell,
    ScorecardRead,
    ScoreGroup,
    ScoreGroupBy,
    ScoreRead,
)


class ScorecardService:
    def __init__(self, cards: Scorecards, clock: Clock) -> None:
        self.cards = cards
        self.clock = clock

    def on_inspected(
        self,
        session: Session,
        revision: ConversationRevision,
        metrics: ConversationMetrics | None,
    ) -> None:
        """Hook of the inspection step: (re)score the revision it just filed."""
        self.rescore(session, revision)

    def on_verdict(self, session: Session, case: Case) -> None:
        """Hook of the cases service: a verdict on a finding's case may change the score."""
        if case.kind != FINDING:
            return
        revision = ConversationRepository(session).revision_by_id(case.revision_id)
        if revision is not None and revision.status == INSPECTED:
            self.rescore(session, revision)

    def rescore(self, session: Session, revision: ConversationRevision) -> ConversationScore:
        card = self.cards.for_conversation(revision.industry, revision.team)
        repo = ScoreRepository(session)
        found = [
            Scoreable(f.id, f.rule_id, f.category, f.severity) for f in repo.countable(revision.id)
        ]
        result = score(card, found)
        row = repo.of_revision(revision.id)
        if row is None:
            row = ConversationScore(
                revision_id=revision.id, conversation_id=revision.conversation_id
            )
            session.add(row)
        row.scorecard, row.scorecard_version = card.scorecard, card.version
        row.score, row.fatal = result.score, result.fatal
        row.deducted, row.bonus = result.deducted, result.bonus
        row.breakdown, row.computed_at = result.breakdown(), self.clock.now()
        session.flush()
        lines = [
            {"finding_id": x.finding_id, "item": x.item, "category": x.category, "points": x.points}
            for x in result.lines
        ]
        repo.replace_lines(row.id, lines)
        return row

    def for_conversation(
        self, session: Session, viewer: Principal, conversation_id: str
    ) -> ScoreRead:
        """The newest revision's score; NotFound when unseen, not visible or not scored."""
        missing = f"评分不存在 no score for conversation {conversation_id!r}"
        repo = ConversationRepository(session)
        conversation = repo.get(conversation_id)
        if conversation is None:
            raise NotFound(missing)
        ensure_visible(viewer, conversation.agent_id, conversation.team, missing)
        revision = repo.revision(conversation_id, conversation.revision)
        row = ScoreRepository(session).of_revision(revision.id) if revision else None
        if row is None or revision is None:
            raise NotFound(missing)
        return ScoreRead(
            conversation_id=conversation_id,
            revision=revision.number,
            scorecard=row.scorecard,
            scorecard_version=row.scorecard_version,
            score=row.score,
            fatal=row.fatal,
            deducted=row.deducted,
            bonus=row.bonus,
            breakdown=row.breakdown,
            computed_at=row.computed_at,
        )

    def scores_by(
        self,
        session: Session,
        viewer: Principal,
        group_by: ScoreGroupBy,
        scope: Scope | None = None,
    ) -> list[ScoreGroup]:
        """Per group: scored conversations, average, lowest and highest score, fatal count;
        days in date order, the rest lowest average first (where to look), then key."""
        scope = scope or Scope()
        s = ConversationScore
        if group_by == "scorecard":
            key = s.scorecard.expression
        elif group_by == "band":
            key = _band(s.score)
        else:
            key = NEWEST.key(session, group_by, scope.utc_offset)
        fatal = func.sum(case((s.fatal, 1), else_=0))
        query = select(
            key, func.count(), func.avg(s.score), func.min(s.score), func.max(s.score), fatal
        ).select_from(s)
        query = newest(query, s.revision_id).group_by(key)
        rows = session.execute(scoped(query, viewer, scope, NEWEST)).all()
        groups = [
            ScoreGroup(
                key=row[0],
                conversations=row[1],
                average=round(float(row[2]), 2),
                minimum=float(row[3]),
                maximum=float(row[4]),
                fatal=int(row[5] or 0),
            )
            for row in rows
        ]
        if group_by == "band":  # the distribution, lowest band first (empty ones absent)
            order = [name for name, _, _ in SCORE_BANDS]
            return sorted(groups, key=lambda g: order.index(str(g.key)))
        return in_order(groups, group_by, lambda g: g.average)

    def heatmap(
        self, session: Session, viewer: Principal, scope: Scope | None = None
    ) -> list[HeatCell]:
        rows = ScoreRepository(session).heat(viewer, scope or Scope())
        cells = [
            HeatCell(team=r[0], category=r[1], findings=r[2], points=round(float(r[3]), 2))
            for r in rows
        ]
        return sorted(cells, key=lambda c: (c.team is None, c.team or "", c.category))

    def scorecards(self) -> list[ScorecardRead]:
        return [_card_read(card) for card in self.cards.all()]

    def scorecard(self, name: str) -> ScorecardRead:
        card = self.cards.by_name.get(name)
        if card is None:
            raise NotFound(f"评分卡不存在 no scorecard {name!r}")
        return _card_read(card)


def _band(score: Any) -> Any:
    """The SQL expression naming the band (SCORE_BANDS) a score falls in."""
    return case(
        *((score < upper, name) for name, _, upper in SCORE_BANDS if upper is not None),
        else_=SCORE_BANDS[-1][0],
    )


def _card_read(card: ScorecardSpec) -> ScorecardRead:
    return ScorecardRead(
        scorecard=card.scorecard,
        version=card.version,
        title=card.title,
        industries=list(card.applies_to.industries),
        teams=list(card.applies_to.teams),
        definition=card.model_dump(mode="json", exclude_none=True),
    )

"""Scores as stored: one per inspected revision (recomputed in place when its findings or
their cases change), and one line per finding it counted (for team × category heat maps)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Float, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from hegui.db import Base


class ConversationScore(Base):
    __tablename__ = "conversation_scores"
    __table_args__ = (Index("ix_conversation_scores_conversation_id", "conversation_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    revision_id: Mapped[int] = mapped_column(ForeignKey("conversation_revisions.id"), unique=True)
    conversation_id: Mapped[str] = mapped_column(ForeignKey("conversations.id"))
    scorecard: Mapped[str] = mapped_column(String(64))
    scorecard_version: Mapped[int]
    score: Mapped[float] = mapped_column(Float)
    fatal: Mapped[bool]
    deducted: Mapped[float] = mapped_column(Float)
    bonus: Mapped[float] = mapped_column(Float)
    breakdown: Mapped[dict[str, Any]]
    computed_at: Mapped[datetime]


class ScoreLine(Base):
    """A finding counted by a score: the item it fell under (null: none) and its points."""

    __tablename__ = "score_lines"
    __table_args__ = (Index("ix_score_lines_score_id", "score_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    score_id: Mapped[int] = mapped_column(ForeignKey("conversation_scores.id"))
    finding_id: Mapped[int] = mapped_column(ForeignKey("findings.id"))
    item: Mapped[str | None] = mapped_column(String(64))
    category: Mapped[str] = mapped_column(String(64))
    points: Mapped[float] = mapped_column(Float)

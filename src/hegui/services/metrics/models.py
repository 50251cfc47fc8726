"""Service-quality metrics of each inspected revision, one row per revision
(`hegui.engine.metrics`: seconds, shares 0–1, counts, chars/s; null where timestamps lack)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Float, ForeignKey, Index
from sqlalchemy.orm import Mapped, mapped_column

from hegui.db import Base

# The columns, in the order of `hegui.engine.metrics.ConversationMetrics`.
FLOATS = (
    "duration",
    "talk_agent",
    "talk_customer",
    "talk_ratio_agent",
    "talk_ratio_customer",
    "longest_silence",
    "interruption_seconds_agent",
    "interruption_seconds_customer",
    "speech_rate_agent",
    "speech_rate_customer",
    "first_response",
    "average_response",
    "hold_seconds",
    "hold_share",
    "dead_air_seconds",
    "dead_air_share",
)
COUNTS = ("utterances", "interruptions_agent", "interruptions_customer", "responses")


class ConversationMetricsRow(Base):
    __tablename__ = "conversation_metrics"
    __table_args__ = (Index("ix_conversation_metrics_conversation_id", "conversation_id"),)

    revision_id: Mapped[int] = mapped_column(
        ForeignKey("conversation_revisions.id"), primary_key=True, autoincrement=False
    )
    conversation_id: Mapped[str] = mapped_column(ForeignKey("conversations.id"))
    measured_at: Mapped[datetime]
    utterances: Mapped[int]
    duration: Mapped[float | None] = mapped_column(Float)
    talk_agent: Mapped[float | None] = mapped_column(Float)
    talk_customer: Mapped[float | None] = mapped_column(Float)
    talk_ratio_agent: Mapped[float | None] = mapped_column(Float)
    talk_ratio_customer: Mapped[float | None] = mapped_column(Float)
    longest_silence: Mapped[float | None] = mapped_column(Float)
    interruptions_agent: Mapped[int | None]
    interruption_seconds_agent: Mapped[float | None] = mapped_column(Float)
    interruptions_customer: Mapped[int | None]
    interruption_seconds_customer: Mapped[float | None] = mapped_column(Float)
    speech_rate_agent: Mapped[float | None] = mapped_column(Float)
    speech_rate_customer: Mapped[float | None] = mapped_column(Float)
    first_response: Mapped[float | None] = mapped_column(Float)
    average_response: Mapped[float | None] = mapped_column(Float)
    responses: Mapped[int | None]
    hold_seconds: Mapped[float | None] = mapped_column(Float)
    hold_share: Mapped[float | None] = mapped_column(Float)
    dead_air_seconds: Mapped[float | None] = mapped_column(Float)
    dead_air_share: Mapped[float | None] = mapped_column(Float)

"""Findings as stored, and the inspections that made them.

An inspection is one run of the rules over one revision: the first (exactly one per
revision, `first_of` unique) or a re-inspection after a pack was published. A finding
belongs to the revision and the inspection that made it; a later inspection that no
longer makes it marks it superseded instead of deleting it. `dedup_key` (rule, rule
version, utterance, span) is unique per revision: a second guard against duplicates.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Float, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from hegui.db import Base

FIRST, AGAIN = "first", "again"


class Inspection(Base):
    __tablename__ = "inspections"
    __table_args__ = (Index("ix_inspections_revision_id", "revision_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    revision_id: Mapped[int] = mapped_column(ForeignKey("conversation_revisions.id"))
    first_of: Mapped[int | None] = mapped_column(unique=True)  # revision_id when kind=first
    job_id: Mapped[int | None] = mapped_column(ForeignKey("jobs.id"))
    kind: Mapped[str] = mapped_column(String(16))
    rules: Mapped[dict[str, Any]]  # {"hegui": version, "packs": {pack: version}}
    text_source: Mapped[str] = mapped_column(String(16))  # raw | masked
    added: Mapped[int]
    superseded: Mapped[int]
    at: Mapped[datetime]


class StoredFinding(Base):
    __tablename__ = "findings"
    __table_args__ = (
        UniqueConstraint("revision_id", "dedup_key"),
        Index("ix_findings_conversation_id", "conversation_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    conversation_id: Mapped[str] = mapped_column(ForeignKey("conversations.id"))
    revision_id: Mapped[int] = mapped_column(ForeignKey("conversation_revisions.id"))
    inspection_id: Mapped[int] = mapped_column(ForeignKey("inspections.id"))
    rule_id: Mapped[str] = mapped_column(String(128))
    rule_version: Mapped[int]
    category: Mapped[str] = mapped_column(String(64))
    severity: Mapped[str] = mapped_column(String(16))
    message: Mapped[str] = mapped_column(Text)
    utterance_index: Mapped[int | None]
    role: Mapped[str | None] = mapped_column(String(16))
    span_start: Mapped[int | None]
    span_end: Mapped[int | None]
    evidence: Mapped[str | None] = mapped_column(Text)  # masked, as stored text is
    matched: Mapped[str | None] = mapped_column(Text)
    start_seconds: Mapped[float | None] = mapped_column(Float)
    end_seconds: Mapped[float | None] = mapped_column(Float)
    related: Mapped[list[Any]] = mapped_column(JSON)
    dedup_key: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime]
    superseded_at: Mapped[datetime | None]
    superseded_by: Mapped[int | None] = mapped_column(ForeignKey("inspections.id"))
    # Filled by the cases domain (one case per finding) from its `on_stored` hook.
    case_id: Mapped[int | None]

"""Conversations, their revisions and utterances, stored masked.

A conversation (the contract's `id`) has numbered revisions: new content under a known id
is a new revision, inspected on its own; content seen before changes nothing. Who and
when a conversation is about is copied onto the conversation row from its newest
revision, so visibility filters need no join.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from hegui.db import Base

PENDING = "pending"
INSPECTED = "inspected"


class StoredConversation(Base):
    __tablename__ = "conversations"
    __table_args__ = (
        Index("ix_conversations_occurred_at", "occurred_at"),
        Index("ix_conversations_agent_id", "agent_id"),
        Index("ix_conversations_team", "team"),
    )

    id: Mapped[str] = mapped_column(String(128), primary_key=True)
    revision: Mapped[int]  # number of the newest revision
    channel: Mapped[str] = mapped_column(String(16))
    agent_id: Mapped[str | None] = mapped_column(String(64))
    team: Mapped[str | None] = mapped_column(String(64))
    occurred_at: Mapped[datetime]  # started_at, else when it was first received
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class ConversationRevision(Base):
    __tablename__ = "conversation_revisions"
    __table_args__ = (
        UniqueConstraint("conversation_id", "number", name="uq_conversation_revisions_number"),
        # A second guard: two submissions of one content racing each other store it once.
        UniqueConstraint(
            "conversation_id", "content_hash", name="uq_conversation_revisions_content"
        ),
        CheckConstraint("status IN ('pending', 'inspected')", name="status"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    conversation_id: Mapped[str] = mapped_column(ForeignKey("conversations.id"))
    number: Mapped[int]
    content_hash: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(16))
    channel: Mapped[str] = mapped_column(String(16))
    industry: Mapped[str | None] = mapped_column(String(16))
    agent_id: Mapped[str | None] = mapped_column(String(64))
    agent_name: Mapped[str | None] = mapped_column(String(128))
    team: Mapped[str | None] = mapped_column(String(64))
    customer_id: Mapped[str | None] = mapped_column(String(128))
    started_at: Mapped[datetime | None]
    meta: Mapped[dict[str, Any]] = mapped_column("metadata", JSON)  # masked
    extra: Mapped[dict[str, Any]] = mapped_column(JSON)  # unknown fields, masked
    # AES-GCM sealed canonical content: until inspected (transit key), or kept (institution key).
    raw_sealed: Mapped[bytes | None] = mapped_column(LargeBinary)
    raw_kept: Mapped[bool]
    submitted_by: Mapped[str] = mapped_column(String(128))
    received_at: Mapped[datetime]
    inspected_at: Mapped[datetime | None]


class StoredUtterance(Base):
    __tablename__ = "utterances"

    revision_id: Mapped[int] = mapped_column(
        ForeignKey("conversation_revisions.id"), primary_key=True
    )
    idx: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    role: Mapped[str] = mapped_column(String(16))
    text: Mapped[str] = mapped_column(Text)  # masked
    start_seconds: Mapped[float | None] = mapped_column(Float)
    end_seconds: Mapped[float | None] = mapped_column(Float)
    at: Mapped[str | None] = mapped_column(String(64))

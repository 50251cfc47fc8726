"""Recordings kept of uploaded calls: one row per conversation revision that has one; the
bytes live in the recordings store (`hegui.adapters.recordings`) under `key`."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from hegui.db import Base


class Recording(Base):
    __tablename__ = "recordings"
    __table_args__ = (Index("ix_recordings_conversation_id", "conversation_id"),)

    revision_id: Mapped[int] = mapped_column(
        ForeignKey("conversation_revisions.id"), primary_key=True, autoincrement=False
    )
    conversation_id: Mapped[str] = mapped_column(ForeignKey("conversations.id"))
    key: Mapped[str] = mapped_column(String(32), unique=True)  # the store's, never a file name
    media_type: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(BigInteger)  # bytes
    sha256: Mapped[str] = mapped_column(String(64))
    stored_by: Mapped[str] = mapped_column(String(128))
    stored_at: Mapped[datetime]

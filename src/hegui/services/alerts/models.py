"""Notifiers as configured, the outbox of notices to send, and the delivery log.

A notifier's target and secret are credentials (robot URLs carry their key), so they are
stored sealed; `target_hint` is what lists show. The outbox is written in the transaction
that makes the news (a case opened, escalated, a digest due) and delivered after it
commits; `key` is the notice's idempotency key, unique, so the same news is queued once.
The delivery log has one row per attempt; at most one `sent` row per (key, notifier)
(a partial unique index), which is how a restart knows not to send again.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import CheckConstraint, ForeignKey, Index, LargeBinary, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from hegui.db import Base

PENDING, DELIVERED, GAVE_UP = "pending", "delivered", "failed"


class NotifierRow(Base):
    __tablename__ = "notifiers"
    __table_args__ = (
        CheckConstraint("min_severity IN ('high', 'medium', 'low')", name="min_severity"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    name: Mapped[str] = mapped_column(String(128))
    min_severity: Mapped[str] = mapped_column(String(16))
    target_hint: Mapped[str] = mapped_column(String(255))
    sealed: Mapped[bytes] = mapped_column(LargeBinary)  # {"target", "secret"} under AES-GCM
    has_secret: Mapped[bool]
    options: Mapped[dict[str, Any]]
    active: Mapped[bool]
    created_by: Mapped[str] = mapped_column(String(128))
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class OutboxEntry(Base):
    __tablename__ = "outbox"
    __table_args__ = (
        CheckConstraint(f"state IN ('{PENDING}', '{DELIVERED}', '{GAVE_UP}')", name="state"),
        Index("ix_outbox_state_next_at", "state", "next_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(255), unique=True)
    event: Mapped[str] = mapped_column(String(64))
    severity: Mapped[str] = mapped_column(String(16))
    title: Mapped[str] = mapped_column(Text)
    text: Mapped[str] = mapped_column(Text)
    payload: Mapped[dict[str, Any]]
    state: Mapped[str] = mapped_column(String(16))
    attempts: Mapped[int]
    created_at: Mapped[datetime]
    next_at: Mapped[datetime]  # not before: a lease (being delivered) or a backoff
    lease_owner: Mapped[str | None] = mapped_column(String(128))
    delivered_at: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(Text)


class DeliveryRow(Base):
    __tablename__ = "deliveries"
    __table_args__ = (
        Index(
            "uq_deliveries_sent",
            "idempotency_key",
            "notifier_id",
            unique=True,
            sqlite_where=text("status = 'sent'"),
            postgresql_where=text("status = 'sent'"),
        ),
        Index("ix_deliveries_at", "at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    notifier_id: Mapped[int] = mapped_column(ForeignKey("notifiers.id"))
    kind: Mapped[str] = mapped_column(String(16))
    idempotency_key: Mapped[str] = mapped_column(String(255))
    event: Mapped[str] = mapped_column(String(64))
    attempt: Mapped[int]
    status: Mapped[str] = mapped_column(String(16))
    code: Mapped[int | None]
    response: Mapped[str] = mapped_column(Text)
    error: Mapped[str | None] = mapped_column(Text)
    at: Mapped[datetime]

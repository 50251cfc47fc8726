"""Recordings kept of uploaded calls: one row per conversation revision that has one (the
bytes are in the recordings store, `HEGUI_AUDIO_DIR`, under `key`).

Revision ID: 0006_recordings
Revises: 0005_dashboard
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from hegui.db.base import UTCDateTime

revision = "0006_recordings"
down_revision = "0005_dashboard"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "recordings",
        sa.Column("revision_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("conversation_id", sa.String(128), nullable=False),
        sa.Column("key", sa.String(32), nullable=False),
        sa.Column("media_type", sa.String(64), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("stored_by", sa.String(128), nullable=False),
        sa.Column("stored_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["revision_id"],
            ["conversation_revisions.id"],
            name=op.f("fk_recordings_revision_id_conversation_revisions"),
        ),
        sa.ForeignKeyConstraint(
            ["conversation_id"],
            ["conversations.id"],
            name=op.f("fk_recordings_conversation_id_conversations"),
        ),
        sa.PrimaryKeyConstraint("revision_id", name=op.f("pk_recordings")),
        sa.UniqueConstraint("key", name=op.f("uq_recordings_key")),
    )
    op.create_index("ix_recordings_conversation_id", "recordings", ["conversation_id"])


def downgrade() -> None:
    # The files in the store stay: removing recordings is the institution's decision.
    op.drop_index("ix_recordings_conversation_id", table_name="recordings")
    op.drop_table("recordings")

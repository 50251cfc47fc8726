"""Service quality: each inspected revision's metrics, its scorecard score and the
findings each score counted.

Revision ID: 0004_scores
Revises: 0003_cases
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from hegui.db.base import UTCDateTime

revision = "0004_scores"
down_revision = "0003_cases"
branch_labels = None
depends_on = None

FLOATS = (
    "duration",
    "talk_agent",
    "talk_customer",
    "talk_ratio_agent",
    "talk_ratio_customer",
    "longest_silence",
)
MORE_FLOATS = (
    "speech_rate_agent",
    "speech_rate_customer",
    "first_response",
    "average_response",
)
HOLD_FLOATS = ("hold_seconds", "hold_share", "dead_air_seconds", "dead_air_share")


def _fk(table: str, column: str, target: str) -> sa.ForeignKeyConstraint:
    referred = target.split(".")[0]
    return sa.ForeignKeyConstraint([column], [target], name=op.f(f"fk_{table}_{column}_{referred}"))


def _floats(names: tuple[str, ...]) -> list[sa.Column[float]]:
    return [sa.Column(name, sa.Float(), nullable=True) for name in names]


def upgrade() -> None:
    op.create_table(
        "conversation_metrics",
        sa.Column("revision_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("conversation_id", sa.String(128), nullable=False),
        sa.Column("measured_at", UTCDateTime(), nullable=False),
        sa.Column("utterances", sa.Integer(), nullable=False),
        *_floats(FLOATS),
        sa.Column("interruptions_agent", sa.Integer(), nullable=True),
        sa.Column("interruption_seconds_agent", sa.Float(), nullable=True),
        sa.Column("interruptions_customer", sa.Integer(), nullable=True),
        sa.Column("interruption_seconds_customer", sa.Float(), nullable=True),
        *_floats(MORE_FLOATS),
        sa.Column("responses", sa.Integer(), nullable=True),
        *_floats(HOLD_FLOATS),
        _fk("conversation_metrics", "revision_id", "conversation_revisions.id"),
        _fk("conversation_metrics", "conversation_id", "conversations.id"),
        sa.PrimaryKeyConstraint("revision_id", name=op.f("pk_conversation_metrics")),
    )
    op.create_index(
        "ix_conversation_metrics_conversation_id", "conversation_metrics", ["conversation_id"]
    )
    op.create_table(
        "conversation_scores",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("revision_id", sa.Integer(), nullable=False),
        sa.Column("conversation_id", sa.String(128), nullable=False),
        sa.Column("scorecard", sa.String(64), nullable=False),
        sa.Column("scorecard_version", sa.Integer(), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("fatal", sa.Boolean(), nullable=False),
        sa.Column("deducted", sa.Float(), nullable=False),
        sa.Column("bonus", sa.Float(), nullable=False),
        sa.Column("breakdown", sa.JSON(), nullable=False),
        sa.Column("computed_at", UTCDateTime(), nullable=False),
        _fk("conversation_scores", "revision_id", "conversation_revisions.id"),
        _fk("conversation_scores", "conversation_id", "conversations.id"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_conversation_scores")),
        sa.UniqueConstraint("revision_id", name=op.f("uq_conversation_scores_revision_id")),
    )
    op.create_index(
        "ix_conversation_scores_conversation_id", "conversation_scores", ["conversation_id"]
    )
    op.create_table(
        "score_lines",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("score_id", sa.Integer(), nullable=False),
        sa.Column("finding_id", sa.Integer(), nullable=False),
        sa.Column("item", sa.String(64), nullable=True),
        sa.Column("category", sa.String(64), nullable=False),
        sa.Column("points", sa.Float(), nullable=False),
        _fk("score_lines", "score_id", "conversation_scores.id"),
        _fk("score_lines", "finding_id", "findings.id"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_score_lines")),
    )
    op.create_index("ix_score_lines_score_id", "score_lines", ["score_id"])


def downgrade() -> None:
    op.drop_index("ix_score_lines_score_id", table_name="score_lines")
    op.drop_table("score_lines")
    op.drop_index("ix_conversation_scores_conversation_id", table_name="conversation_scores")
    op.drop_table("conversation_scores")
    op.drop_index("ix_conversation_metrics_conversation_id", table_name="conversation_metrics")
    op.drop_table("conversation_metrics")

"""The dashboard counts from the ledger: each finding case knows its conversation's
industry and whether its revision is the conversation's newest (`latest`), and one
covering index serves every per-group count of a period.

Revision ID: 0005_dashboard
Revises: 0004_scores
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005_dashboard"
down_revision = "0004_scores"
branch_labels = None
depends_on = None

# Equality first (kind, latest, superseded_at IS NULL), then the period, then every column
# a count groups or filters by: the counts read the index alone, never the table.
COUNTED = [
    "kind",
    "latest",
    "superseded_at",
    "occurred_at",
    "category",
    "severity",
    "channel",
    "team",
    "agent_id",
    "industry",
]


def upgrade() -> None:
    # In place, not a batch: on SQLite a batch copies the table, which the tables
    # referring to cases refuse once they hold rows.
    op.add_column("cases", sa.Column("industry", sa.String(16), nullable=True))
    op.add_column(
        "cases", sa.Column("latest", sa.Boolean(), server_default=sa.true(), nullable=False)
    )
    op.execute(
        "UPDATE cases SET industry = (SELECT r.industry FROM conversation_revisions r"
        " WHERE r.id = cases.revision_id)"
    )
    op.execute(
        "UPDATE cases SET latest = false WHERE revision_id IN (SELECT r.id"
        " FROM conversation_revisions r JOIN conversations c ON c.id = r.conversation_id"
        " WHERE r.number <> c.revision)"
    )
    op.create_index("ix_cases_counted", "cases", COUNTED)
    op.create_index("ix_cases_industry", "cases", ["industry"])


def downgrade() -> None:
    op.drop_index("ix_cases_industry", table_name="cases")
    op.drop_index("ix_cases_counted", table_name="cases")
    # In place as well (SQLite since 3.35).
    op.execute("ALTER TABLE cases DROP COLUMN latest")
    op.execute("ALTER TABLE cases DROP COLUMN industry")

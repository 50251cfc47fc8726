"""The violation ledger: cases with their history and calibration labels, notifiers, the
outbox and the delivery log, training courses and assignments.

Revision ID: 0003_cases
Revises: 0002_ingest
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from hegui.db.base import UTCDateTime

revision = "0003_cases"
down_revision = "0002_ingest"
branch_labels = None
depends_on = None

STATUSES = "'new', 'confirmed', 'dismissed', 'appealed', 'upheld', 'overturned', 'withdrawn', "
STATUSES += "'calibrated'"
CASE_INDEXES = {
    "ix_cases_agent_id": ["agent_id"],
    "ix_cases_conversation_id": ["conversation_id"],
    "ix_cases_created_at": ["created_at"],
    "ix_cases_occurred_at": ["occurred_at"],
    "ix_cases_rule_id": ["rule_id"],
    "ix_cases_status_due_at": ["status", "due_at"],
    "ix_cases_team": ["team"],
}


def _id() -> sa.Column[int]:
    return sa.Column("id", sa.Integer(), nullable=False)


def _at(name: str, nullable: bool = False) -> sa.Column[object]:
    return sa.Column(name, UTCDateTime(), nullable=nullable)


def _text(name: str, length: int | None = None, nullable: bool = False) -> sa.Column[str]:
    kind = sa.String(length) if length else sa.Text()
    return sa.Column(name, kind, nullable=nullable)


def _fk(column: str, target: str, table: str) -> sa.ForeignKeyConstraint:
    referred = target.split(".")[0]
    return sa.ForeignKeyConstraint([column], [target], name=op.f(f"fk_{table}_{column}_{referred}"))


def upgrade() -> None:
    _cases()
    _alerts()
    _training()


def _cases() -> None:
    op.create_table(
        "cases",
        _id(),
        _text("kind", 16),
        sa.Column("finding_id", sa.Integer(), nullable=True),
        sa.Column("calibration_of", sa.Integer(), nullable=True),
        _text("conversation_id", 128),
        sa.Column("revision_id", sa.Integer(), nullable=False),
        _text("rule_id", 128, nullable=True),
        _text("category", 64, nullable=True),
        _text("severity", 16),
        _text("status", 16),
        _text("agent_id", 64, nullable=True),
        _text("team", 64, nullable=True),
        _text("channel", 16),
        _at("occurred_at"),
        _at("created_at"),
        _at("updated_at"),
        _at("due_at", nullable=True),
        _at("appeal_until", nullable=True),
        _text("assignee", 64, nullable=True),
        sa.Column("escalation_level", sa.Integer(), nullable=False),
        _at("superseded_at", nullable=True),
        sa.CheckConstraint("kind IN ('finding', 'calibration')", name=op.f("ck_cases_kind")),
        sa.CheckConstraint(f"status IN ({STATUSES})", name=op.f("ck_cases_status")),
        _fk("conversation_id", "conversations.id", "cases"),
        _fk("finding_id", "findings.id", "cases"),
        _fk("revision_id", "conversation_revisions.id", "cases"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cases")),
        sa.UniqueConstraint("calibration_of", name=op.f("uq_cases_calibration_of")),
        sa.UniqueConstraint("finding_id", name=op.f("uq_cases_finding_id")),
    )
    for name, columns in CASE_INDEXES.items():
        op.create_index(name, "cases", columns)
    op.create_table(
        "case_events",
        _id(),
        sa.Column("case_id", sa.Integer(), nullable=False),
        _at("at"),
        _text("actor", 128),
        _text("action", 32),
        _text("from_status", 16, nullable=True),
        _text("to_status", 16, nullable=True),
        _text("comment", nullable=True),
        sa.Column("details", sa.JSON(), nullable=False),
        _fk("case_id", "cases.id", "case_events"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_events")),
    )
    op.create_index("ix_case_events_case_id", "case_events", ["case_id"])
    op.create_table(
        "case_labels",
        _id(),
        sa.Column("case_id", sa.Integer(), nullable=False),
        _text("reviewer", 64),
        _text("verdict", 16),
        _text("category", 64, nullable=True),
        _text("comment", nullable=True),
        _at("at"),
        sa.CheckConstraint(
            "verdict IN ('clean', 'violation')", name=op.f("ck_case_labels_verdict")
        ),
        _fk("case_id", "cases.id", "case_labels"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_labels")),
        sa.UniqueConstraint("case_id", "reviewer", name=op.f("uq_case_labels_case_id")),
    )
    op.create_table(
        "job_marks",
        _text("name", 64),
        _at("at"),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_job_marks")),
    )


def _alerts() -> None:
    op.create_table(
        "notifiers",
        _id(),
        _text("kind", 16),
        _text("name", 128),
        _text("min_severity", 16),
        _text("target_hint", 255),
        sa.Column("sealed", sa.LargeBinary(), nullable=False),
        sa.Column("has_secret", sa.Boolean(), nullable=False),
        sa.Column("options", sa.JSON(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        _text("created_by", 128),
        _at("created_at"),
        _at("updated_at"),
        sa.CheckConstraint(
            "min_severity IN ('high', 'medium', 'low')", name=op.f("ck_notifiers_min_severity")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notifiers")),
    )
    op.create_table(
        "outbox",
        _id(),
        _text("key", 255),
        _text("event", 64),
        _text("severity", 16),
        _text("title"),
        _text("text"),
        sa.Column("payload", sa.JSON(), nullable=False),
        _text("state", 16),
        sa.Column("attempts", sa.Integer(), nullable=False),
        _at("created_at"),
        _at("next_at"),
        _text("lease_owner", 128, nullable=True),
        _at("delivered_at", nullable=True),
        _text("last_error", nullable=True),
        sa.CheckConstraint(
            "state IN ('pending', 'delivered', 'failed')", name=op.f("ck_outbox_state")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outbox")),
        sa.UniqueConstraint("key", name=op.f("uq_outbox_key")),
    )
    op.create_index("ix_outbox_state_next_at", "outbox", ["state", "next_at"])
    op.create_table(
        "deliveries",
        _id(),
        sa.Column("notifier_id", sa.Integer(), nullable=False),
        _text("kind", 16),
        _text("idempotency_key", 255),
        _text("event", 64),
        sa.Column("attempt", sa.Integer(), nullable=False),
        _text("status", 16),
        sa.Column("code", sa.Integer(), nullable=True),
        _text("response"),
        _text("error", nullable=True),
        _at("at"),
        _fk("notifier_id", "notifiers.id", "deliveries"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_deliveries")),
    )
    op.create_index("ix_deliveries_at", "deliveries", ["at"])
    # At most one `sent` row per notice and notifier: no second send after a restart.
    sent = sa.text("status = 'sent'")
    op.create_index(
        "uq_deliveries_sent",
        "deliveries",
        ["idempotency_key", "notifier_id"],
        unique=True,
        sqlite_where=sent,
        postgresql_where=sent,
    )


def _training() -> None:
    op.create_table(
        "training_courses",
        _text("category", 64),
        _text("title", 255),
        _text("url", 1024, nullable=True),
        _text("updated_by", 128),
        _at("updated_at"),
        sa.PrimaryKeyConstraint("category", name=op.f("pk_training_courses")),
    )
    op.create_table(
        "training_assignments",
        _id(),
        _text("agent_id", 64),
        _text("team", 64, nullable=True),
        _text("category", 64),
        _text("period", 16),
        sa.Column("confirmed", sa.Integer(), nullable=False),
        sa.Column("case_ids", sa.JSON(), nullable=False),
        _text("course_title", 255),
        _text("course_url", 1024, nullable=True),
        _text("status", 16),
        _at("created_at"),
        _at("acknowledged_at", nullable=True),
        _at("completed_at", nullable=True),
        sa.CheckConstraint(
            "status IN ('assigned', 'acknowledged', 'completed')",
            name=op.f("ck_training_assignments_status"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_training_assignments")),
        sa.UniqueConstraint(
            "agent_id", "category", "period", name=op.f("uq_training_assignments_agent_id")
        ),
    )
    op.create_index("ix_training_assignments_team", "training_assignments", ["team"])


def downgrade() -> None:
    op.drop_index("ix_training_assignments_team", table_name="training_assignments")
    op.drop_index("uq_deliveries_sent", table_name="deliveries")
    op.drop_index("ix_deliveries_at", table_name="deliveries")
    op.drop_index("ix_outbox_state_next_at", table_name="outbox")
    op.drop_index("ix_case_events_case_id", table_name="case_events")
    for name in CASE_INDEXES:
        op.drop_index(name, table_name="cases")
    for table in (
        "training_assignments",
        "training_courses",
        "deliveries",
        "outbox",
        "notifiers",
        "job_marks",
        "case_labels",
        "case_events",
        "cases",
    ):
        op.drop_table(table)

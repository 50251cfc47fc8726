"""Conversations with revisions and utterances, durable jobs, findings with their
inspections, and rule packs stored with versions.

Revision ID: 0002_ingest
Revises: 0001_users_audit
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from hegui.db.base import UTCDateTime

revision = "0002_ingest"
down_revision = "0001_users_audit"
branch_labels = None
depends_on = None


def _id() -> sa.Column[int]:
    return sa.Column("id", sa.Integer(), nullable=False)


def _fk(column: str, target: str, table: str) -> sa.ForeignKeyConstraint:
    referred = target.split(".")[0]
    return sa.ForeignKeyConstraint([column], [target], name=op.f(f"fk_{table}_{column}_{referred}"))


def upgrade() -> None:
    _conversations()
    _jobs()
    _rule_packs()
    _findings()


def _conversations() -> None:
    op.create_table(
        "conversations",
        sa.Column("id", sa.String(128), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("channel", sa.String(16), nullable=False),
        sa.Column("agent_id", sa.String(64), nullable=True),
        sa.Column("team", sa.String(64), nullable=True),
        sa.Column("occurred_at", UTCDateTime(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_conversations")),
    )
    op.create_index("ix_conversations_agent_id", "conversations", ["agent_id"])
    op.create_index("ix_conversations_occurred_at", "conversations", ["occurred_at"])
    op.create_index("ix_conversations_team", "conversations", ["team"])
    op.create_table(
        "conversation_revisions",
        _id(),
        sa.Column("conversation_id", sa.String(128), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("content_hash", sa.String(64), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("channel", sa.String(16), nullable=False),
        sa.Column("industry", sa.String(16), nullable=True),
        sa.Column("agent_id", sa.String(64), nullable=True),
        sa.Column("agent_name", sa.String(128), nullable=True),
        sa.Column("team", sa.String(64), nullable=True),
        sa.Column("customer_id", sa.String(128), nullable=True),
        sa.Column("started_at", UTCDateTime(), nullable=True),
        sa.Column("metadata", sa.JSON(), nullable=False),
        sa.Column("extra", sa.JSON(), nullable=False),
        sa.Column("raw_sealed", sa.LargeBinary(), nullable=True),
        sa.Column("raw_kept", sa.Boolean(), nullable=False),
        sa.Column("submitted_by", sa.String(128), nullable=False),
        sa.Column("received_at", UTCDateTime(), nullable=False),
        sa.Column("inspected_at", UTCDateTime(), nullable=True),
        sa.CheckConstraint(
            "status IN ('pending', 'inspected')", name=op.f("ck_conversation_revisions_status")
        ),
        _fk("conversation_id", "conversations.id", "conversation_revisions"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_conversation_revisions")),
        sa.UniqueConstraint(
            "conversation_id", "content_hash", name="uq_conversation_revisions_content"
        ),
        sa.UniqueConstraint("conversation_id", "number", name="uq_conversation_revisions_number"),
    )
    op.create_table(
        "utterances",
        sa.Column("revision_id", sa.Integer(), nullable=False),
        sa.Column("idx", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("start_seconds", sa.Float(), nullable=True),
        sa.Column("end_seconds", sa.Float(), nullable=True),
        sa.Column("at", sa.String(64), nullable=True),
        _fk("revision_id", "conversation_revisions.id", "utterances"),
        sa.PrimaryKeyConstraint("revision_id", "idx", name=op.f("pk_utterances")),
    )


def _jobs() -> None:
    op.create_table(
        "jobs",
        _id(),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("total", sa.Integer(), nullable=False),
        sa.Column("done", sa.Integer(), nullable=False),
        sa.Column("failed", sa.Integer(), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("params", sa.JSON(), nullable=False),
        sa.Column("created_by", sa.String(128), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("started_at", UTCDateTime(), nullable=True),
        sa.Column("finished_at", UTCDateTime(), nullable=True),
        sa.Column("heartbeat_at", UTCDateTime(), nullable=True),
        sa.CheckConstraint("kind IN ('inspect', 'reinspect')", name=op.f("ck_jobs_kind")),
        sa.CheckConstraint(
            "status IN ('queued', 'running', 'done', 'failed')", name=op.f("ck_jobs_status")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_jobs")),
    )
    op.create_index("ix_jobs_status", "jobs", ["status"])
    op.create_table(
        "job_items",
        _id(),
        sa.Column("job_id", sa.Integer(), nullable=False),
        sa.Column("revision_id", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("lease_owner", sa.String(128), nullable=True),
        sa.Column("lease_expires_at", UTCDateTime(), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.CheckConstraint(
            "state IN ('pending', 'done', 'failed')", name=op.f("ck_job_items_state")
        ),
        _fk("job_id", "jobs.id", "job_items"),
        _fk("revision_id", "conversation_revisions.id", "job_items"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_job_items")),
        sa.UniqueConstraint("job_id", "revision_id", name=op.f("uq_job_items_job_id")),
    )
    op.create_index("ix_job_items_claim", "job_items", ["state", "job_id"])


def _rule_packs() -> None:
    op.create_table(
        "rule_packs",
        sa.Column("name", sa.String(64), nullable=False),
        sa.Column("current_version", sa.Integer(), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_rule_packs")),
    )
    op.create_table(
        "rule_pack_versions",
        _id(),
        sa.Column("pack", sa.String(64), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("digest", sa.String(64), nullable=False),
        sa.Column("rules", sa.JSON(), nullable=False),
        sa.Column("published_by", sa.String(128), nullable=False),
        sa.Column("published_at", UTCDateTime(), nullable=False),
        _fk("pack", "rule_packs.name", "rule_pack_versions"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rule_pack_versions")),
        sa.UniqueConstraint("pack", "version", name=op.f("uq_rule_pack_versions_pack")),
    )


def _findings() -> None:
    op.create_table(
        "inspections",
        _id(),
        sa.Column("revision_id", sa.Integer(), nullable=False),
        sa.Column("first_of", sa.Integer(), nullable=True),
        sa.Column("job_id", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("rules", sa.JSON(), nullable=False),
        sa.Column("text_source", sa.String(16), nullable=False),
        sa.Column("added", sa.Integer(), nullable=False),
        sa.Column("superseded", sa.Integer(), nullable=False),
        sa.Column("at", UTCDateTime(), nullable=False),
        _fk("job_id", "jobs.id", "inspections"),
        _fk("revision_id", "conversation_revisions.id", "inspections"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inspections")),
        sa.UniqueConstraint("first_of", name=op.f("uq_inspections_first_of")),
    )
    op.create_index("ix_inspections_revision_id", "inspections", ["revision_id"])
    op.create_table(
        "findings",
        _id(),
        sa.Column("conversation_id", sa.String(128), nullable=False),
        sa.Column("revision_id", sa.Integer(), nullable=False),
        sa.Column("inspection_id", sa.Integer(), nullable=False),
        sa.Column("rule_id", sa.String(128), nullable=False),
        sa.Column("rule_version", sa.Integer(), nullable=False),
        sa.Column("category", sa.String(64), nullable=False),
        sa.Column("severity", sa.String(16), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("utterance_index", sa.Integer(), nullable=True),
        sa.Column("role", sa.String(16), nullable=True),
        sa.Column("span_start", sa.Integer(), nullable=True),
        sa.Column("span_end", sa.Integer(), nullable=True),
        sa.Column("evidence", sa.Text(), nullable=True),
        sa.Column("matched", sa.Text(), nullable=True),
        sa.Column("start_seconds", sa.Float(), nullable=True),
        sa.Column("end_seconds", sa.Float(), nullable=True),
        sa.Column("related", sa.JSON(), nullable=False),
        sa.Column("dedup_key", sa.String(255), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("superseded_at", UTCDateTime(), nullable=True),
        sa.Column("superseded_by", sa.Integer(), nullable=True),
        sa.Column("case_id", sa.Integer(), nullable=True),
        _fk("conversation_id", "conversations.id", "findings"),
        _fk("inspection_id", "inspections.id", "findings"),
        _fk("revision_id", "conversation_revisions.id", "findings"),
        _fk("superseded_by", "inspections.id", "findings"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_findings")),
        sa.UniqueConstraint("revision_id", "dedup_key", name=op.f("uq_findings_revision_id")),
    )
    op.create_index("ix_findings_conversation_id", "findings", ["conversation_id"])


def downgrade() -> None:
    for index, table in (
        ("ix_findings_conversation_id", "findings"),
        ("ix_inspections_revision_id", "inspections"),
        ("ix_job_items_claim", "job_items"),
        ("ix_jobs_status", "jobs"),
        ("ix_conversations_team", "conversations"),
        ("ix_conversations_occurred_at", "conversations"),
        ("ix_conversations_agent_id", "conversations"),
    ):
        op.drop_index(index, table_name=table)
    for table in (
        "findings",
        "inspections",
        "rule_pack_versions",
        "rule_packs",
        "job_items",
        "jobs",
        "utterances",
        "conversation_revisions",
        "conversations",
    ):
        op.drop_table(table)

"""Create the tables of duplicates and merges (decision ledger, reversible merges) and of
watch-lists (watches and their alerts).

The "merged into" pointer of a person or company is its active merge: the row of ``merges``
with its id as ``merged_id`` and no ``unmerged_at`` (a partial unique index keeps it single).

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-29
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _enum(name: str, length: int, *values: str) -> sa.Enum:
    return sa.Enum(*values, name=name, native_enum=False, create_constraint=True, length=length)


def upgrade() -> None:
    op.create_table(
        "merge_decisions",
        sa.Column("record_type", sa.String(length=16), nullable=False),
        sa.Column("record_a_id", sa.Uuid(), nullable=False),
        sa.Column("record_b_id", sa.Uuid(), nullable=False),
        sa.Column(
            "decision",
            _enum("decision", 16, "same", "not_same", "merged", "unmerged"),
            nullable=False,
        ),
        sa.Column("score", sa.Float(), nullable=True),
        sa.Column("evidence", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("decided_by_id", sa.Uuid(), nullable=True),
        sa.Column("decided_by_name", sa.String(length=64), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["decided_by_id"], ["users.id"], name=op.f("fk_merge_decisions_decided_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_merge_decisions")),
    )
    op.create_index(
        op.f("ix_merge_decisions_record_type"),
        "merge_decisions",
        ["record_type", "record_a_id", "record_b_id"],
    )
    op.create_table(
        "merges",
        sa.Column("record_type", sa.String(length=16), nullable=False),
        sa.Column("survivor_id", sa.Uuid(), nullable=False),
        sa.Column("merged_id", sa.Uuid(), nullable=False),
        sa.Column("survivor_snapshot", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("merged_snapshot", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("moved_links", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("dropped_links", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("score", sa.Float(), nullable=True),
        sa.Column("merged_by_id", sa.Uuid(), nullable=True),
        sa.Column("merged_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("unmerged_by_id", sa.Uuid(), nullable=True),
        sa.Column("unmerged_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["merged_by_id"], ["users.id"], name=op.f("fk_merges_merged_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["unmerged_by_id"], ["users.id"], name=op.f("fk_merges_unmerged_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_merges")),
    )
    op.create_index(op.f("ix_merges_survivor_id"), "merges", ["survivor_id"])
    op.create_index(
        "uq_merges_active_merged_id",
        "merges",
        ["merged_id"],
        unique=True,
        postgresql_where=sa.text("unmerged_at IS NULL"),
    )
    op.create_table(
        "watches",
        sa.Column("owner_id", sa.Uuid(), nullable=False),
        sa.Column("kind", _enum("watchkind", 16, "record", "name", "identifier"), nullable=False),
        sa.Column("record_type", sa.String(length=16), nullable=True),
        sa.Column("record_id", sa.Uuid(), nullable=True),
        sa.Column("value", sa.String(length=300), nullable=True),
        sa.Column("keys", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("threshold", sa.Float(), nullable=True),
        sa.Column("label", sa.String(length=300), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["owner_id"], ["users.id"], name=op.f("fk_watches_owner_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_watches")),
    )
    op.create_index(op.f("ix_watches_owner_id"), "watches", ["owner_id"])
    op.create_index(op.f("ix_watches_record_id"), "watches", ["record_id"])
    op.create_table(
        "alerts",
        sa.Column("watch_id", sa.Uuid(), nullable=True),
        sa.Column("owner_id", sa.Uuid(), nullable=False),
        sa.Column("record_type", sa.String(length=16), nullable=False),
        sa.Column("record_id", sa.Uuid(), nullable=False),
        sa.Column("event", sa.String(length=32), nullable=False),
        sa.Column("score", sa.Float(), nullable=True),
        sa.Column("explanation", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("read_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["watch_id"],
            ["watches.id"],
            name=op.f("fk_alerts_watch_id_watches"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["owner_id"], ["users.id"], name=op.f("fk_alerts_owner_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_alerts")),
    )
    op.create_index(op.f("ix_alerts_owner_id"), "alerts", ["owner_id", "read_at"])
    op.create_index(op.f("ix_alerts_watch_id"), "alerts", ["watch_id"])
    op.create_index(op.f("ix_alerts_created_at"), "alerts", ["created_at"])


def downgrade() -> None:
    op.drop_table("alerts")
    op.drop_table("watches")
    op.drop_index("uq_merges_active_merged_id", table_name="merges")
    op.drop_table("merges")
    op.drop_table("merge_decisions")

"""Add retention review: a review date on every record and the ledger of review decisions.

Existing records get their review dates here, in SQL generated from the same rules the
services apply to new records (`ncen.retention.policy.assign_sql`), so a node upgraded with
old data has a working review queue at once. Rows loaded later around the services (the demo's
bulk loader) get theirs from ``ncen retention assign``.

Revision ID: 0014
Revises: 0011
Create Date: 2026-12-07
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from ncen.retention.policy import TABLES, assign_sql

revision: str = "0014"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    for table in TABLES.values():
        op.add_column(table, sa.Column("review_due", sa.Date(), nullable=True))
        op.create_index(op.f(f"ix_{table}_review_due"), table, ["review_due"])
    op.create_table(
        "retention_decisions",
        sa.Column("record_type", sa.String(length=16), nullable=False),
        sa.Column("record_id", sa.Uuid(), nullable=False),
        sa.Column(
            "decision",
            sa.Enum(
                "keep",
                "delete",
                name="decision",
                native_enum=False,
                create_constraint=True,
                length=8,
            ),
            nullable=False,
        ),
        sa.Column("reference", sa.String(length=200), nullable=True),
        sa.Column("handling_code", sa.String(length=2), nullable=False),
        sa.Column("review_due", sa.Date(), nullable=True),
        sa.Column("new_review_due", sa.Date(), nullable=True),
        sa.Column("reason", sa.String(length=500), nullable=False),
        sa.Column("decided_by_id", sa.Uuid(), nullable=True),
        sa.Column("decided_by_name", sa.String(length=64), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_retention_decisions")),
    )
    op.create_index(
        op.f("ix_retention_decisions_record_id"),
        "retention_decisions",
        ["record_id", "decision"],
    )
    op.create_index(
        op.f("ix_retention_decisions_decided_at"), "retention_decisions", ["decided_at"]
    )
    for record_type in TABLES:
        op.execute(assign_sql(record_type, only_missing=False))


def downgrade() -> None:
    op.drop_index(op.f("ix_retention_decisions_decided_at"), table_name="retention_decisions")
    op.drop_index(op.f("ix_retention_decisions_record_id"), table_name="retention_decisions")
    op.drop_table("retention_decisions")
    for table in TABLES.values():
        op.drop_index(op.f(f"ix_{table}_review_due"), table_name=table)
        op.drop_column(table, "review_due")

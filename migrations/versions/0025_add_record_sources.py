"""Where an imported record comes from: ``source`` and ``source_id`` on persons, companies
and conveyances, unique per record type where an id is given; and the stored queue of
duplicate candidates with the mark of how far its scan has got.

Re-importing a file of another system must update the records it created instead of creating
twins (`ncen.imports`, docs/import-persons.md): the partial unique index finds the record by
its id in the source and refuses a second record with the same one, also under concurrent
imports. A ``source_id`` needs its ``source`` (a check constraint).

The duplicates page ranks every candidate pair of the node, true duplicates first, without
searching every record at each visit: ``ncen duplicates scan`` (`ncen.merging.queue`) stores
the pairs in ``duplicate_pairs`` and remembers in ``duplicate_scans`` the last record it
examined, so the next run examines only records changed since.

Revision ID: 0025
Revises: 0024
Create Date: 2026-12-07
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0025"
down_revision: str | None = "0024"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = ("persons", "companies", "conveyances")


def upgrade() -> None:
    """Add the columns, the check and the partial unique index to each table."""
    for table in TABLES:
        op.add_column(table, sa.Column("source", sa.String(64), nullable=True))
        op.add_column(table, sa.Column("source_id", sa.String(128), nullable=True))
        op.create_check_constraint(
            op.f(f"ck_{table}_source_id_needs_source"),
            table,
            "source_id IS NULL OR source IS NOT NULL",
        )
        op.create_index(
            f"uq_{table}_source_source_id",
            table,
            ["source", "source_id"],
            unique=True,
            postgresql_where=sa.text("source_id IS NOT NULL"),
        )

    op.create_table(
        "duplicate_pairs",
        sa.Column("record_type", sa.String(16), nullable=False),
        sa.Column("record_a_id", sa.Uuid(), nullable=False),
        sa.Column("record_b_id", sa.Uuid(), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("name_score", sa.Float(), nullable=False),
        sa.Column("evidence", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("computed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint(
            "record_type", "record_a_id", "record_b_id", name=op.f("pk_duplicate_pairs")
        ),
    )
    op.create_index(
        "ix_duplicate_pairs_record_type_score", "duplicate_pairs", ["record_type", "score"]
    )
    op.create_index(op.f("ix_duplicate_pairs_record_b_id"), "duplicate_pairs", ["record_b_id"])
    op.create_table(
        "duplicate_scans",
        sa.Column("record_type", sa.String(16), nullable=False),
        sa.Column("scanned_until", sa.DateTime(timezone=True), nullable=False),
        sa.Column("scanned_until_id", sa.Uuid(), nullable=False),
        sa.Column("scanned_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("record_type", name=op.f("pk_duplicate_scans")),
    )


def downgrade() -> None:
    """Drop them again (the sources of imported records and the stored candidates are lost)."""
    op.drop_table("duplicate_scans")
    op.drop_index(op.f("ix_duplicate_pairs_record_b_id"), table_name="duplicate_pairs")
    op.drop_index("ix_duplicate_pairs_record_type_score", table_name="duplicate_pairs")
    op.drop_table("duplicate_pairs")
    for table in reversed(TABLES):
        op.drop_index(f"uq_{table}_source_source_id", table_name=table)
        op.drop_constraint(op.f(f"ck_{table}_source_id_needs_source"), table, type_="check")
        op.drop_column(table, "source_id")
        op.drop_column(table, "source")

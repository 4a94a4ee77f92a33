"""Where an imported record comes from: ``source`` and ``source_id`` on persons, companies
and conveyances, unique per record type where an id is given.

Re-importing a file of another system must update the records it created instead of creating
twins (`ncen.imports`, docs/import-persons.md): the partial unique index finds the record by
its id in the source and refuses a second record with the same one, also under concurrent
imports. A ``source_id`` needs its ``source`` (a check constraint).

Revision ID: 0025
Revises: 0022
Create Date: 2026-12-07
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0025"
down_revision: str | None = "0022"
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


def downgrade() -> None:
    """Drop them again (the sources of imported records are lost)."""
    for table in reversed(TABLES):
        op.drop_index(f"uq_{table}_source_source_id", table_name=table)
        op.drop_constraint(op.f(f"ck_{table}_source_id_needs_source"), table, type_="check")
        op.drop_column(table, "source_id")
        op.drop_column(table, "source")

"""Statistics: the route flow as a pair dimension, a rollup per filter value, and a count index.

At 1,000,000 seizures the statistics page missed its 300 ms target: the departure x
destination panel was a self-join of the per-seizure facts (2.2 s), and any filter sent every
panel to the facts (34 s, slower than the base tables). This revision adds:

- room in ``stat_facts.value`` and ``stat_rollup.value`` for the pair dimension ``flow``
  (``DE>NL``, two codes of up to 32 characters), so the flow panel reads the monthly rollup
  (a longer varchar limit is a catalogue change, no table rewrite);
- ``stat_cross``: for each value of a filter-bar dimension, the panels' facts of the seizures
  having it, per month and provenance (`ncen.analysis.models.StatCross`), kept by the same
  dirty-queue refresh as the rollup;
- a partial index on the count facts, so "seizures having this value" is an index-only scan.

Every seizure is queued, so the next refresh (a set-based rebuild above
`ncen.analysis.rollups.REBUILD_ABOVE` queued seizures) fills the flow facts and the new table.
The downgrade removes the flow rows, which the older code would not expect.

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-07
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0023"
down_revision: str | None = "0022"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Widen the values, create the cross rollup and the count index, queue every seizure."""
    for table in ("stat_facts", "stat_rollup"):
        op.alter_column(
            table, "value", type_=sa.String(length=65), existing_type=sa.String(length=32)
        )
    op.create_table(
        "stat_cross",
        sa.Column("filter_dim", sa.String(length=16), nullable=False),
        sa.Column("filter_value", sa.String(length=32), nullable=False),
        sa.Column("dimension", sa.String(length=16), nullable=False),
        sa.Column("value", sa.String(length=65), nullable=False),
        sa.Column("measure", sa.String(length=32), nullable=False),
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("is_foreign", sa.Boolean(), nullable=False),
        sa.Column("amount", sa.Numeric(), nullable=False),
        sa.PrimaryKeyConstraint(
            "filter_dim",
            "filter_value",
            "dimension",
            "value",
            "measure",
            "month",
            "is_foreign",
            name=op.f("pk_stat_cross"),
        ),
    )
    op.create_index(
        "ix_stat_facts_count_value",
        "stat_facts",
        ["dimension", "value", "seizure_id"],
        postgresql_where=sa.text("measure = ''"),
        postgresql_include=["day"],
    )
    op.execute(
        sa.text(
            "INSERT INTO stat_dirty (seizure_id) SELECT id FROM seizures"
            " ON CONFLICT (seizure_id) DO NOTHING"
        )
    )


def downgrade() -> None:
    """Remove the flow rows, the index and the table; narrow the values back."""
    op.drop_index("ix_stat_facts_count_value", table_name="stat_facts")
    op.drop_table("stat_cross")
    for table in ("stat_facts", "stat_rollup"):
        op.execute(sa.text(f"DELETE FROM {table} WHERE dimension = 'flow'"))  # noqa: S608
        op.alter_column(
            table, "value", type_=sa.String(length=32), existing_type=sa.String(length=65)
        )

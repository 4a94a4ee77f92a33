"""Create the table of stored whole-graph centrality runs.

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-07
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0021"
down_revision: str | None = "0020"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "centrality_runs",
        sa.Column(
            "computed_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("seizures_from", sa.Date(), nullable=True),
        sa.Column("node_count", sa.Integer(), nullable=False),
        sa.Column("edge_count", sa.Integer(), nullable=False),
        sa.Column("seconds", sa.Float(), nullable=False),
        sa.Column("peak_rss_mib", sa.Float(), nullable=False),
        sa.Column("top", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("requested_by", sa.String(length=120), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_centrality_runs")),
    )
    op.create_index(
        op.f("ix_centrality_runs_computed_at"), "centrality_runs", ["computed_at"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_centrality_runs_computed_at"), table_name="centrality_runs")
    op.drop_table("centrality_runs")

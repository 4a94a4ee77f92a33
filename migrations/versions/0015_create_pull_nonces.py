"""Remember the nonces of answered pull requests in PostgreSQL, shared by every server process.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-07
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "exchange_pull_nonces",
        sa.Column("nonce", sa.String(length=64), nullable=False),
        sa.Column("peer_node_id", sa.String(length=64), nullable=False),
        sa.Column("seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("nonce", name=op.f("pk_exchange_pull_nonces")),
    )
    op.create_index(
        op.f("ix_exchange_pull_nonces_seen_at"), "exchange_pull_nonces", ["seen_at"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_exchange_pull_nonces_seen_at"), table_name="exchange_pull_nonces")
    op.drop_table("exchange_pull_nonces")

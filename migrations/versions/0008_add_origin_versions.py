"""Add the originator's version to every record, so received updates apply only when newer.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-29
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = ("seizures", "persons", "companies", "conveyances")


def upgrade() -> None:
    for table in TABLES:
        op.add_column(table, sa.Column("origin_version", sa.Integer(), nullable=True))


def downgrade() -> None:
    for table in TABLES:
        op.drop_column(table, "origin_version")

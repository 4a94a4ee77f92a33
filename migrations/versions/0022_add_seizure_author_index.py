"""An index on who recorded a seizure, newest change first, for the investigator's desk.

The desk's "my recent records" and "my drafts" panels filter live seizures by their author and
take the latest few; without this index each visit scans every seizure (84 ms p50 at 100,000
seizures, 9 ms with it: benchmarks/results/desk-100k.txt). Partial on live rows, as the panels
never show deleted ones.

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-07
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0022"
down_revision: str | None = "0021"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Create the partial author index."""
    op.create_index(
        "ix_seizures_created_by_id_updated_at",
        "seizures",
        ["created_by_id", "updated_at"],
        postgresql_where=sa.text("deleted_at IS NULL"),
    )


def downgrade() -> None:
    """Drop it."""
    op.drop_index("ix_seizures_created_by_id_updated_at", table_name="seizures")

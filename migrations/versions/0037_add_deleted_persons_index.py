"""A partial index listing the deleted persons, for the name search.

The retrieval steps of the person search choose their candidate name forms among the names
alone and join only the few hundred chosen to their persons (`ncen.search.candidates`). To
leave out the forms of deleted persons while choosing, without a lookup of each form's person,
they read the deleted persons once per statement: from this index, which holds only them
(normally none or a few), rather than from the whole table.

Revision ID: 0037
Revises: 0032
Create Date: 2026-12-07
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0037"
down_revision: str | None = "0032"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Create the partial index of deleted persons."""
    op.create_index(
        "ix_persons_deleted",
        "persons",
        ["id"],
        postgresql_where=sa.text("deleted_at IS NOT NULL"),
    )


def downgrade() -> None:
    """Drop it."""
    op.drop_index("ix_persons_deleted", table_name="persons")

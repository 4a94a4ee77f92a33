"""Give accounts a team: the hits queue of a team shows the hits of its members' profiles.

Adds ``users.team`` (a short name an administrator sets; NULL: no team) and its index.

Revision ID: 0039
Revises: 0036
Create Date: 2026-12-07
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0039"
down_revision: str | None = "0036"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("users", sa.Column("team", sa.String(length=64), nullable=True))
    op.create_index(op.f("ix_users_team"), "users", ["team"])


def downgrade() -> None:
    op.drop_index(op.f("ix_users_team"), table_name="users")
    op.drop_column("users", "team")

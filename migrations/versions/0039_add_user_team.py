"""Give accounts a team: the hits queue of a team shows the hits of its members' profiles.

Adds ``users.team`` (a short name an administrator sets; NULL: no team) and its index; and
indexes ``updated_at`` of ``risk_profiles`` and ``targeting_lists``: every evaluation of a write
first reads the latest change of each (has the compiled matcher gone stale?), which the indexes
answer without scanning the profiles.

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
    op.create_index(op.f("ix_risk_profiles_updated_at"), "risk_profiles", ["updated_at"])
    op.create_index(op.f("ix_targeting_lists_updated_at"), "targeting_lists", ["updated_at"])


def downgrade() -> None:
    op.drop_index(op.f("ix_targeting_lists_updated_at"), table_name="targeting_lists")
    op.drop_index(op.f("ix_risk_profiles_updated_at"), table_name="risk_profiles")
    op.drop_index(op.f("ix_users_team"), table_name="users")
    op.drop_column("users", "team")

"""Add the auditor role and the alerts about accounts given access to nominal data.

The role column is a VARCHAR guarded by a CHECK constraint (see `ncen.db.enum_column`), so the
new value is a new constraint. The downgrade removes the auditor role from every account first
(an account left without roles cannot sign in to anything), then restores the old constraint.

Revision ID: 0010
Revises: 0008
Create Date: 2026-12-07
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0010"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OLD_ROLES = ("investigator", "analyst", "supervisor", "exchange_officer", "administrator")
NEW_ROLES = (*OLD_ROLES, "auditor")


def _role_check(roles: Sequence[str]) -> None:
    listed = ", ".join(f"'{role}'" for role in roles)
    op.drop_constraint(op.f("ck_user_roles_role"), "user_roles", type_="check")
    op.create_check_constraint(op.f("ck_user_roles_role"), "user_roles", f"role IN ({listed})")


def upgrade() -> None:
    _role_check(NEW_ROLES)
    op.create_table(
        "account_alerts",
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("action", sa.String(length=32), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("username", sa.String(length=64), nullable=False),
        sa.Column("roles", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("actor_id", sa.Uuid(), nullable=True),
        sa.Column("actor_name", sa.String(length=64), nullable=False),
        sa.Column("audit_event_id", sa.BigInteger(), nullable=False),
        sa.Column("acknowledged_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("acknowledged_by_id", sa.Uuid(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_account_alerts_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["acknowledged_by_id"],
            ["users.id"],
            name=op.f("fk_account_alerts_acknowledged_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_account_alerts")),
    )
    op.create_index(op.f("ix_account_alerts_user_id"), "account_alerts", ["user_id"])
    op.create_index(
        op.f("ix_account_alerts_acknowledged_at"),
        "account_alerts",
        ["acknowledged_at", "created_at"],
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_account_alerts_acknowledged_at"), table_name="account_alerts")
    op.drop_index(op.f("ix_account_alerts_user_id"), table_name="account_alerts")
    op.drop_table("account_alerts")
    op.execute("DELETE FROM user_roles WHERE role = 'auditor'")
    _role_check(OLD_ROLES)

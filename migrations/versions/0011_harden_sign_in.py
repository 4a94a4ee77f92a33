"""Harden sign-in: shared failure counters, TOTP replay guard, pending and sealed TOTP secrets.

- ``sign_in_failures``: failed sign-ins per address and per (account, address), in PostgreSQL so
  every server process shares them and they survive restarts (issue 12 item 11);
- ``users.totp_last_step``: the last accepted TOTP step, so a code is not accepted twice;
- ``users.totp_pending_secret``: the secret being enrolled, kept server-side (sealed) instead of
  in the session cookie;
- ``users.totp_secret`` widened to hold the sealed form (``sb1:`` + base64).

Existing clear TOTP secrets and hit-check keys are not converted here: a migration cannot read
the secrets key file (it lives outside the database). They are sealed on first read by
``ncen.accounts.totp`` and ``exchange.services.hitcheck`` (see docs/threat-model.md).

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-07
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "sign_in_failures",
        sa.Column("scope", sa.String(length=16), nullable=False),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("first_failed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_failed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("scope", "key", name=op.f("pk_sign_in_failures")),
    )
    op.create_index(
        op.f("ix_sign_in_failures_last_failed_at"),
        "sign_in_failures",
        ["last_failed_at"],
    )
    op.add_column("users", sa.Column("totp_last_step", sa.BigInteger(), nullable=True))
    op.add_column("users", sa.Column("totp_pending_secret", sa.String(length=200), nullable=True))
    op.alter_column(
        "users",
        "totp_secret",
        type_=sa.String(length=200),
        existing_type=sa.String(length=64),
        existing_nullable=True,
    )


def downgrade() -> None:
    # Sealed secrets do not fit the old column and cannot be opened here (no key): the second
    # factor of every account is removed, and users enrol again after a downgrade.
    op.execute("UPDATE users SET totp_secret = NULL WHERE length(totp_secret) > 64")
    op.alter_column(
        "users",
        "totp_secret",
        type_=sa.String(length=64),
        existing_type=sa.String(length=200),
        existing_nullable=True,
    )
    op.drop_column("users", "totp_pending_secret")
    op.drop_column("users", "totp_last_step")
    op.drop_index(op.f("ix_sign_in_failures_last_failed_at"), table_name="sign_in_failures")
    op.drop_table("sign_in_failures")

"""Create ``audit_queue``: the outbox of audit events that the web server's sessions append
without the chain lock, and that one chainer moves into ``audit_events`` (issue 12, item 2).

Same content columns as ``audit_events``, no hashes and no indexes but the primary key: rows
stay a fraction of a second. The application role gets SELECT, INSERT and DELETE on it (not
UPDATE: `ncen.dbroles.QUEUE_TABLES`), granted after the upgrade.

Revision ID: 0035
Revises: 0029
Create Date: 2026-12-07
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0035"
down_revision: str | None = "0031"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Create the table."""
    op.create_table(
        "audit_queue",
        sa.Column("id", sa.BigInteger(), autoincrement=True, nullable=False),
        sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor_id", sa.Uuid(), nullable=True),
        sa.Column("actor_name", sa.String(64), nullable=False),
        sa.Column("action", sa.String(64), nullable=False),
        sa.Column("record_type", sa.String(32), nullable=True),
        sa.Column("record_id", sa.String(64), nullable=True),
        sa.Column("details", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_queue")),
    )


def downgrade() -> None:
    """Chain what is still queued (so no event is lost), then drop the table."""
    # Run as the owner, in the migration's transaction: the same chaining as the chainer's.
    from sqlalchemy.orm import Session

    from ncen.audit.queue import chain_queued

    session = Session(bind=op.get_bind())
    while chain_queued(session):
        pass
    session.flush()
    op.drop_table("audit_queue")

"""Queue the upload wizard's big runs: they run in the serving process, not in a request.

Adds ``import_uploads.queued`` (the run's options), ``queued_at`` (indexed: the runner takes
the oldest) and ``failure`` (why a queued run stopped without a result), and the table
``import_progress`` that the runner writes while a run's transaction holds the upload's row.

Revision ID: 0032
Revises: 0038
Create Date: 2026-12-07
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0032"
down_revision: str | None = "0038"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "import_uploads",
        sa.Column("queued", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
    )
    op.add_column(
        "import_uploads", sa.Column("queued_at", sa.DateTime(timezone=True), nullable=True)
    )
    op.add_column("import_uploads", sa.Column("failure", sa.Text(), nullable=True))
    op.create_index(op.f("ix_import_uploads_queued_at"), "import_uploads", ["queued_at"])
    op.create_table(
        "import_progress",
        sa.Column("upload_id", sa.Uuid(), nullable=False),
        sa.Column("rows_done", sa.Integer(), nullable=False),
        sa.Column("rows_total", sa.Integer(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("upload_id", name=op.f("pk_import_progress")),
    )


def downgrade() -> None:
    op.drop_table("import_progress")
    op.drop_index(op.f("ix_import_uploads_queued_at"), table_name="import_uploads")
    op.drop_column("import_uploads", "failure")
    op.drop_column("import_uploads", "queued_at")
    op.drop_column("import_uploads", "queued")

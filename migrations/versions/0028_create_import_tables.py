"""Spreadsheet import: ``source``/``source_id`` on seizures, uploads and saved mappings.

Re-importing a spreadsheet of cases must update the seizures it created rather than add
twins (`ncen.imports`): seizures get the same ``source``/``source_id`` pair as persons,
companies and conveyances (migration 0025), unique where an id is given. All four get
``source_digest``, the digest of the data the last import gave the record, so that a row
imported again unchanged is recognised without rewriting the record. The upload wizard
keeps each uploaded file with its mapping and result (``import_uploads``), and each user's
saved mappings (``import_mappings``).

Revision ID: 0028
Revises: 0027
Create Date: 2026-12-07
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0028"
down_revision: str | None = "0027"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


DIGESTED = ("persons", "companies", "conveyances", "seizures")


def upgrade() -> None:
    """Add the seizure source columns, the import digests, and create the two tables."""
    for table in DIGESTED:
        op.add_column(table, sa.Column("source_digest", sa.String(64), nullable=True))
    op.add_column("seizures", sa.Column("source", sa.String(64), nullable=True))
    op.add_column("seizures", sa.Column("source_id", sa.String(128), nullable=True))
    op.create_check_constraint(
        op.f("ck_seizures_source_id_needs_source"),
        "seizures",
        "source_id IS NULL OR source IS NOT NULL",
    )
    op.create_index(
        "uq_seizures_source_source_id",
        "seizures",
        ["source", "source_id"],
        unique=True,
        postgresql_where=sa.text("source_id IS NOT NULL"),
    )
    op.create_table(
        "import_uploads",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("owner_id", sa.Uuid(), nullable=False),
        sa.Column("filename", sa.String(255), nullable=False),
        sa.Column("record_type", sa.String(16), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("mapping", sa.Text(), nullable=True),
        sa.Column("result", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
        sa.Column("report_csv", sa.Text(), nullable=True),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["owner_id"],
            ["users.id"],
            name=op.f("fk_import_uploads_owner_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_import_uploads")),
    )
    op.create_index(op.f("ix_import_uploads_owner_id"), "import_uploads", ["owner_id"])
    op.create_table(
        "import_mappings",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("owner_id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("record_type", sa.String(16), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column(
            "updated_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.ForeignKeyConstraint(
            ["owner_id"],
            ["users.id"],
            name=op.f("fk_import_mappings_owner_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_import_mappings")),
        sa.UniqueConstraint("owner_id", "name", name=op.f("uq_import_mappings_owner_id_name")),
    )
    op.create_index(op.f("ix_import_mappings_owner_id"), "import_mappings", ["owner_id"])


def downgrade() -> None:
    """Drop them again (uploads, saved mappings and the sources of seizures are lost)."""
    op.drop_index(op.f("ix_import_mappings_owner_id"), table_name="import_mappings")
    op.drop_table("import_mappings")
    op.drop_index(op.f("ix_import_uploads_owner_id"), table_name="import_uploads")
    op.drop_table("import_uploads")
    op.drop_index("uq_seizures_source_source_id", table_name="seizures")
    op.drop_constraint(op.f("ck_seizures_source_id_needs_source"), "seizures", type_="check")
    op.drop_column("seizures", "source_id")
    op.drop_column("seizures", "source")
    for table in reversed(DIGESTED):
        op.drop_column(table, "source_digest")

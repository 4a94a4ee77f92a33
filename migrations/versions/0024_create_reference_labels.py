"""Labels of the reference codes in languages other than English, seeded in French and Russian.

``reference_labels`` holds one row per (list, code, language): the built-in codes get their
French and Russian labels from `ncen.reference.translations`; codes administrators add get
theirs from the reference-list page. English stays the ``label`` column of each list. The
reference-stamp trigger of migration 0020 covers the new table, so a changed translation is
seen at the next request of every server process, like any other reference change.

Revision ID: 0024
Revises: 0023
Create Date: 2026-12-07
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from ncen.reference.translations import seed_rows

revision: str = "0024"
down_revision: str | None = "0023"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Create the table, seed the built-in translations, hook the reference stamp."""
    table = op.create_table(
        "reference_labels",
        sa.Column("list_name", sa.String(length=40), nullable=False),
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("locale", sa.String(length=3), nullable=False),
        sa.Column("label", sa.Text(), nullable=False),
        sa.CheckConstraint("label <> ''", name=op.f("ck_reference_labels_label_not_empty")),
        sa.CheckConstraint(
            "locale ~ '^[a-z]{2,3}$' AND locale <> 'en'",
            name=op.f("ck_reference_labels_locale_code"),
        ),
        sa.PrimaryKeyConstraint("list_name", "code", "locale", name=op.f("pk_reference_labels")),
    )
    op.bulk_insert(table, seed_rows())
    op.execute(
        "CREATE TRIGGER reference_labels_reference_stamp AFTER INSERT OR UPDATE OR DELETE OR "
        "TRUNCATE ON reference_labels FOR EACH STATEMENT EXECUTE FUNCTION reference_stamp_bump()"
    )


def downgrade() -> None:
    """Drop the table (and its trigger with it)."""
    op.drop_table("reference_labels")

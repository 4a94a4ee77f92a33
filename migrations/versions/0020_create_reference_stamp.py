"""A stamp that changes with every change to the reference code lists, so that each server
process can keep the lists in memory and still see an administrator's change at its next request.

One row (``id = 1``) holds a random ``stamp``. A statement-level trigger on every reference table
replaces it (with the time of the change) after any INSERT, UPDATE, DELETE or TRUNCATE, in the
changing transaction: readers see the new stamp exactly when they can see the new codes. A random
value rather than a counter, because a rolled-back change must never hand a later, different
change the same stamp (a counter would go back and repeat).

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-07
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0020"
down_revision: str | None = "0019"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Every reference table (ncen.reference.models), listed here because a migration must not depend
# on the models of later code.
REFERENCE_TABLES = (
    "countries",
    "currencies",
    "enforcement_areas",
    "commodity_groups",
    "detection_methods",
    "detection_techniques",
    "concealment_methods",
    "transport_modes",
    "location_types",
    "person_roles",
    "company_roles",
    "conveyance_roles",
    "person_company_roles",
    "quantity_units",
    "hs_sections",
    "hs_chapters",
    "hs_subheadings",
    "un_locodes",
    "customs_offices",
)


def upgrade() -> None:
    op.create_table(
        "reference_stamp",
        sa.Column("id", sa.SmallInteger(), server_default="1", nullable=False),
        sa.Column("stamp", sa.Uuid(), server_default=sa.text("gen_random_uuid()"), nullable=False),
        sa.Column(
            "changed_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.CheckConstraint("id = 1", name=op.f("ck_reference_stamp_one_row")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reference_stamp")),
    )
    op.execute("INSERT INTO reference_stamp (id) VALUES (1)")
    op.execute(
        """
CREATE FUNCTION reference_stamp_bump() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE reference_stamp SET stamp = gen_random_uuid(), changed_at = clock_timestamp()
    WHERE id = 1;
    RETURN NULL;
END $$
"""
    )
    for table in REFERENCE_TABLES:
        op.execute(
            f"CREATE TRIGGER {table}_reference_stamp AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE "
            f"ON {table} FOR EACH STATEMENT EXECUTE FUNCTION reference_stamp_bump()"
        )


def downgrade() -> None:
    for table in REFERENCE_TABLES:
        op.execute(f"DROP TRIGGER {table}_reference_stamp ON {table}")
    op.execute("DROP FUNCTION reference_stamp_bump()")
    op.drop_table("reference_stamp")

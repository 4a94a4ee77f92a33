"""Add the address keys the entity graph compares addresses on, with their indexes.

``person_addresses.address_key`` and ``companies.address_key`` are stored generated columns:
the letters and digits of the address line and city in lower case, then ``|`` and the country.
Two records at the same address share the key whatever the punctuation and case, and the
B-tree index makes "who else lives here" an equality lookup (`ncen.analysis.edges`). The
other graph lookups already have their indexes (link tables by record and by seizure,
``identity_documents.number_norm``, ``person_contacts.value_norm``,
``conveyance_identifiers.value``).

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-07
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Copies of ncen.persons.models.PERSON_ADDRESS_KEY and ncen.companies.models.COMPANY_ADDRESS_KEY
# as they were at this revision (a migration never changes with the models).
PERSON_ADDRESS_KEY = (
    "lower(regexp_replace(line || ' ' || coalesce(city, ''), '[^[:alnum:]]+', '', 'g'))"
    " || '|' || coalesce(country, '')"
)
COMPANY_ADDRESS_KEY = (
    "lower(regexp_replace(address_line || ' ' || coalesce(address_city, ''), "
    "'[^[:alnum:]]+', '', 'g')) || '|' || coalesce(address_country, '')"
)


def upgrade() -> None:
    for table, expression in (
        ("person_addresses", PERSON_ADDRESS_KEY),
        ("companies", COMPANY_ADDRESS_KEY),
    ):
        op.add_column(
            table,
            sa.Column(
                "address_key", sa.Text(), sa.Computed(expression, persisted=True), nullable=True
            ),
        )
        op.create_index(op.f(f"ix_{table}_address_key"), table, ["address_key"], unique=False)


def downgrade() -> None:
    for table in ("companies", "person_addresses"):
        op.drop_index(op.f(f"ix_{table}_address_key"), table_name=table)
        op.drop_column(table, "address_key")

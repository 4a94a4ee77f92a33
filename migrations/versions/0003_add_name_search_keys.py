"""Add the search index: name keys with GIN indexes, the term vocabulary, and full text.

- ``person_names`` and ``company_names`` get ``search_text``, ``search_terms`` and
  ``phonetic_codes`` (the last two behind GIN indexes), computed in Python by
  `ncen.search.keys`; rows that already exist are backfilled here in batches before the
  columns become NOT NULL and the indexes are built (building an index once is faster than
  maintaining it row by row).
- ``name_terms``: the vocabulary of every stored term, trigram indexed, for typo lookups.
- The ``ncen_search`` text search configuration ('simple' plus unaccent) and a generated
  ``search_vector`` column with a GIN index on ``seizures`` and ``seizure_items``.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-29
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

NAME_TABLES = ("person_names", "company_names")
FULL_TEXT = {
    "seizures": "to_tsvector('ncen_search'::regconfig, coalesce(narrative, '') || ' ' || "
    "coalesce(concealment_description, '') || ' ' || coalesce(place, ''))",
    "seizure_items": "to_tsvector('ncen_search'::regconfig, coalesce(description, '') || ' ' || "
    "coalesce(brand, ''))",
}


def upgrade() -> None:
    from ncen.search.index import backfill_name_keys

    op.execute("CREATE TEXT SEARCH CONFIGURATION ncen_search (COPY = simple)")
    op.execute(
        "ALTER TEXT SEARCH CONFIGURATION ncen_search ALTER MAPPING FOR "
        "hword, hword_part, word WITH unaccent, simple"
    )
    op.create_table(
        "name_terms",
        sa.Column("term", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("term", name=op.f("pk_name_terms")),
    )
    for table in NAME_TABLES:
        op.add_column(table, sa.Column("search_text", sa.Text(), nullable=True))
        op.add_column(table, sa.Column("search_terms", postgresql.ARRAY(sa.Text()), nullable=True))
        op.add_column(
            table, sa.Column("phonetic_codes", postgresql.ARRAY(sa.Text()), nullable=True)
        )
    backfill_name_keys(op.get_bind())
    for table in NAME_TABLES:
        for column in ("search_text", "search_terms", "phonetic_codes"):
            op.alter_column(table, column, nullable=False)
        op.create_index(f"ix_{table}_search_terms", table, ["search_terms"], postgresql_using="gin")
        op.create_index(
            f"ix_{table}_phonetic_codes", table, ["phonetic_codes"], postgresql_using="gin"
        )
    op.create_index(
        "ix_name_terms_term_trgm",
        "name_terms",
        ["term"],
        postgresql_using="gin",
        postgresql_ops={"term": "gin_trgm_ops"},
    )
    for table, expression in FULL_TEXT.items():
        op.add_column(
            table,
            sa.Column(
                "search_vector",
                postgresql.TSVECTOR(),
                sa.Computed(expression, persisted=True),
                nullable=True,
            ),
        )
        op.create_index(
            f"ix_{table}_search_vector", table, ["search_vector"], postgresql_using="gin"
        )


def downgrade() -> None:
    for table in FULL_TEXT:
        op.drop_index(f"ix_{table}_search_vector", table_name=table)
        op.drop_column(table, "search_vector")
    op.drop_index("ix_name_terms_term_trgm", table_name="name_terms")
    for table in NAME_TABLES:
        op.drop_index(f"ix_{table}_phonetic_codes", table_name=table)
        op.drop_index(f"ix_{table}_search_terms", table_name=table)
        for column in ("phonetic_codes", "search_terms", "search_text"):
            op.drop_column(table, column)
    op.drop_table("name_terms")
    op.execute("DROP TEXT SEARCH CONFIGURATION ncen_search")

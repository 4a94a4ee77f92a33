"""Bulk loading of generated rows with PostgreSQL COPY, in batches, inside one transaction.

COPY is the fastest way into PostgreSQL (no per-row statement round trips). Rows are generated
and copied in batches so memory stays bounded whatever the size of the load; all batches go into
one transaction, so an interrupted load leaves nothing behind.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import psycopg

from ncen.search.index import add_terms_sql

# Tables in foreign-key order, with the columns the generators fill (in tuple order).
COLUMNS: Mapping[str, Sequence[str]] = {
    "persons": (
        "id",
        "version",
        "gender",
        "birth_year",
        "birth_month",
        "birth_day",
        "birth_country",
        "created_at",
        "updated_at",
    ),
    "person_names": (
        "id",
        "person_id",
        "position",
        "kind",
        "full_name",
        "given_names",
        "family_name",
        "patronymic",
        "script",
        "search_text",
        "search_terms",
        "phonetic_codes",
    ),
    "person_nationalities": ("person_id", "country"),
    "identity_documents": (
        "id",
        "person_id",
        "doc_type",
        "number",
        "number_norm",
        "issuing_country",
        "expires_on",
    ),
    "companies": (
        "id",
        "version",
        "country",
        "registration_number",
        "registration_number_norm",
        "aeo_status",
        "created_at",
        "updated_at",
    ),
    "company_names": (
        "id",
        "company_id",
        "position",
        "kind",
        "name",
        "script",
        "search_text",
        "search_terms",
        "phonetic_codes",
    ),
    "person_companies": ("id", "person_id", "company_id", "role"),
    "conveyances": ("id", "version", "kind", "name", "flag", "created_at", "updated_at"),
    "conveyance_identifiers": ("id", "conveyance_id", "kind", "value", "country"),
    "seizures": (
        "id",
        "version",
        "reference",
        "occurred_at",
        "office_code",
        "place",
        "location_type",
        "direction",
        "transport_mode",
        "detection_method",
        "detection_technique",
        "departure_country",
        "destination_country",
        "narrative",
        "status",
        "source_reliability",
        "information_grade",
        "created_at",
        "updated_at",
    ),
    "seizure_items": (
        "id",
        "seizure_id",
        "position",
        "commodity_group",
        "hs_code",
        "description",
        "quantity",
        "unit",
        "estimated_value",
        "currency",
    ),
    "seizure_transit_countries": ("seizure_id", "position", "country"),
    "seizure_concealments": ("seizure_id", "method"),
    "seizure_persons": ("id", "seizure_id", "person_id", "role"),
    "seizure_companies": ("id", "seizure_id", "company_id", "role"),
    "seizure_conveyances": ("id", "seizure_id", "conveyance_id", "role"),
    "record_versions": (
        "record_type",
        "record_id",
        "version",
        "kind",
        "changed_at",
        "changed_by_name",
        "changes",
        "snapshot",
    ),
}


def empty_rows(columns: Mapping[str, Sequence[str]] = COLUMNS) -> dict[str, list[tuple[Any, ...]]]:
    """A fresh batch: one empty row list per table of ``columns``."""
    return {table: [] for table in columns}


# Tables whose rows carry name search terms, which also go into the vocabulary.
NAME_TABLES = ("person_names", "company_names")


def _batch_terms(
    rows: dict[str, list[tuple[Any, ...]]], columns: Mapping[str, Sequence[str]]
) -> list[str]:
    terms: set[str] = set()
    for table in NAME_TABLES:
        position = columns[table].index("search_terms")
        for row in rows[table]:
            terms.update(row[position])
    return sorted(terms)


def copy_rows(
    conn: psycopg.Connection[Any],
    rows: dict[str, list[tuple[Any, ...]]],
    columns: Mapping[str, Sequence[str]] = COLUMNS,
) -> int:
    """COPY every non-empty table of the batch, in foreign-key order; empty the batch.

    ``columns`` says which columns each table's tuples fill (`COLUMNS` for the generated
    background, `ncen.demo.rings.PLANTED_COLUMNS` for the planted networks). Also adds the
    batch's name search terms to the vocabulary (``name_terms``). Returns the number of rows
    written. Runs in the connection's current transaction.
    """
    written = 0
    terms = _batch_terms(rows, columns)
    with conn.cursor() as cur:
        if terms:
            cur.execute(add_terms_sql(), [terms])
        for table, table_columns in columns.items():
            batch = rows[table]
            if not batch:
                continue
            statement = f"COPY {table} ({', '.join(table_columns)}) FROM STDIN"
            with cur.copy(statement) as copy:
                for row in batch:
                    copy.write_row(row)
            written += len(batch)
            batch.clear()
    return written

"""Statistics of a large selection of seizures straight from the base tables.

When a page's filters select too many seizures for the per-seizure facts (tens of thousands of
keyed lookups of about 22 rows each, per panel) and no rollup answers them (two filters or
more), the planner in `ncen.analysis.statistics` reads the base tables instead, the way a node
without rollups would, but with the filters evaluated once: the selected ids (found through
the facts' index) drive every panel, so a panel is one join of the selection with the one base
table it needs (seizures, items, transit countries, concealments, linked persons).

The rules are those of the facts (`ncen.analysis.rollups`): deleted seizures and deleted
linked persons never count, a multi-valued or item dimension counts a seizure once per value,
item dimensions sum their own items' quantities and the others their seizure's whole
quantity, per unit family in its base unit. The tests compare both paths on the same data.
"""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session

from ncen.analysis.dimensions import TIME_FORMATS

# The selected live seizures, with the columns the seizure-level dimensions read.
_SELECTED = """
WITH s AS MATERIALIZED (
  SELECT id, (occurred_at AT TIME ZONE 'UTC')::date AS day, origin_node, office_code,
         transport_mode, detection_method, departure_country, destination_country
  FROM unnest(CAST(:sel AS uuid[])) AS x (id) JOIN seizures USING (id)
  WHERE deleted_at IS NULL
)
"""
# Seizure-level dimensions: an expression on s (NULL: no value).
_COLUMNS = {
    "total": "''",
    "office": "s.office_code",
    "transport": "s.transport_mode",
    "detection": "s.detection_method",
    "departure": "s.departure_country",
    "destination": "s.destination_country",
    "provenance": "CASE WHEN s.origin_node IS NULL THEN 'national' ELSE 'received' END",
    "month": "to_char(s.day, 'YYYY-MM')",
    "year": "to_char(s.day, 'YYYY')",
}
assert set(TIME_FORMATS) <= set(_COLUMNS)
# Multi-valued and item dimensions: (seizure_id, value) pairs, each pair once.
_PAIRS = {
    "transit": "SELECT DISTINCT t.seizure_id, t.country AS value"
    " FROM seizure_transit_countries t JOIN s ON s.id = t.seizure_id",
    "concealment": "SELECT DISTINCT c.seizure_id, c.method AS value"
    " FROM seizure_concealments c JOIN s ON s.id = c.seizure_id",
    "route": "SELECT seizure_id, value FROM (SELECT id AS seizure_id, departure_country AS value"
    " FROM s UNION SELECT id, destination_country FROM s UNION SELECT t.seizure_id, t.country"
    " FROM seizure_transit_countries t JOIN s ON s.id = t.seizure_id) r"
    " WHERE value IS NOT NULL",
    "nationality": "SELECT DISTINCT sp.seizure_id, n.country AS value FROM seizure_persons sp"
    " JOIN s ON s.id = sp.seizure_id JOIN persons p ON p.id = sp.person_id"
    " AND p.deleted_at IS NULL JOIN person_nationalities n ON n.person_id = p.id",
    "commodity": "SELECT DISTINCT i.seizure_id, i.commodity_group AS value"
    " FROM seizure_items i JOIN s ON s.id = i.seizure_id",
    "hs_chapter": "SELECT DISTINCT i.seizure_id, left(i.hs_code, 2) AS value"
    " FROM seizure_items i JOIN s ON s.id = i.seizure_id WHERE i.hs_code IS NOT NULL",
}
_ITEM_KEYS = {"commodity": "i.commodity_group", "hs_chapter": "left(i.hs_code, 2)"}
# Converted item quantities of the selection (rows without a family or amount do not count).
_QUANTITIES = """
SELECT {key} AS value, u.family, sum(i.quantity * u.factor) AS amount
FROM seizure_items i JOIN s ON s.id = i.seizure_id JOIN quantity_units u ON u.code = i.unit
WHERE u.family IS NOT NULL AND i.quantity * u.factor IS NOT NULL {extra}
GROUP BY 1, 2
"""


def _source(alias: str, dimension: str) -> tuple[str, str, str]:
    """(FROM item, value expression, condition) of ``dimension`` under ``alias``; a
    seizure-level one reads s itself (alias ``s``)."""
    if dimension in _COLUMNS:
        expression = _COLUMNS[dimension]
        return "", expression, f"{expression} IS NOT NULL"
    return f"JOIN ({_PAIRS[dimension]}) {alias} ON {alias}.seizure_id = s.id", f"{alias}.value", ""


def _where(*conditions: str) -> str:
    kept = [c for c in conditions if c]
    return (" WHERE " + " AND ".join(kept)) if kept else ""


def base_table_statistics(
    session: Session, selection: list[uuid.UUID], by: tuple[str, ...], max_rows: int
) -> tuple[list[tuple[Any, ...]], list[tuple[str, str, Decimal]]]:
    """(count rows (values..., n), quantity rows (value, family, amount)) of the seizures
    ``selection`` by ``by`` (whitelisted names from `ncen.analysis.filters.parse_by`); at most
    ``max_rows`` count rows, largest first; quantities for one dimension only. Pure read."""
    params: dict[str, Any] = {"sel": selection, "max_rows": max_rows}
    join_a, value_a, where_a = _source("a", by[0])
    if len(by) == 2:
        join_b, value_b, where_b = _source("b", by[1])
        counts_sql = (
            f"{_SELECTED} SELECT {value_a}, {value_b}, count(*) AS n"  # noqa: S608 - fixed
            f" FROM s {join_a} {join_b}"
            f"{_where(where_a, where_b)} GROUP BY 1, 2 ORDER BY n DESC, 1, 2 LIMIT :max_rows"
        )
    else:
        counts_sql = (
            f"{_SELECTED} SELECT {value_a}, count(*) AS n"  # noqa: S608 - fixed fragments
            f" FROM s {join_a}{_where(where_a)}"
            " GROUP BY 1 ORDER BY n DESC, 1 LIMIT :max_rows"
        )
    counts = [tuple(r) for r in session.execute(text(counts_sql), params).all()]
    if len(by) == 2:
        return counts, []
    if by[0] in _ITEM_KEYS:
        key = _ITEM_KEYS[by[0]]
        extra = "AND i.hs_code IS NOT NULL" if by[0] == "hs_chapter" else ""
        qty_sql = _SELECTED + _QUANTITIES.format(key=key, extra=extra)
    else:
        per_seizure = _QUANTITIES.format(key="i.seizure_id", extra="")
        qty_sql = (
            f"{_SELECTED}, q AS ({per_seizure})"  # noqa: S608 - fixed fragments
            f" SELECT {value_a}, q.family, sum(q.amount)"
            f" FROM s {join_a} JOIN q ON q.value = s.id{_where(where_a)} GROUP BY 1, 2"
        )
    quantities = [(r[0], r[1], r[2]) for r in session.execute(text(qty_sql), params)]
    return counts, quantities

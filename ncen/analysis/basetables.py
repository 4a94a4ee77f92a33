"""Statistics of a large selection of seizures straight from the base tables.

When a page's filters select too many seizures for the per-seizure facts (tens of thousands of
keyed lookups of about 22 rows each, per panel) and no rollup answers them (two filters or
more), the planner in `ncen.analysis.statistics` reads the base tables instead, the way a node
without rollups would, but with the filters evaluated once: the selected ids (found through
the facts' index) drive every panel, so a panel is one join of the selection with the base
tables it needs (seizures, items, transit countries, concealments, linked persons).

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

# The selected seizures, unnested afresh wherever a query reads them: PostgreSQL then knows
# how many there are (the array is a constant when the statement is planned). A materialised
# CTE of them joined in several places was planned as nested loops over CTE scans (a 1,000-
# seizure selection took 760 ms for six panels, ten times the naive queries).
_X = "unnest(CAST(:sel AS uuid[])) AS x (id)"
_SEIZURES = f"{_X} JOIN seizures s ON s.id = x.id AND s.deleted_at IS NULL"
# Seizure-level dimensions: an expression on seizures s (NULL: no value).
_COLUMNS = {
    "total": "''",
    "office": "s.office_code",
    "transport": "s.transport_mode",
    "detection": "s.detection_method",
    "departure": "s.departure_country",
    "destination": "s.destination_country",
    "provenance": "CASE WHEN s.origin_node IS NULL THEN 'national' ELSE 'received' END",
    "month": "to_char((s.occurred_at AT TIME ZONE 'UTC')::date, 'YYYY-MM')",
    "year": "to_char((s.occurred_at AT TIME ZONE 'UTC')::date, 'YYYY')",
}
assert set(TIME_FORMATS) <= set(_COLUMNS)
# Multi-valued and item dimensions: (seizure_id, value) pairs, each pair once. The selection
# holds live seizures only (it comes from the facts just refreshed).
_PAIRS = {
    "transit": "SELECT DISTINCT t.seizure_id, t.country AS value FROM {x}"
    " JOIN seizure_transit_countries t ON t.seizure_id = x.id",
    "concealment": "SELECT DISTINCT c.seizure_id, c.method AS value FROM {x}"
    " JOIN seizure_concealments c ON c.seizure_id = x.id",
    "route": "SELECT DISTINCT seizure_id, value FROM ("
    "SELECT s.id AS seizure_id, s.departure_country AS value FROM {seizures}"
    " UNION ALL SELECT s.id, s.destination_country FROM {seizures}"
    " UNION ALL SELECT t.seizure_id, t.country FROM {x}"
    " JOIN seizure_transit_countries t ON t.seizure_id = x.id) r WHERE value IS NOT NULL",
    "nationality": "SELECT DISTINCT sp.seizure_id, n.country AS value FROM {x}"
    " JOIN seizure_persons sp ON sp.seizure_id = x.id JOIN persons p ON p.id = sp.person_id"
    " AND p.deleted_at IS NULL JOIN person_nationalities n ON n.person_id = p.id",
    "commodity": "SELECT DISTINCT i.seizure_id, i.commodity_group AS value FROM {x}"
    " JOIN seizure_items i ON i.seizure_id = x.id",
    "hs_chapter": "SELECT DISTINCT i.seizure_id, left(i.hs_code, 2) AS value FROM {x}"
    " JOIN seizure_items i ON i.seizure_id = x.id WHERE i.hs_code IS NOT NULL",
}
_PAIRS = {
    name: sql.replace("{x}", _X).replace("{seizures}", _SEIZURES) for name, sql in _PAIRS.items()
}
_ITEM_KEYS = {"commodity": "i.commodity_group", "hs_chapter": "left(i.hs_code, 2)"}
# Converted item quantities of the selection (rows without a family or amount do not count).
_QUANTITIES = """
SELECT {key} AS value, u.family, sum(i.quantity * u.factor) AS amount
FROM {x} JOIN seizure_items i ON i.seizure_id = x.id
JOIN quantity_units u ON u.code = i.unit
WHERE u.family IS NOT NULL AND i.quantity * u.factor IS NOT NULL {extra}
GROUP BY 1, 2
""".replace("{x}", _X)


def _values(dimension: str) -> str:
    """(seizure_id, value) of ``dimension`` for the selection, each pair once."""
    if dimension in _COLUMNS:
        expression = _COLUMNS[dimension]
        return (
            f"SELECT s.id AS seizure_id, {expression} AS value"  # noqa: S608 - fixed
            f" FROM {_SEIZURES} WHERE {expression} IS NOT NULL"
        )
    return _PAIRS[dimension]


def base_table_statistics(
    session: Session, selection: list[uuid.UUID], by: tuple[str, ...], max_rows: int
) -> tuple[list[tuple[Any, ...]], list[tuple[str, str, Decimal]]]:
    """(count rows (values..., n), quantity rows (value, family, amount)) of the seizures
    ``selection`` by ``by`` (whitelisted names from `ncen.analysis.filters.parse_by`); at most
    ``max_rows`` count rows, largest first; quantities for one dimension only. Pure read."""
    params: dict[str, Any] = {"sel": selection, "max_rows": max_rows}
    if len(by) == 2 and by[0] in _COLUMNS and by[1] in _COLUMNS:  # one scan of the seizures
        a, b = _COLUMNS[by[0]], _COLUMNS[by[1]]
        counts_sql = (
            f"SELECT {a}, {b}, count(*) AS n FROM {_SEIZURES}"  # noqa: S608 - fixed fragments
            f" WHERE {a} IS NOT NULL AND {b} IS NOT NULL"
            " GROUP BY 1, 2 ORDER BY n DESC, 1, 2 LIMIT :max_rows"
        )
    elif len(by) == 2:
        counts_sql = (
            f"SELECT a.value, b.value, count(*) AS n FROM ({_values(by[0])}) a"  # noqa: S608
            f" JOIN ({_values(by[1])}) b ON b.seizure_id = a.seizure_id"
            " GROUP BY 1, 2 ORDER BY n DESC, 1, 2 LIMIT :max_rows"
        )
    else:
        counts_sql = (
            f"SELECT value, count(*) AS n FROM ({_values(by[0])}) a"  # noqa: S608 - fixed
            " GROUP BY 1 ORDER BY n DESC, 1 LIMIT :max_rows"
        )
    counts = [tuple(r) for r in session.execute(text(counts_sql), params).all()]
    if len(by) == 2:
        return counts, []
    if by[0] in _ITEM_KEYS:
        extra = "AND i.hs_code IS NOT NULL" if by[0] == "hs_chapter" else ""
        qty_sql = _QUANTITIES.format(key=_ITEM_KEYS[by[0]], extra=extra)
    else:
        per_seizure = _QUANTITIES.format(key="i.seizure_id", extra="")
        qty_sql = (
            f"SELECT a.value, q.family, sum(q.amount) FROM ({_values(by[0])}) a"  # noqa: S608
            f" JOIN ({per_seizure}) q ON q.value = a.seizure_id GROUP BY 1, 2"
        )
    quantities = [(r[0], r[1], r[2]) for r in session.execute(text(qty_sql), params)]
    return counts, quantities


# The page's panels of the selection in one statement (the per-panel queries above read the
# selection's rows of seizures and items once per panel, and their quantities a second time:
# three times the naive queries' work). Rows: (dimension, value, measure, amount) like the
# monthly rollup's, with the month panel as dimension ``month``.
_PAGE = """
WITH x AS MATERIALIZED (SELECT DISTINCT unnest(CAST(:sel AS uuid[])) AS id),
s AS MATERIALIZED (
  SELECT s.id, to_char((s.occurred_at AT TIME ZONE 'UTC')::date, 'YYYY-MM') AS month,
         s.transport_mode, s.departure_country, s.destination_country
  FROM x JOIN seizures s ON s.id = x.id AND s.deleted_at IS NULL
),
items AS MATERIALIZED (
  SELECT i.seizure_id, i.commodity_group, u.family, i.quantity * u.factor AS amount
  FROM x JOIN seizure_items i ON i.seizure_id = x.id
  LEFT JOIN quantity_units u ON u.code = i.unit
),
q AS MATERIALIZED (
  SELECT seizure_id, family, sum(amount) AS amount FROM items
  WHERE family IS NOT NULL AND amount IS NOT NULL GROUP BY 1, 2
),
v (seizure_id, dimension, value) AS MATERIALIZED (
  SELECT id, 'month', month FROM s
  UNION ALL SELECT id, 'transport', transport_mode FROM s WHERE transport_mode IS NOT NULL
  UNION ALL SELECT id, 'flow', departure_country || '>' || destination_country FROM s
            WHERE departure_country IS NOT NULL AND destination_country IS NOT NULL
  UNION ALL SELECT DISTINCT seizure_id, 'route', country FROM (
              SELECT id AS seizure_id, departure_country AS country FROM s
              UNION ALL SELECT id, destination_country FROM s
              UNION ALL SELECT t.seizure_id, t.country FROM x
                        JOIN seizure_transit_countries t ON t.seizure_id = x.id
            ) r WHERE country IS NOT NULL
  UNION ALL SELECT DISTINCT c.seizure_id, 'concealment', c.method FROM x
            JOIN seizure_concealments c ON c.seizure_id = x.id
  UNION ALL SELECT DISTINCT seizure_id, 'commodity', commodity_group FROM items
)
SELECT dimension, value, '' AS measure, count(*)::numeric FROM v GROUP BY 1, 2
UNION ALL
SELECT v.dimension, v.value, q.family, sum(q.amount) FROM v JOIN q ON q.seizure_id = v.seizure_id
WHERE v.dimension IN ('month', 'transport', 'route', 'concealment') GROUP BY 1, 2, 3
UNION ALL
SELECT 'commodity', commodity_group, family, sum(amount) FROM items
WHERE family IS NOT NULL AND amount IS NOT NULL GROUP BY 1, 2, 3
"""
# The panels `page_statistics` answers: by -> its dimension there.
PAGE_PANELS = {
    ("commodity",): "commodity",
    ("month",): "month",
    ("departure", "destination"): "flow",
    ("route",): "route",
    ("transport",): "transport",
    ("concealment",): "concealment",
}


def page_statistics(
    session: Session, selection: list[uuid.UUID]
) -> list[tuple[str, str, str, Decimal]]:
    """(dimension, value, measure, amount) of the panels `PAGE_PANELS` for the seizures
    ``selection``, in one statement: counts (measure ``''``) and quantities per unit family,
    by the rules of the module docstring. Pure read."""
    rows = session.execute(text(_PAGE), {"sel": selection}).all()
    return [(r[0], r[1], r[2], r[3]) for r in rows]

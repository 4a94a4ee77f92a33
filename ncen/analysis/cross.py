"""The per-filter rollup: the page's panels for the seizures having one filter-bar value.

`ncen.analysis.models.StatCross` holds, for each value of each dimension of
`CROSS_FILTERS` (a commodity group, a route country, an office, a transport mode), what the
monthly rollup holds for the panel dimensions `CROSS_PANELS`, but counting only the seizures
having that value. A page filtered by one of them (and by whole months or a provenance, which
are keys of the table) then sums a few hundred rows instead of reading every matching
seizure's facts. A seizure contributes one row per (filter fact, panel fact): about 100 at the
demo's shape, which is what a change costs to apply.

`apply_to_cross` and `rebuild_cross` are called by `ncen.analysis.rollups` only, in its
transaction and under its lock; they derive everything from ``stat_facts`` (the same rows as
the monthly rollup: item dimensions with their own quantities, the others with their seizure's
total quantity, the pair ``flow`` with counts only), so both rollups agree by construction.
`read_rollup` reads one panel from it or from the monthly rollup. Not audited: no nominal
data.
"""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session

from ncen.analysis.dimensions import CROSS_FILTERS, CROSS_PANELS, ITEM_DIMENSIONS


def _in(names: tuple[str, ...]) -> str:
    # Names from the fixed tuples of ncen.analysis.dimensions only (never user input).
    return "(" + ", ".join(f"'{n}'" for n in names) + ")"


# Panels whose quantities are their seizure's total (not item-level, not the pair, not total).
_WITH_TOTAL_QUANTITY = tuple(
    d for d in CROSS_PANELS if d not in ITEM_DIMENSIONS and d not in {"total", "flow"}
)
_PANELS, _FILTERS, _TOTALLED = _in(CROSS_PANELS), _in(CROSS_FILTERS), _in(_WITH_TOTAL_QUANTITY)


def per_seizure_facts(source: str) -> str:
    """CTEs ``b`` (the facts of ``source``: the batch's, or the whole table) and ``w``: each
    fact row with its seizure's total quantities (``q_measures``, ``q_amounts``) and filter
    facts (``f_dims``, ``f_values``) as arrays, gathered by a window over the seizure.

    Why windows and not joins: a fact is paired only with facts of its own seizure, and a
    window does that in one sort whatever the planner believes. As self-joins of stat_facts or
    of a CTE, the pairing's plan depended on statistics that, right after a bulk load, describe
    an empty table: a hash join over every seizure's facts for each batch of 5,000, or a
    nested loop over the batch squared (a 20,000-seizure refresh took minutes)."""
    quantity = "b.dimension = 'total' AND b.value = '' AND b.measure <> ''"
    filters = f"b.measure = '' AND b.dimension IN {_FILTERS}"
    return (
        f"b AS MATERIALIZED ({source}),"  # noqa: S608 - fixed fragments
        " w AS (SELECT b.*,"
        f" array_agg(b.measure) FILTER (WHERE {quantity}) OVER s AS q_measures,"
        f" array_agg(b.amount) FILTER (WHERE {quantity}) OVER s AS q_amounts,"
        f" array_agg(b.dimension::text) FILTER (WHERE {filters}) OVER s AS f_dims,"
        f" array_agg(b.value::text) FILTER (WHERE {filters}) OVER s AS f_values"
        " FROM b WINDOW s AS (PARTITION BY b.seizure_id))"
    )


BATCH = (
    "SELECT f.* FROM unnest(CAST(:ids AS uuid[])) AS i (id)"
    " JOIN stat_facts f ON f.seizure_id = i.id"
)
# Each panel row of a seizure (item and total rows with their own quantities, the others with
# every total quantity of their seizure), once per filter fact of the seizure.
_CONTRIBUTIONS = f"""
, p AS (
  SELECT dimension, value, measure, day, is_foreign, amount, f_dims, f_values
  FROM w WHERE dimension IN {_PANELS}
  UNION ALL
  SELECT w.dimension, w.value, q.measure, w.day, w.is_foreign, q.amount, w.f_dims, w.f_values
  FROM w CROSS JOIN LATERAL unnest(w.q_measures, w.q_amounts) AS q (measure, amount)
  WHERE w.measure = '' AND w.dimension IN {_TOTALLED}
)
INSERT INTO stat_cross (filter_dim, filter_value, dimension, value, measure, month, is_foreign,
                        amount)
SELECT f.dim, f.val, p.dimension, p.value, p.measure, date_trunc('month', p.day)::date,
       p.is_foreign, sum(p.amount) {{sign}}
FROM p CROSS JOIN LATERAL unnest(p.f_dims, p.f_values) AS f (dim, val)
GROUP BY 1, 2, 3, 4, 5, 6, 7
"""  # noqa: S608 - fixed fragments and whitelisted names; values are bind parameters
_APPLY = (
    "WITH "
    + per_seizure_facts(BATCH)
    + _CONTRIBUTIONS.format(sign="* :sign")
    # The sorted insert takes row locks in one order in every refresher (no deadlock).
    + " ORDER BY 1, 2, 3, 4, 5, 6, 7"
    " ON CONFLICT (filter_dim, filter_value, dimension, value, measure, month, is_foreign)"
    " DO UPDATE SET amount = stat_cross.amount + EXCLUDED.amount"
)
_ALL = "WITH " + per_seizure_facts("SELECT * FROM stat_facts") + _CONTRIBUTIONS.format(sign="")  # noqa: S608


def apply_to_cross(session: Session, ids: list[uuid.UUID], sign: int) -> None:
    """Add (``sign`` 1) or subtract (-1) the current facts of the seizures ``ids`` to the
    per-filter rollup. Writes stat_cross; the caller holds the refresh lock."""
    session.execute(text(_APPLY), {"ids": ids, "sign": sign})


def rebuild_cross(session: Session) -> None:
    """Fill the (emptied) per-filter rollup from the whole facts table, set-based."""
    # About 100 pairs per seizure grouped into far fewer rows: hashing them took 17 s at 20,000
    # seizures where the planner's sort took 44 s (it overestimates the groups).
    previous = session.execute(text("SELECT current_setting('enable_sort')")).scalar_one()
    session.execute(text("SELECT set_config('enable_sort', 'off', true)"))
    session.execute(text(_ALL))
    session.execute(text("SELECT set_config('enable_sort', :v, true)"), {"v": previous})


def read_rollup(
    session: Session,
    facet: tuple[str, str] | None,
    dimension: str,
    time_format: str | None,
    *,
    months: tuple[date | None, date | None],
    is_foreign: bool | None,
) -> list[tuple[str, str, Decimal]]:
    """(value, measure, amount) of ``dimension`` summed over the months ``months`` (first
    days of whole months, None: open) and the provenance ``is_foreign`` (None: both), from the
    per-filter rollup of ``facet`` or, without one, the monthly rollup. With ``time_format``
    (YYYY-MM or YYYY) the value is the month formatted so (a time panel, read from
    ``total``). Rows may carry amount 0 (every seizure of a value changed). Pure read."""
    params: dict[str, Any] = {"dimension": dimension, "fmt": time_format}
    where = " WHERE dimension = :dimension"
    table = "stat_rollup"
    if facet is not None:
        table = "stat_cross"
        where += " AND filter_dim = :fd AND filter_value = :fv"
        params["fd"], params["fv"] = facet
    if months[0]:
        where += " AND month >= :date_from"
        params["date_from"] = months[0]
    if months[1]:
        where += " AND month <= :date_to"
        params["date_to"] = months[1]
    if is_foreign is not None:
        where += " AND is_foreign = :is_foreign"
        params["is_foreign"] = is_foreign
    key = "to_char(month, :fmt)" if time_format else "value"
    rows = session.execute(
        text(f"SELECT {key}, measure, sum(amount) FROM {table}{where} GROUP BY 1, 2"),  # noqa: S608
        params,
    ).all()
    return [(r[0], r[1], r[2]) for r in rows]

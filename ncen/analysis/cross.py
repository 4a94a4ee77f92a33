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

# The sources are the facts of the unnested :ids (an incremental refresh: keyed lookups) or
# the whole table (a rebuild: hash joins).
_CONTRIBUTIONS = f"""
SELECT f.dimension, f.value, p.dimension, p.value, p.measure, p.month, p.is_foreign,
       sum(p.amount) {{sign}}
FROM (
  SELECT a.seizure_id, a.dimension, a.value, a.measure,
         date_trunc('month', a.day)::date AS month, a.is_foreign, a.amount
  FROM {{source_a}}
  WHERE a.dimension IN {_PANELS}
  UNION ALL
  SELECT c.seizure_id, c.dimension, c.value, q.measure, date_trunc('month', c.day)::date,
         c.is_foreign, q.amount
  FROM {{source_q}}
  JOIN stat_facts c ON c.seizure_id = q.seizure_id AND c.measure = ''
    AND c.dimension IN {_TOTALLED}
  WHERE q.dimension = 'total' AND q.value = '' AND q.measure <> ''
) p
JOIN stat_facts f ON f.seizure_id = p.seizure_id AND f.measure = ''
  AND f.dimension IN {_FILTERS}
GROUP BY 1, 2, 3, 4, 5, 6, 7
"""  # noqa: S608 - fixed fragments and whitelisted names; values are bind parameters
_INSERT = (
    "INSERT INTO stat_cross (filter_dim, filter_value, dimension, value, measure, month,"
    " is_foreign, amount) "
)
_UNNEST = "unnest(CAST(:ids AS uuid[])) AS i (id) JOIN stat_facts {0} ON {0}.seizure_id = i.id"
_APPLY = (
    _INSERT
    + _CONTRIBUTIONS.format(
        sign="* :sign", source_a=_UNNEST.format("a"), source_q=_UNNEST.format("q")
    )
    # The sorted insert takes row locks in one order in every refresher (no deadlock).
    + " ORDER BY 1, 2, 3, 4, 5, 6, 7"
    " ON CONFLICT (filter_dim, filter_value, dimension, value, measure, month, is_foreign)"
    " DO UPDATE SET amount = stat_cross.amount + EXCLUDED.amount"
)
_ALL = _INSERT + _CONTRIBUTIONS.format(sign="", source_a="stat_facts a", source_q="stat_facts q")


def apply_to_cross(session: Session, ids: list[uuid.UUID], sign: int) -> None:
    """Add (``sign`` 1) or subtract (-1) the current facts of the seizures ``ids`` to the
    per-filter rollup. Writes stat_cross; the caller holds the refresh lock."""
    session.execute(text(_APPLY), {"ids": ids, "sign": sign})


def rebuild_cross(session: Session) -> None:
    """Fill the (emptied) per-filter rollup from the whole facts table, set-based."""
    session.execute(text(_ALL))


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

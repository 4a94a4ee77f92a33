"""Seizure statistics: counts and converted quantities by one dimension, or counts by two.

`tabulate` answers one panel of the statistics page (and ``ncen stats seizures``). It reads:

- the monthly rollup (`ncen.analysis.models.StatRollup`) when the panel has one dimension and
  the only filters are whole months and provenance: a sum over one row per month and value;
- the per-seizure facts otherwise (other filters, or a cross-tabulation of two dimensions):
  "seizures having every filter value" is an index lookup per filter, then a GROUP BY.

Both are kept exact by `ncen.analysis.rollups`; the caller refreshes first. Counts are of
distinct live seizures per value; for multi-valued and item dimensions a seizure counts once
per value (`ncen.analysis.dimensions`). Quantities are sums per unit family in its base unit:
of the items having the value for item dimensions, of the whole seizures otherwise. Each row
carries its drill-down (`ncen.analysis.filters.drill_down`). Not audited: no nominal data.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session

from ncen.accounts.actor import Actor
from ncen.analysis.dimensions import DIMENSIONS, ITEM_DIMENSIONS, TIME_FORMATS
from ncen.analysis.filters import StatsFilters, drill_down
from ncen.policy import Action, require
from ncen.seizures.queries import SeizureFilters

# A cross-tabulation of two large dimensions (countries x countries) is cut to the largest cells.
MAX_ROWS = 5000


@dataclass
class StatRow:
    """One number (or one cell of a cross-tabulation) and the seizures behind it."""

    values: tuple[str, ...]
    seizures: int
    quantities: dict[str, Decimal] = field(default_factory=dict)
    drill: SeizureFilters | None = None


@dataclass
class StatTable:
    """A panel: its dimensions, rows, the unit families present, and how it was computed."""

    by: tuple[str, ...]
    filters: StatsFilters
    rows: list[StatRow]
    total: int  # distinct seizures matching the filters (a multi-valued column may add up more)
    families: list[str]
    source: str  # "rollup" or "facts"
    truncated: bool = False


def _month_aligned(filters: StatsFilters) -> bool:
    """True when the date range is made of whole months (the rollup's grain)."""
    start, end = filters.date_from, filters.date_to
    if start and start.day != 1:
        return False
    return not end or (end + timedelta(days=1)).day == 1


def _rollup_provenance(filters: StatsFilters) -> tuple[bool, bool | None]:
    """(usable, is_foreign): the rollup answers filters made only of whole months and one
    provenance value."""
    others = [f for f in filters.facets if f[0] != "provenance"]
    provenance = {v for d, v in filters.facets if d == "provenance"}
    if others or len(provenance) > 1 or not _month_aligned(filters):
        return False, None
    return True, (provenance.pop() == "received") if provenance else None


def _day_conditions(filters: StatsFilters, params: dict[str, Any], alias: str = "") -> list[str]:
    conditions = []
    if filters.date_from:
        conditions.append(f"{alias}day >= :date_from")
        params["date_from"] = filters.date_from
    if filters.date_to:
        conditions.append(f"{alias}day <= :date_to")
        params["date_to"] = filters.date_to
    return conditions


def _from_rollup(
    session: Session, filters: StatsFilters, dimension: str, is_foreign: bool | None
) -> tuple[list[tuple[str, str, Decimal]], int]:
    params: dict[str, Any] = {"dimension": dimension}
    conditions = []
    if filters.date_from:  # whole months (see `_month_aligned`): compare first days
        conditions.append("month >= :date_from")
        params["date_from"] = filters.date_from
    if filters.date_to:
        conditions.append("month <= :date_to")
        params["date_to"] = filters.date_to
    if is_foreign is not None:
        conditions.append("is_foreign = :is_foreign")
        params["is_foreign"] = is_foreign
    where = "".join(f" AND {c}" for c in conditions)
    if dimension in TIME_FORMATS:
        params["fmt"], params["dimension"] = TIME_FORMATS[dimension], "total"
        key = "to_char(month, :fmt)"
    else:
        key = "value"
    rows = session.execute(
        text(
            f"SELECT {key} AS v, measure, sum(amount) FROM stat_rollup"  # noqa: S608 - fixed
            f" WHERE dimension = :dimension{where} GROUP BY 1, 2"
        ),
        params,
    ).all()
    total = session.execute(
        text(
            "SELECT coalesce(sum(amount), 0) FROM stat_rollup"  # noqa: S608 - fixed fragments
            f" WHERE dimension = 'total' AND measure = ''{where}"
        ),
        params,
    ).scalar_one()
    return [(r[0], r[1], r[2]) for r in rows], int(total)


# The SQL below is assembled from fixed fragments and whitelisted dimension names only; every
# value (dates, facet codes, formats) is a bind parameter. Every fact row carries its seizure's
# day and provenance, so filters apply to the rows being grouped and no CTE is joined twice
# (a materialised CTE joined to itself ran as a quadratic nested loop).


def _conditions(alias: str, filters: StatsFilters, params: dict[str, Any]) -> str:
    """Filters on fact rows ``alias``: the date range and "its seizure has every facet"."""
    out = _day_conditions(filters, params, f"{alias}.")
    for i, (dimension, value) in enumerate(filters.facets):
        params[f"fd{i}"], params[f"fv{i}"] = dimension, value
        out.append(
            f"{alias}.seizure_id IN (SELECT seizure_id FROM stat_facts"  # noqa: S608
            f" WHERE dimension = :fd{i} AND value = :fv{i} AND measure = '')"
        )
    return "".join(f" AND {c}" for c in out)


def _side(alias: str, dimension: str, params: dict[str, Any]) -> tuple[str, str]:
    """(value expression, row condition) of the count rows of ``dimension`` as ``alias``."""
    if dimension in TIME_FORMATS:
        params[f"{alias}_fmt"] = TIME_FORMATS[dimension]
        expression = f"to_char({alias}.day, :{alias}_fmt)"
        params[f"{alias}_dim"] = "total"
    else:
        expression = f"{alias}.value"
        params[f"{alias}_dim"] = dimension
    return expression, f"{alias}.dimension = :{alias}_dim AND {alias}.measure = ''"


def select_seizures(session: Session, filters: StatsFilters) -> list[uuid.UUID] | None:
    """The ids of the seizures matching filters that have facets (None without facets: a date
    range alone is a condition on every fact row). Computed once, it serves every panel."""
    if not filters.facets:
        return None
    params: dict[str, Any] = {}
    sql = (
        "SELECT a.seizure_id FROM stat_facts a"  # noqa: S608
        " WHERE a.dimension = 'total' AND a.measure = ''" + _conditions("a", filters, params)
    )
    return list(session.scalars(text(sql), params))


def _from_facts(
    session: Session,
    filters: StatsFilters,
    by: tuple[str, ...],
    selection: list[uuid.UUID] | None,
) -> tuple[list[tuple[Any, ...]], list[tuple[str, str, Decimal]], int]:
    """(count rows (values..., n), quantity rows (value, family, amount), total)."""
    params: dict[str, Any] = {"max_rows": MAX_ROWS + 1}
    if selection is None:
        source, where = "stat_facts a", _conditions("a", filters, params)
    else:
        # The selected ids drive the query: one keyed lookup per seizure and dimension.
        params["sel"] = selection
        source = "unnest(CAST(:sel AS uuid[])) AS s (id) JOIN stat_facts a ON a.seizure_id = s.id"
        where = ""
    a_value, a_rows = _side("a", by[0], params)
    if len(by) == 2:
        b_value, b_rows = _side("b", by[1], params)
        counts_sql = (
            f"SELECT {a_value}, {b_value}, count(*) AS n FROM {source}"  # noqa: S608
            f" JOIN stat_facts b ON b.seizure_id = a.seizure_id AND {b_rows}"
            f" WHERE {a_rows}{where} GROUP BY 1, 2 ORDER BY n DESC, 1, 2 LIMIT :max_rows"
        )
    else:
        counts_sql = (
            f"SELECT {a_value}, count(*) AS n FROM {source}"  # noqa: S608
            f" WHERE {a_rows}{where} GROUP BY 1 ORDER BY n DESC, 1 LIMIT :max_rows"
        )
    counts = [tuple(r) for r in session.execute(text(counts_sql), params).all()]
    quantities: list[tuple[str, str, Decimal]] = []
    if len(by) == 1:
        if by[0] in ITEM_DIMENSIONS:
            qty_sql = (
                f"SELECT a.value, a.measure, sum(a.amount) FROM {source}"  # noqa: S608
                f" WHERE a.dimension = :a_dim AND a.measure <> ''{where} GROUP BY 1, 2"
            )
        else:
            qty_sql = (
                f"SELECT {a_value}, q.measure, sum(q.amount) FROM {source}"  # noqa: S608
                " JOIN stat_facts q ON q.seizure_id = a.seizure_id AND q.dimension = 'total'"
                f" AND q.value = '' AND q.measure <> '' WHERE {a_rows}{where} GROUP BY 1, 2"
            )
        quantities = [(r[0], r[1], r[2]) for r in session.execute(text(qty_sql), params)]
    if selection is not None:
        return counts, quantities, len(selection)
    total_params: dict[str, Any] = {}
    total_sql = (
        "SELECT count(*) FROM stat_facts a"  # noqa: S608
        " WHERE a.dimension = 'total' AND a.measure = ''" + _conditions("a", filters, total_params)
    )
    total = session.execute(text(total_sql), total_params).scalar_one()
    return counts, quantities, int(total)


def tabulate_panels(
    session: Session, actor: Actor, filters: StatsFilters, panels: list[tuple[str, ...]]
) -> list[StatTable]:
    """`tabulate` for several panels under the same filters, selecting the seizures once."""
    require(actor, Action.READ_STATISTICS)
    selection = None if _rollup_provenance(filters)[0] else select_seizures(session, filters)
    return [tabulate(session, actor, filters, by, selection=selection) for by in panels]


def tabulate(
    session: Session,
    actor: Actor,
    filters: StatsFilters,
    by: tuple[str, ...],
    *,
    selection: list[uuid.UUID] | None = None,
) -> StatTable:
    """Seizures matching ``filters`` counted by ``by`` (one dimension, with quantities, or two,
    counts only), largest first (time in order). ``by`` must come from
    `ncen.analysis.filters.parse_by`; ``selection``, if given, must be
    `select_seizures(session, filters)` of the same transaction. Raises
    `PermissionDeniedError` without READ_STATISTICS. Reads only; the caller should call
    `ncen.analysis.rollups.refresh_statistics` first.
    """
    require(actor, Action.READ_STATISTICS)
    usable, is_foreign = _rollup_provenance(filters)
    rows: dict[tuple[str, ...], StatRow] = {}
    families: set[str] = set()
    truncated = False
    if usable and len(by) == 1:
        source = "rollup"
        sums, total = _from_rollup(session, filters, by[0], is_foreign)
        for value, measure, amount in sums:
            row = rows.setdefault((value,), StatRow((value,), 0))
            if measure == "":
                row.seizures = int(amount)
            elif amount:
                row.quantities[measure] = amount
        rows = {k: r for k, r in rows.items() if r.seizures > 0}
    else:
        source = "facts"
        if selection is None:
            selection = select_seizures(session, filters)
        counts, quantities, total = _from_facts(session, filters, by, selection)
        truncated = len(counts) > MAX_ROWS
        for *values, n in counts[:MAX_ROWS]:
            key = tuple(str(v) for v in values)
            rows[key] = StatRow(key, int(n))
        for value, measure, amount in quantities:
            if (value,) in rows and amount:
                rows[(value,)].quantities[measure] = amount
    for row in rows.values():
        families.update(row.quantities)
        row.drill = drill_down(filters, by, row.values)
    ordered = sorted(rows.values(), key=lambda r: _sort_key(by, r))
    return StatTable(by, filters, ordered, total, sorted(families), source, truncated)


def _sort_key(by: tuple[str, ...], row: StatRow) -> tuple[Any, ...]:
    if by[0] in TIME_FORMATS:
        return (row.values, -row.seizures)
    return (-row.seizures, row.values)


def dimension_label(name: str) -> str:
    """The English label of a dimension (web translates its own)."""
    return DIMENSIONS[name].label

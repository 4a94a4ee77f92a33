"""Seizure statistics: counts and converted quantities by one dimension, or counts by two.

`tabulate` answers one panel of the statistics page (and ``ncen stats seizures``);
`tabulate_panels` answers the page's panels under one plan. The plan
(`ncen.analysis.planner`) picks, per panel, the cheapest exact source: the monthly rollup
(`ncen.analysis.models.StatRollup`, unfiltered or whole months and provenance; the route flow
is a pair dimension there), the per-filter rollup (`ncen.analysis.cross`, one filter-bar
value), the per-seizure facts (a small selection: keyed lookups), or the base tables (a large
selection: `ncen.analysis.basetables`).

All are kept exact by `ncen.analysis.rollups`; the caller refreshes first. Counts are of
distinct live seizures per value; for multi-valued and item dimensions a seizure counts once
per value (`ncen.analysis.dimensions`). Quantities are sums per unit family in its base unit:
of the items having the value for item dimensions, of the whole seizures otherwise. Each row
carries its drill-down (`ncen.analysis.filters.drill_down`). Not audited: no nominal data.
"""

from __future__ import annotations

import functools
import uuid
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session

from ncen.accounts.actor import Actor
from ncen.analysis.basetables import PAGE_PANELS, base_table_statistics, page_statistics
from ncen.analysis.cross import read_rollup
from ncen.analysis.dimensions import (
    DIMENSIONS,
    ITEM_DIMENSIONS,
    PAIR_SEPARATOR,
    PAIRS,
    TIME_FORMATS,
)
from ncen.analysis.filters import StatsFilters, drill_down
from ncen.analysis.planner import Plan, plan_statistics
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
    source: str  # the path of `ncen.analysis.planner.Plan.path`
    truncated: bool = False


def _day_conditions(filters: StatsFilters, params: dict[str, Any], alias: str = "") -> list[str]:
    conditions = []
    if filters.date_from:
        conditions.append(f"{alias}day >= :date_from")
        params["date_from"] = filters.date_from
    if filters.date_to:
        conditions.append(f"{alias}day <= :date_to")
        params["date_to"] = filters.date_to
    return conditions


# The SQL below is assembled from fixed fragments and whitelisted dimension names only; every
# value (dates, facet codes, formats) is a bind parameter. Every fact row carries its seizure's
# day and provenance, so filters apply to the rows being grouped and no CTE is joined twice
# (a materialised CTE joined to itself ran as a quadratic nested loop).


def _conditions(alias: str, filters: StatsFilters, params: dict[str, Any]) -> str:
    """Filters on fact rows ``alias`` without a selection: the date range only (facets are
    applied by selecting the seizures first, `ncen.analysis.planner.select_seizures`)."""
    assert not filters.facets
    return "".join(f" AND {c}" for c in _day_conditions(filters, params, f"{alias}."))


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
    pair = PAIRS.get((by[0], by[1])) if len(by) == 2 else None
    a_value, a_rows = _side("a", pair or by[0], params)
    if pair:  # one fact row per seizure holds both values
        counts_sql = (
            f"SELECT {a_value}, count(*) AS n FROM {source}"  # noqa: S608
            f" WHERE {a_rows}{where} GROUP BY 1 ORDER BY n DESC, 1 LIMIT :max_rows"
        )
    elif len(by) == 2:
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
    if pair:
        counts = [(*str(r[0]).split(PAIR_SEPARATOR, 1), r[1]) for r in counts]
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


def _from_rollups(
    session: Session, plan: Plan, by: tuple[str, ...]
) -> tuple[list[tuple[Any, ...]], list[tuple[str, str, Decimal]], int]:
    """(count rows, quantity rows, total) of ``by`` from the monthly or per-filter rollup."""
    dimension = plan.rollup_dimension(by)
    assert dimension is not None
    facet = None if plan.rollup else plan.cross
    read = functools.partial(read_rollup, session, facet, months=plan.months)
    sums = read(dimension, TIME_FORMATS.get(by[0]), is_foreign=plan.is_foreign)
    counts: list[tuple[Any, ...]] = []
    quantities: list[tuple[str, str, Decimal]] = []
    for value, measure, amount in sums:
        if measure == "" and amount > 0:  # a value whose every seizure changed stays at 0
            values = value.split(PAIR_SEPARATOR, 1) if len(by) == 2 else [value]
            counts.append((*values, int(amount)))
        elif measure and len(by) == 1:
            quantities.append((value, measure, amount))
    counts.sort(key=lambda r: (-r[-1], *r[:-1]))
    if "total" not in plan.memo:  # the same for every panel of the plan
        totals = read("total", None, is_foreign=plan.is_foreign)
        plan.memo["total"] = sum(int(amount) for _v, measure, amount in totals if measure == "")
    return counts, quantities, int(plan.memo["total"])


def _from_page(
    session: Session, plan: Plan, by: tuple[str, ...]
) -> tuple[list[tuple[Any, ...]], list[tuple[str, str, Decimal]]]:
    """(count rows, quantity rows) of a page panel from the selection's page statistics,
    computed once per plan (`ncen.analysis.basetables.page_statistics`)."""
    assert plan.selection is not None
    if "page" not in plan.memo:
        plan.memo["page"] = page_statistics(session, plan.selection)
    dimension = PAGE_PANELS[by]
    counts: list[tuple[Any, ...]] = []
    quantities: list[tuple[str, str, Decimal]] = []
    for name, value, measure, amount in plan.memo["page"]:
        if name != dimension:
            continue
        if measure == "":
            values = value.split(PAIR_SEPARATOR, 1) if len(by) == 2 else [value]
            counts.append((*values, int(amount)))
        elif len(by) == 1:
            quantities.append((value, measure, amount))
    counts.sort(key=lambda r: (-r[-1], *r[:-1]))
    return counts, quantities


def _compute(
    session: Session, plan: Plan, by: tuple[str, ...]
) -> tuple[list[tuple[Any, ...]], list[tuple[str, str, Decimal]], int, str]:
    """(count rows, quantity rows, total, source) of ``by`` under ``plan``; the partial
    months of a date range are added to its whole months' rollup rows."""
    source = plan.path(by)
    if source == "base tables":
        assert plan.selection is not None
        if by in PAGE_PANELS:
            counts, quantities = _from_page(session, plan, by)
        else:
            counts, quantities = base_table_statistics(session, plan.selection, by, MAX_ROWS + 1)
        return counts, quantities, len(plan.selection), source
    if source == "facts":
        return (*_from_facts(session, plan.filters, by, plan.selection), source)
    counts, quantities, total = _from_rollups(session, plan, by)
    if not plan.edges:
        return counts, quantities, total, source
    seizures: dict[tuple[Any, ...], int] = {tuple(r[:-1]): r[-1] for r in counts}
    amounts: dict[tuple[str, str], Decimal] = {(v, m): a for v, m, a in quantities}
    sources = {source}
    for edge in plan.edges:
        edge_counts, edge_quantities, edge_total, edge_source = _compute(session, edge, by)
        sources.add(edge_source)
        total += edge_total
        for *values, n in edge_counts:
            seizures[tuple(values)] = seizures.get(tuple(values), 0) + n
        for value, measure, amount in edge_quantities:
            amounts[(value, measure)] = amounts.get((value, measure), Decimal(0)) + amount
    merged = sorted(((*k, n) for k, n in seizures.items()), key=lambda r: (-r[-1], *r[:-1]))
    described = " + ".join([source, *sorted(sources - {source})])
    return merged, [(v, m, a) for (v, m), a in amounts.items()], total, described


def tabulate_panels(
    session: Session, actor: Actor, filters: StatsFilters, panels: list[tuple[str, ...]]
) -> list[StatTable]:
    """`tabulate` for several panels under the same filters and plan (the seizures, when a
    panel needs them, are selected once)."""
    require(actor, Action.READ_STATISTICS)
    plan = plan_statistics(session, filters, panels)
    return [tabulate(session, actor, filters, by, plan=plan) for by in panels]


def tabulate(
    session: Session,
    actor: Actor,
    filters: StatsFilters,
    by: tuple[str, ...],
    *,
    plan: Plan | None = None,
) -> StatTable:
    """Seizures matching ``filters`` counted by ``by`` (one dimension, with quantities, or two,
    counts only), largest first (time in order). ``by`` must come from
    `ncen.analysis.filters.parse_by`; ``plan``, if given, must be
    `ncen.analysis.planner.plan_statistics` of the same filters, in the same transaction, for
    panels including ``by``. Raises `PermissionDeniedError` without READ_STATISTICS. Reads
    only; the caller should call `ncen.analysis.rollups.refresh_statistics` first.
    """
    require(actor, Action.READ_STATISTICS)
    narrowed = filters.facets or filters.date_from or filters.date_to
    if plan is None or (plan.path(by) == "facts" and plan.selection is None and narrowed):
        plan = plan_statistics(session, filters, [by])
    counts, quantities, total, source = _compute(session, plan, by)
    truncated = len(counts) > MAX_ROWS
    rows: dict[tuple[str, ...], StatRow] = {}
    for *values, n in counts[:MAX_ROWS]:
        key = tuple(str(v) for v in values)
        rows[key] = StatRow(key, int(n))
    for value, measure, amount in quantities:
        if (value,) in rows and amount:
            rows[(value,)].quantities[measure] = amount
    families: set[str] = set()
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

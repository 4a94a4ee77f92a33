"""Which path answers a statistics panel, cheapest first, every one of them exact.

1. ``rollup``: the monthly rollup, when the only filters are whole months and at most one
   provenance; it answers one dimension, or a cross-tabulation kept as a pair dimension
   (`ncen.analysis.dimensions.PAIRS`: the route flow).
2. ``filter rollup``: the per-filter rollup (`ncen.analysis.cross`), when there is exactly one
   facet of a filter-bar dimension (besides whole months and one provenance) and the panel's
   dimension is one it keeps.
3. Otherwise the seizures are selected once, from the facts' count index
   (``ix_stat_facts_count_value``, index-only: one range per facet, intersected), and their
   number picks the path for every panel of the page:
   - ``facts``: keyed lookups of each selected seizure's facts (about 22 rows each, spread
     over the table), whose cost grows with the selection: 0.35 ms per seizure for six panels
     at 1,000,000 seizures (34 s for 95,000, benchmarks/results/statistics-1m.txt before this
     planner), 480 ms for 2,490 of 20,000;
   - ``base tables``: the page's panels in one statement joining the selection with the
     base tables (`ncen.analysis.basetables`; another panel: one such join), whose cost grows
     with the tables instead: 87 ms for the same 2,490 of 20,000, where the naive GROUP BYs
     took 141 ms (benchmarks/results/statistics-20k.txt). Facts stay cheaper only for
     selections of a few percent of the live seizures, hence `FACTS_SHARE`.

A date range that is not made of whole months is split: its whole months read the rollups,
and the partial months at either end (at most two, each under a month of seizures) are
planned on their own, usually as a small selection. Pure reads; not audited.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session

from ncen.analysis.dimensions import CROSS_FILTERS, CROSS_PANELS, PAIRS, TIME_FORMATS
from ncen.analysis.filters import StatsFilters
from ncen.seizures.facets import Facet

# A selection of at most this share of the live seizures reads the facts; a larger one the
# base tables (see the module docstring).
FACTS_SHARE = 0.02


@dataclass(frozen=True)
class Plan:
    """How the panels of one page under ``filters`` are read (see the module docstring).

    ``months`` is the part of the date range that the rollups answer (whole months; None
    when they answer nothing) and ``edges`` the plans of the partial months around it;
    ``selection`` holds the ids of the seizures matching ``filters`` when a panel needs them
    (None otherwise), ``live`` the number of live seizures then."""

    filters: StatsFilters
    is_foreign: bool | None
    rollup: bool
    cross: Facet | None
    selection: list[uuid.UUID] | None = None
    live: int = 0
    months: tuple[date | None, date | None] = (None, None)
    edges: tuple[Plan, ...] = ()
    # What the panels of the plan share, read once: the total, a large selection's panels.
    memo: dict[str, Any] = field(default_factory=dict, compare=False)

    def rollup_dimension(self, by: tuple[str, ...]) -> str | None:
        """The rollup dimension that answers ``by`` (``total`` for a time panel), or None."""
        if len(by) == 2:
            return PAIRS.get((by[0], by[1]))
        return "total" if by[0] in TIME_FORMATS else by[0]

    def path(self, by: tuple[str, ...]) -> str:
        """``rollup``, ``filter rollup``, ``facts`` or ``base tables`` for the panel ``by``
        (the first two plus `edges` for a date range that is not made of whole months)."""
        dimension = self.rollup_dimension(by)
        if dimension is not None and self.rollup:
            return "rollup"
        if dimension in CROSS_PANELS and self.cross is not None:
            return "filter rollup"
        if self.selection is not None and len(self.selection) > self.live * FACTS_SHARE:
            return "base tables"
        return "facts"


def month_aligned(filters: StatsFilters) -> bool:
    """True when the date range is made of whole months (the rollups' grain)."""
    start, end = filters.date_from, filters.date_to
    if start and start.day != 1:
        return False
    return not end or (end + timedelta(days=1)).day == 1


def split_months(filters: StatsFilters) -> tuple[StatsFilters, list[StatsFilters]] | None:
    """(the whole months of the date range, the partial months around them) with the same
    facets, or None when the range holds no whole month. Pure."""
    start, end = filters.date_from, filters.date_to
    first = start
    if start and start.day != 1:
        first = (start.replace(day=1) + timedelta(days=32)).replace(day=1)
    last = end
    if end and (end + timedelta(days=1)).day != 1:
        last = end.replace(day=1) - timedelta(days=1)
    if first and last and first > last:
        return None
    edges = []
    if start and first and first != start:
        edges.append(StatsFilters(start, first - timedelta(days=1), filters.facets))
    if end and last and last != end:
        edges.append(StatsFilters(last + timedelta(days=1), end, filters.facets))
    return StatsFilters(first, last, filters.facets), edges


def plan_statistics(session: Session, filters: StatsFilters, panels: list[tuple[str, ...]]) -> Plan:
    """The plan of ``panels`` under ``filters``; selects the seizures (one query) only when a
    panel needs them, and plans the partial months of the date range the same way. Pure
    read."""
    others = [f for f in filters.facets if f[0] != "provenance"]
    provenance = {v for d, v in filters.facets if d == "provenance"}
    is_foreign = (next(iter(provenance)) == "received") if provenance else None
    split = split_months(filters) if len(provenance) <= 1 and len(others) <= 1 else None
    rollup, cross = False, None
    months: tuple[date | None, date | None] = (None, None)
    edges: tuple[Plan, ...] = ()
    if split is not None:
        inner, around = split
        rollup = not others
        cross = others[0] if others and others[0][0] in CROSS_FILTERS else None
        end = inner.date_to.replace(day=1) if inner.date_to else None
        months = (inner.date_from, end)
    plan = Plan(filters, is_foreign, rollup, cross, months=months)
    if split is not None and any(plan.path(by) != "facts" for by in panels):
        edges = tuple(plan_statistics(session, edge, panels) for edge in around)
    plan = Plan(filters, is_foreign, rollup, cross, months=months, edges=edges)
    dated = filters.date_from or filters.date_to
    if not (filters.facets or dated) or all(plan.path(by) != "facts" for by in panels):
        return plan
    live = session.execute(
        text(
            "SELECT coalesce(sum(amount), 0) FROM stat_rollup"
            " WHERE dimension = 'total' AND measure = ''"
        )
    ).scalar_one()
    selection = select_seizures(session, filters)
    return Plan(filters, is_foreign, rollup, cross, selection, int(live), months, edges)


def select_seizures(session: Session, filters: StatsFilters) -> list[uuid.UUID]:
    """The ids of the live seizures in the date range having every facet: an index-only
    range of the count facts per facet (of the ``total`` facts without one), intersected.
    Pure read."""
    params: dict[str, Any] = {}
    parts = []
    for i, (dimension, value) in enumerate(filters.facets or (("total", ""),)):
        params[f"fd{i}"], params[f"fv{i}"] = dimension, value
        days = ""
        if filters.date_from:
            days += " AND day >= :date_from"
            params["date_from"] = filters.date_from
        if filters.date_to:
            days += " AND day <= :date_to"
            params["date_to"] = filters.date_to
        parts.append(
            "SELECT seizure_id FROM stat_facts"  # noqa: S608 - fixed fragments
            f" WHERE dimension = :fd{i} AND value = :fv{i} AND measure = ''{days}"
        )
    return list(session.scalars(text(" INTERSECT ".join(parts)), params))

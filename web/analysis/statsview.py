"""What the statistics page shows: its panels, the filters read from the query string, and
each table turned into rows with labels, formatted numbers and drill-down addresses.

The drill-down of a number is the seizure list (``seizures.index``) with the date range and the
facets of `ncen.analysis.filters.drill_down`, so the list shows exactly the seizures counted.
Countries carry their ISO 3166 numeric code (from pycountry, which publishes the standard) so
that the browser can match them to the world-atlas shapes, whose ids are numeric.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import pycountry
from flask import request, url_for
from flask_babel import lazy_gettext as _l

from ncen.analysis.dimensions import COUNTRY_DIMENSIONS, DIMENSIONS
from ncen.analysis.filters import StatsFilters, parse_by, parse_filters
from ncen.analysis.statistics import StatTable
from ncen.seizures.queries import SeizureFilters
from web.analysis.labels import DIMENSION_LABELS, value_label
from web.codes import code_label
from web.pagination import link_args

# Filter-bar fields that are shorthands for facets: query parameter -> dimension.
SHORTHANDS = {
    "commodity": "commodity",
    "country": "route",
    "office": "office",
    "transport": "transport",
    "provenance": "provenance",
}


@dataclass(frozen=True)
class Panel:
    """One chart with its table: an id, the dimensions, the kind of chart and a title."""

    key: str
    by: tuple[str, ...]
    chart: str  # bar, line, sankey, map or none
    title: object


PANELS = (
    Panel("commodity", ("commodity",), "bar", _l("Seizures by commodity group")),
    Panel("month", ("month",), "line", _l("Seizures per month")),
    Panel("flow", ("departure", "destination"), "sankey", _l("Routes: departure → destination")),
    Panel("map", ("route",), "map", _l("Countries on the route (departure, transit, destination)")),
    Panel("transport", ("transport",), "bar", _l("Seizures by transport mode")),
    Panel("concealment", ("concealment",), "bar", _l("Seizures by concealment method")),
)


@dataclass(frozen=True)
class Request:
    """The page's query: filters, the chosen cross-tabulation (if any), extra facets."""

    filters: StatsFilters
    crosstab: tuple[str, ...] | None
    hidden_facets: list[str]  # facets not shown as filter-bar fields (kept as hidden inputs)


def read_request() -> Request:
    """Read the query string. Raises `ValidationError` naming each bad parameter."""
    args = request.args
    raw_facets = list(args.getlist("facet"))
    shorthand = [f"{dim}:{args[name]}" for name, dim in SHORTHANDS.items() if args.get(name)]
    filters = parse_filters(args.get("date_from"), args.get("date_to"), raw_facets + shorthand)
    rows, cols = args.get("rows", ""), args.get("cols", "")
    crosstab = parse_by([rows, cols] if cols else [rows]) if rows else None
    return Request(filters, crosstab, raw_facets)


def list_url(drill: SeizureFilters) -> str:
    """The seizure list showing exactly the seizures of ``drill``."""
    params: dict[str, Any] = {"facet": [f"{d}:{v}" for d, v in drill.facets]}
    if drill.date_from:
        params["date_from"] = drill.date_from.isoformat()
    if drill.date_to:
        params["date_to"] = drill.date_to.isoformat()
    return url_for("seizures.index", **params)


def csv_url(by: tuple[str, ...]) -> str:
    """The CSV download of the table ``by`` under the current page's filters."""
    # Any: the type of url_for's **values (mypy would otherwise match them against its typed
    # _external, _anchor... options; no key here starts with _).
    args: dict[str, Any] = link_args()
    for name in ("by", "rows", "cols"):
        args.pop(name, None)
    return url_for("statistics.export_csv", by=",".join(by), **args)


def base_list_url(filters: StatsFilters) -> str:
    """The seizure list of every seizure the page counts."""
    return list_url(
        SeizureFilters(date_from=filters.date_from, date_to=filters.date_to, facets=filters.facets)
    )


def _numeric(alpha2: str) -> str:
    country = pycountry.countries.get(alpha_2=alpha2)
    return str(country.numeric) if country is not None else ""


@dataclass
class ShownRow:
    """One row of a table as the template shows it."""

    values: tuple[str, ...]
    labels: tuple[str, ...]
    seizures: int
    quantities: list[Decimal | None]
    url: str
    numeric: str = ""  # ISO numeric of the first value when it is a country


@dataclass
class ShownTable:
    """A table ready for the template (and the chart script, through data attributes)."""

    by: tuple[str, ...]
    headers: list[str]
    families: list[tuple[str, str]]  # (code, label of the base unit)
    rows: list[ShownRow]
    total: int
    total_url: str
    per_value: list[str] = field(default_factory=list)  # labels of multi-valued dimensions
    truncated: bool = False
    matrix: dict[str, Any] | None = None


def shown_table(table: StatTable) -> ShownTable:
    """Label, link and arrange ``table`` for the page."""
    families = [(f, code_label("quantity_units", f)) for f in table.families]
    rows = []
    for row in table.rows:
        labels = tuple(value_label(d, v) for d, v in zip(table.by, row.values, strict=True))
        first = table.by[0]
        rows.append(
            ShownRow(
                values=row.values,
                labels=labels,
                seizures=row.seizures,
                quantities=[row.quantities.get(code) for code, _label in families],
                url=list_url(row.drill) if row.drill else "",
                numeric=_numeric(row.values[0]) if first in COUNTRY_DIMENSIONS else "",
            )
        )
    shown = ShownTable(
        by=table.by,
        headers=[str(DIMENSION_LABELS[d]) for d in table.by],
        families=families,
        rows=rows,
        total=table.total,
        total_url=base_list_url(table.filters),
        per_value=[str(DIMENSION_LABELS[d]) for d in table.by if DIMENSIONS[d].counts_per_value],
        truncated=table.truncated,
    )
    if len(table.by) == 2:
        shown.matrix = _matrix(rows)
    return shown


def _matrix(rows: list[ShownRow]) -> dict[str, Any]:
    """A cross-tabulation as a grid: row and column values by total, cells by pair."""
    row_totals: dict[tuple[str, str], int] = {}
    col_totals: dict[tuple[str, str], int] = {}
    cells: dict[tuple[str, str], ShownRow] = {}
    for row in rows:
        a, b = (row.values[0], row.labels[0]), (row.values[1], row.labels[1])
        row_totals[a] = row_totals.get(a, 0) + row.seizures
        col_totals[b] = col_totals.get(b, 0) + row.seizures
        cells[(a[0], b[0])] = row
    return {
        "rows": sorted(row_totals, key=lambda k: (-row_totals[k], k)),
        "cols": sorted(col_totals, key=lambda k: (-col_totals[k], k)),
        "cells": cells,
    }

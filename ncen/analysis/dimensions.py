"""The dimensions statistics group seizures by, and how each reads from the facts.

A dimension has a name (used in URLs, the CLI and `ncen.analysis.models.StatFact.dimension`),
an English label, the code list its values come from (for labels), and a *level*:

- ``seizure``: one value per seizure (office, transport mode, departure country...);
- ``multi``: several values per seizure (transit countries, concealment methods, nationalities
  of linked persons, any route country). A seizure counts once **per value**, so a column of
  such a dimension may add up to more than the number of seizures;
- ``item``: values of the seizure's items (commodity group, HS chapter), also counted once per
  value; their quantities are those of the items with that value;
- ``time``: month or year of the seizure, derived from its day (UTC).

Every dimension except time can also be a filter ("seizures having this value"): the list of
seizures applies the same rule through `ncen.seizures.facets`, so a number and the list it
links to agree.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ncen.seizures.facets import FACET_DIMENSIONS


@dataclass(frozen=True)
class Dimension:
    """One way to group seizures."""

    name: str
    label: str
    level: str  # seizure, multi, item or time
    codes: str | None  # the code list of the values (for labels), None for time/provenance

    @property
    def counts_per_value(self) -> bool:
        """True when a seizure may count under several values of this dimension."""
        return self.level in {"multi", "item"}


_ALL = (
    Dimension("commodity", "Commodity group", "item", "commodity_groups"),
    Dimension("hs_chapter", "HS chapter", "item", "hs_chapters"),
    Dimension("month", "Month", "time", None),
    Dimension("year", "Year", "time", None),
    Dimension("office", "Customs office", "seizure", "customs_offices"),
    Dimension("transport", "Transport mode", "seizure", "transport_modes"),
    Dimension("detection", "Detection method", "seizure", "detection_methods"),
    Dimension("concealment", "Concealment method", "multi", "concealment_methods"),
    Dimension("departure", "Departure country", "seizure", "countries"),
    Dimension("transit", "Transit country", "multi", "countries"),
    Dimension("destination", "Destination country", "seizure", "countries"),
    Dimension("route", "Any country of the route", "multi", "countries"),
    Dimension("nationality", "Nationality of linked persons", "multi", "countries"),
    Dimension("provenance", "Provenance (national or received)", "seizure", None),
)
DIMENSIONS: dict[str, Dimension] = {d.name: d for d in _ALL}
# Dimensions whose facts keep their own quantities (the rest use their seizure's total).
ITEM_DIMENSIONS = tuple(d.name for d in _ALL if d.level == "item")
TIME_FORMATS = {"month": "YYYY-MM", "year": "YYYY"}
COUNTRY_DIMENSIONS = frozenset(d.name for d in _ALL if d.codes == "countries")

assert {d.name for d in _ALL if d.level != "time"} == set(FACET_DIMENSIONS), (
    "every non-time dimension must be a filter of the seizure list"
)

# Cross-tabulations kept as a dimension of their own in the facts and rollups: the pair of
# dimensions -> the pair dimension, whose value is the two values joined by `PAIR_SEPARATOR`
# (a code never holds it). The route flow (departure -> destination) is a panel of the page.
PAIRS: dict[tuple[str, str], str] = {("departure", "destination"): "flow"}
PAIR_SEPARATOR = ">"
# The filter-bar dimensions a user picks one at a time (commodity group, any route country,
# office, transport mode; provenance and whole months are keys of every rollup) and the
# dimensions of the page's panels: `ncen.analysis.models.StatCross` holds the second for each
# value of the first, so a page with one such filter reads a rollup. ``total`` gives the total
# and the month and year panels.
CROSS_FILTERS = ("commodity", "route", "office", "transport")
CROSS_PANELS = ("total", "commodity", "flow", "route", "transport", "concealment")

_MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
_YEAR = re.compile(r"^\d{4}$")


def time_value_pattern(name: str) -> re.Pattern[str]:
    """The shape of a value of the time dimension ``name`` (YYYY-MM or YYYY)."""
    return _MONTH if name == "month" else _YEAR

"""The filters of the statistics and the drill-down from a number to its seizures.

`StatsFilters` is what the filter bar, the CLI and the CSV export share: a date range (UTC days)
and facets (`ncen.seizures.facets`). `parse_filters` turns raw text into it, refusing bad input
with a `ValidationError` that names the field; `drill_down` gives, for one number, the filters
of the seizure list that shows exactly the seizures behind it.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date

from ncen.analysis.dimensions import DIMENSIONS, time_value_pattern
from ncen.errors import ValidationError
from ncen.seizures.facets import Facet, parse_facets
from ncen.seizures.queries import SeizureFilters
from ncen.validation import EARLIEST_DAY, LATEST_DAY, check_filter_texts

MAX_BY = 2


@dataclass(frozen=True)
class StatsFilters:
    """Seizures from ``date_from`` to ``date_to`` (inclusive, UTC days) having every facet."""

    date_from: date | None = None
    date_to: date | None = None
    facets: tuple[Facet, ...] = ()

    def describe(self) -> dict[str, str]:
        """The filters as text (for JSON output and CSV headers)."""
        out = {}
        if self.date_from:
            out["from"] = self.date_from.isoformat()
        if self.date_to:
            out["to"] = self.date_to.isoformat()
        if self.facets:
            out["facets"] = ",".join(f"{d}:{v}" for d, v in self.facets)
        return out


def _parse_day(raw: str | None, field: str, errors: dict[str, str]) -> date | None:
    if raw is None or not raw.strip():
        return None
    try:
        day = date.fromisoformat(raw.strip())
    except ValueError:
        errors[field] = "is not a date: write it as YYYY-MM-DD"
        return None
    if not EARLIEST_DAY <= day <= LATEST_DAY:
        errors[field] = f"is out of range: give a date between {EARLIEST_DAY} and {LATEST_DAY}"
        return None
    return day


def parse_filters(
    date_from: str | None, date_to: str | None, facets: list[str] | tuple[str, ...]
) -> StatsFilters:
    """Read the filters from text. Raises `ValidationError` naming each bad field. Pure."""
    check_filter_texts({"from": date_from, "to": date_to})
    for facet in facets:
        check_filter_texts({"facet": facet})
    errors: dict[str, str] = {}
    start = _parse_day(date_from, "from", errors)
    end = _parse_day(date_to, "to", errors)
    if start and end and start > end:
        errors["to"] = "is before the start date"
    parsed: tuple[Facet, ...] = ()
    try:
        parsed = parse_facets(list(facets))
    except ValidationError as exc:
        errors.update(exc.errors)
    if errors:
        raise ValidationError(errors)
    return StatsFilters(start, end, parsed)


def parse_by(raw: str | list[str] | tuple[str, ...]) -> tuple[str, ...]:
    """The dimensions to group by, from ``"commodity,month"`` or a list. Raises
    `ValidationError` (field ``by``) for none, an unknown or repeated one, or more than two."""
    names = raw.split(",") if isinstance(raw, str) else list(raw)
    names = [n.strip() for n in names if n.strip()]
    check_filter_texts({"by": ",".join(names)})
    if not names or len(names) > MAX_BY:
        raise ValidationError({"by": f"give one or {MAX_BY} dimensions, e.g. commodity,month"})
    for name in names:
        if name not in DIMENSIONS:
            shown = name[:40]
            raise ValidationError(
                {"by": f"{shown!r} is not a dimension; use one of {', '.join(DIMENSIONS)}"}
            )
    if len(set(names)) != len(names):
        raise ValidationError({"by": "give two different dimensions to cross-tabulate"})
    return tuple(names)


def _time_range(dimension: str, value: str) -> tuple[date, date]:
    match = time_value_pattern(dimension).fullmatch(value)
    if match is None:  # values come from the database; a bad one is a bug, not user input
        raise ValueError(f"bad {dimension} value {value!r}")
    year = int(value[:4])
    if dimension == "year":
        return date(year, 1, 1), date(year, 12, 31)
    month = int(value[5:7])
    return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])


def drill_down(
    filters: StatsFilters, by: tuple[str, ...], values: tuple[str, ...]
) -> SeizureFilters:
    """The seizure-list filters behind one number: the statistics filters, narrowed to the
    month or year of a time dimension and to the value of every other dimension. Pure."""
    start, end = filters.date_from, filters.date_to
    facets = list(filters.facets)
    for dimension, value in zip(by, values, strict=True):
        if DIMENSIONS[dimension].level == "time":
            first, last = _time_range(dimension, value)
            start = max(start, first) if start else first
            end = min(end, last) if end else last
        elif (dimension, value) not in facets:
            facets.append((dimension, value))
    return SeizureFilters(date_from=start, date_to=end, facets=tuple(facets))

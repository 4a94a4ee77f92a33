"""Turn the text of a spreadsheet cell into a date or a number, the way the mapping says.

Pure functions; each raises `CellError` with a message for the row report. Dates accept the
mapping's formats (``%d/%m/%Y``...), ISO dates, and Excel serial numbers (days since
1899-12-30, what a date column becomes when a sheet is saved as CSV without formatting). The
order of day and month in ambiguous dates (03/04/2020) follows ``day_first``; two-digit years
pivot at `TWO_DIGIT_PIVOT` years ahead of today. Placeholder dates that legacy systems store
for "unknown" (1900-01-01, 1899-12-31...) and dates in the future are refused, never stored as
if they were true. Numbers accept a decimal comma and thousands separators (spaces, dots,
apostrophes) as the mapping says.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import Any

# 25/01/68 is 1968 and 25/01/24 is 2024: a two-digit year at most this far ahead of this year
# belongs to this century (seizures and births are in the past).
TWO_DIGIT_PIVOT = 1
PLACEHOLDER_DATES = frozenset(
    {dt.date(1900, 1, 1), dt.date(1899, 12, 31), dt.date(1899, 12, 30), dt.date(1901, 1, 1)}
)
_EXCEL_EPOCH = dt.date(1899, 12, 30)
_SERIAL = re.compile(r"\d{4,5}(\.\d+)?")
_NUMERIC_DATE = re.compile(r"(\d{1,4})[./\-\s](\d{1,2})[./\-\s](\d{1,4})")
_MAX_DIGITS = 18


class CellError(ValueError):
    """The cell's text cannot be read as the mapping asks; the message says why."""


def parse_partial_date(text: str, **kwargs: Any) -> tuple[int, int | None, int | None]:
    """A birth date that may be partial: ``1980``, ``1980-06`` or any full date
    (`parse_date`); returns (year, month or None, day or None)."""
    stripped = text.strip()
    match = re.fullmatch(r"(\d{4})(?:-(\d{1,2}))?", stripped)
    if match:
        year, month = int(match.group(1)), match.group(2)
        if not 1800 < year <= dt.date.today().year or (month and not 1 <= int(month) <= 12):
            raise CellError(f"{text} is not a date")
        return year, int(month) if month else None, None
    value = parse_date(stripped, **kwargs)
    return value.year, value.month, value.day


def parse_date(
    text: str,
    formats: tuple[str, ...] = (),
    *,
    day_first: bool = True,
    today: dt.date | None = None,
) -> dt.date:
    """The date written in ``text``; raises `CellError` (unreadable, placeholder, future)."""
    today = today or dt.date.today()
    value = _read_date(text.strip(), formats, day_first, today)
    if value in PLACEHOLDER_DATES:
        raise CellError(f"{text} is a placeholder date for 'unknown': leave the cell empty")
    if value > today:
        raise CellError(f"{value.isoformat()} is in the future")
    return value


def parse_datetime(
    text: str, formats: tuple[str, ...] = (), *, day_first: bool = True
) -> dt.datetime:
    """A date with an optional ``HH:MM[:SS]`` time after it, as a naive datetime."""
    stripped = text.strip()
    if "T" in stripped or "+" in stripped[10:] or stripped.endswith("Z"):
        # ISO 8601 with a time and maybe an offset (the node's own exports write these).
        try:
            moment = dt.datetime.fromisoformat(stripped)
        except ValueError:
            pass
        else:
            if moment.tzinfo is not None:
                moment = moment.astimezone(dt.UTC).replace(tzinfo=None)
            parse_date(moment.date().isoformat())  # placeholder and future checks
            return moment
    time = dt.time()
    match = re.search(r"[ T](\d{1,2}):(\d{2})(?::(\d{2}))?$", stripped)
    if match and not _SERIAL.fullmatch(stripped):
        hour, minute, second = (int(g or 0) for g in match.groups())
        if hour > 23 or minute > 59 or second > 59:
            raise CellError(f"{text} has no valid time of day")
        time = dt.time(hour, minute, second)
        stripped = stripped[: match.start()]
    return dt.datetime.combine(parse_date(stripped, formats, day_first=day_first), time)


# A column of a big file repeats its dates (a million births fall on some 30,000 days), and
# strptime costs more than the rest of a row's reading: a pure function of its arguments
# (``today`` included) is read once per distinct text. Refusals raise, and are not cached.
@lru_cache(maxsize=65536)
def _read_date(  # noqa: PLR0912 - the ways a date is written, tried in order
    text: str, formats: tuple[str, ...], day_first: bool, today: dt.date
) -> dt.date:
    if not text:
        raise CellError("is empty")
    for fmt in formats:
        try:
            return _pivot(dt.datetime.strptime(text, fmt).date(), fmt, today)
        except ValueError:
            continue
    if _SERIAL.fullmatch(text):
        days = int(float(text))
        if days < 1:
            raise CellError(f"{text} is not a date")
        return _EXCEL_EPOCH + dt.timedelta(days=days)
    try:
        return dt.date.fromisoformat(text[:10])
    except ValueError:
        pass
    match = _NUMERIC_DATE.fullmatch(text)
    if match is None:
        hint = f" (expected {', '.join(formats)})" if formats else ""
        raise CellError(f"{text[:40]} is not a date{hint}")
    a, b, c = match.groups()
    if len(a) == 4:  # year first: 2020/04/03
        year, month, day = int(a), int(b), int(c)
    else:
        first, second = int(a), int(b)
        # An impossible month settles the order whatever the mapping says (25/12 vs 12/25).
        if first > 12 >= second:
            day, month = first, second
        elif second > 12 >= first:
            day, month = second, first
        else:
            day, month = (first, second) if day_first else (second, first)
        year = int(c)
        if len(c) <= 2:
            year = _century(year, today)
    try:
        return dt.date(year, month, day)
    except ValueError as exc:
        raise CellError(f"{text} is not a valid date ({exc})") from exc


def _century(year: int, today: dt.date) -> int:
    full = 2000 + year
    return full if full <= today.year + TWO_DIGIT_PIVOT else full - 100


def _pivot(value: dt.date, fmt: str, today: dt.date) -> dt.date:
    # strptime's %y pivots at 1969; ours pivots at this year, so 68 is 1968 and 25 is 2025.
    if "%y" in fmt:
        return value.replace(year=_century(value.year % 100, today))
    return value


def parse_decimal(text: str, decimal: str = ".", thousands: str = "") -> Decimal:
    """The number in ``text``. ``decimal`` is the decimal mark; ``thousands`` the grouping
    characters to drop (spaces, including no-break ones, are always dropped). Raises
    `CellError` for anything else, and for more than `_MAX_DIGITS` digits."""
    cleaned = "".join(text.split()).replace("\u202f", "").replace("\u00a0", "")
    for mark in thousands:
        if mark != decimal:
            cleaned = cleaned.replace(mark, "")
    if decimal != ".":
        if "." in cleaned and decimal not in cleaned and thousands == "":
            raise CellError(f"{text} uses '.' but the mapping says the decimal mark is {decimal}")
        cleaned = cleaned.replace(decimal, ".")
    if not re.fullmatch(r"[+-]?(\d+(\.\d*)?|\.\d+)", cleaned):
        raise CellError(f"{text[:40]} is not a number")
    if len(cleaned.replace(".", "").lstrip("+-0")) > _MAX_DIGITS:
        raise CellError(f"{text[:40]} has too many digits")
    try:
        return Decimal(cleaned)
    except InvalidOperation as exc:
        raise CellError(f"{text[:40]} is not a number") from exc

"""Dates and numbers as spreadsheets write them (`ncen.imports.values`)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from ncen.imports.values import CellError, parse_date, parse_datetime, parse_decimal

TODAY = dt.date(2026, 12, 7)


@pytest.mark.parametrize(
    ("text", "day_first", "expected"),
    [
        ("03/04/2020", True, dt.date(2020, 4, 3)),
        ("03/04/2020", False, dt.date(2020, 3, 4)),
        ("25/12/2020", False, dt.date(2020, 12, 25)),  # impossible month settles it
        ("12/25/2020", True, dt.date(2020, 12, 25)),
        ("03.02.21", True, dt.date(2021, 2, 3)),  # two-digit year: this century
        ("03.02.68", True, dt.date(1968, 2, 3)),  # ... or the last
        ("2020-04-03", True, dt.date(2020, 4, 3)),
        ("43831", True, dt.date(2020, 1, 1)),  # Excel serial date
    ],
)
def test_dates(text: str, day_first: bool, expected: dt.date) -> None:
    assert parse_date(text, day_first=day_first, today=TODAY) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("1900-01-01", "placeholder"),
        ("01.01.1900", "placeholder"),
        ("2030-01-01", "future"),
        ("31/02/2020", "not a valid date"),
        ("yesterday", "not a date"),
    ],
)
def test_bad_dates(text: str, message: str) -> None:
    with pytest.raises(CellError, match=message):
        parse_date(text, today=TODAY)


def test_formats_given_by_the_mapping() -> None:
    assert parse_date("05 Mar 2019", ("%d %b %Y",), today=TODAY) == dt.date(2019, 3, 5)


def test_datetimes() -> None:
    assert parse_datetime("03.02.2021 14:30") == dt.datetime(2021, 2, 3, 14, 30)
    assert parse_datetime("2021-02-03T14:30:00+02:00") == dt.datetime(2021, 2, 3, 12, 30)
    with pytest.raises(CellError, match="time"):
        parse_datetime("03.02.2021 25:30")


@pytest.mark.parametrize(
    ("text", "decimal", "thousands", "expected"),
    [
        ("1 234,5", ",", " ", Decimal("1234.5")),
        ("1.234,5", ",", ".", Decimal("1234.5")),
        ("1,234.5", ".", ",", Decimal("1234.5")),
        ("1\u00a0234", ".", "", Decimal(1234)),
        ("0,75", ",", "", Decimal("0.75")),
        ("-3", ".", "", Decimal(-3)),
    ],
)
def test_numbers(text: str, decimal: str, thousands: str, expected: Decimal) -> None:
    assert parse_decimal(text, decimal, thousands) == expected


@pytest.mark.parametrize("text", ["lots", "1e5", "1" * 30, "1,2,3", "NaN"])
def test_bad_numbers(text: str) -> None:
    with pytest.raises(CellError):
        parse_decimal(text, ".", "")


def test_a_date_read_before_is_checked_again_against_another_day() -> None:
    """Dates are read once per distinct text (a cache): the future and placeholder checks
    still run on every call, against the ``today`` given, and refusals are never cached."""
    assert parse_date("06.12.2026", ("%d.%m.%Y",), today=TODAY) == dt.date(2026, 12, 6)
    with pytest.raises(CellError, match="future"):
        parse_date("06.12.2026", ("%d.%m.%Y",), today=dt.date(2026, 12, 5))
    for _ in range(2):
        with pytest.raises(CellError, match="placeholder"):
            parse_date("01.01.1900", ("%d.%m.%Y",), today=TODAY)
        with pytest.raises(CellError):
            parse_date("31.02.2020", ("%d.%m.%Y",), today=TODAY)
    # 2-digit years pivot on the day given: the same text read on another day may change.
    assert parse_date("25/01/27", ("%d/%m/%y",), today=dt.date(2025, 6, 1)) == dt.date(1927, 1, 25)
    assert parse_date("25/01/27", ("%d/%m/%y",), today=dt.date(2027, 6, 1)) == dt.date(2027, 1, 25)

"""Plausibility checks for the dates of a seizure record.

A moment of seizure must be timezone-aware, not in the future (allowing a few minutes of clock
skew) and not before 1950; a partial date (year, year and month, or full date, as for a date of
birth only partly known) must be a real calendar date between 1900 and today. Both raise
`InvalidIdentifierError` with a message an officer can act on.
"""

from __future__ import annotations

import calendar
from datetime import UTC, date, datetime, timedelta
from typing import Final

from ncen.errors import InvalidIdentifierError, Message

# Officers' laptops and phones drift; a seizure entered "now" must not bounce because the
# client clock runs a minute ahead of the server.
_CLOCK_SKEW: Final = timedelta(minutes=5)
_EARLIEST_SEIZURE: Final = datetime(1950, 1, 1, tzinfo=UTC)
_EARLIEST_YEAR: Final = 1900


def check_seizure_datetime(value: datetime, *, now: datetime | None = None) -> datetime:
    """Return `value`, unchanged, if it is a plausible moment of seizure.

    `now` (timezone-aware) defaults to the current time. Raises `InvalidIdentifierError` for a
    naive datetime (the moment would be ambiguous across time zones), a moment more than 5
    minutes after `now` or one before 1950; raises `ValueError` if `now` is naive.
    """
    if now is None:
        now = datetime.now(UTC)
    elif now.utcoffset() is None:
        raise ValueError("now must be timezone-aware")
    if value.utcoffset() is None:
        raise InvalidIdentifierError(
            f"seizure time {value:%Y-%m-%d %H:%M} has no time zone; give the time zone of the "
            "place of seizure"
        )
    if value > now + _CLOCK_SKEW:
        raise InvalidIdentifierError(
            Message(
                "seizure time %(when)s is in the future; check the date, the time and the time "
                "zone",
                when=f"{value:%Y-%m-%d %H:%M %z}",
            )
        )
    if value < _EARLIEST_SEIZURE:
        raise InvalidIdentifierError(
            Message(
                "seizure date %(when)s is before 1950; check the year", when=f"{value:%Y-%m-%d}"
            )
        )
    return value


def check_partial_date(
    year: int | None, month: int | None, day: int | None, *, today: date | None = None
) -> tuple[int | None, int | None, int | None]:
    """Return ``(year, month, day)`` if they form a known year, year and month, or full date.

    Dates of birth and of events are often only partly known; three Nones (nothing known) come
    back unchanged. `today` defaults to the current date. Raises `InvalidIdentifierError` for a
    month without a year or a day without a month, for impossible dates (30 February), years
    before 1900 and dates after `today` (for a partial date: a year or month after today's).
    """
    # Callers pass the three form fields as they come, and a date of birth is often unknown
    # when a person is first recorded: nothing known is an answer, not an error.
    if year is None and month is None and day is None:
        return None, None, None
    if year is None:
        raise InvalidIdentifierError(
            "a month or day without a year cannot be recorded; enter the year too"
        )
    if today is None:
        today = datetime.now(UTC).date()
    if day is not None and month is None:
        raise InvalidIdentifierError("a day without a month cannot be recorded; enter the month")
    shown = "-".join(f"{part:02d}" for part in (year, month, day) if part is not None)
    if year < _EARLIEST_YEAR:
        raise InvalidIdentifierError(
            Message("date %(when)s is before 1900; check the year", when=shown)
        )
    if month is not None and not 1 <= month <= 12:
        raise InvalidIdentifierError(
            Message("month %(n)s does not exist; months run from 1 to 12", n=month)
        )
    if month is not None and day is not None:
        # Checked here rather than left to date() so that the officer learns the month's length.
        last = calendar.monthrange(year, month)[1] if year <= date.max.year else 31
        if not 1 <= day <= last:
            raise InvalidIdentifierError(
                f"there is no day {day} in {calendar.month_name[month]} {year} (it has {last} days)"
            )
    given = (year, month or 0, day or 0)
    if given > (today.year, today.month if month else 0, today.day if day else 0):
        raise InvalidIdentifierError(Message("date %(when)s is in the future", when=shown))
    return year, month, day

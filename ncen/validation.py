"""Input checking for the service layer: one `Checker` collects every bad field of a request.

Services receive plain mappings (from web forms, JSON imports, CLI or exchange bundles), read
each field through a `Checker`, and call `raise_if_errors()` before writing anything, so a user
sees every problem at once (``ValidationError.errors`` maps field paths to messages).
"""

from __future__ import annotations

import enum
import math
import threading
import uuid
from collections.abc import Callable, Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from decimal import Decimal, InvalidOperation
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from ncen.errors import InvalidIdentifierError, Message, ValidationError, message_of
from ncen.reference.models import CodeMixin, reference_stamp
from ncen.text import text_problem

TOO_LONG = "is too long (%(n)s characters; at most %(max)s)"

E = TypeVar("E", bound=enum.Enum)
T = TypeVar("T")

# Text longer than this may hold line breaks (descriptions, narratives, notes, captions);
# shorter text is one line (names, identifiers, codes, places, numbers, queries).
MULTILINE_ABOVE = 300
# Dates and times outside these bounds are typing mistakes in this domain (no seizure, birth or
# document expiry falls outside them), and near the ends of the calendar converting between
# time zones overflows: 0001-01-01T00:00+05:00 has no UTC equivalent in Python.
EARLIEST_DAY = date(1900, 1, 1)
LATEST_DAY = date(2199, 12, 31)
_EARLIEST_MOMENT = datetime.combine(EARLIEST_DAY, time.min, UTC)
_LATEST_MOMENT = datetime.combine(LATEST_DAY, time.max, UTC)
_OUT_OF_RANGE = f"is out of range: give a date between {EARLIEST_DAY} and {LATEST_DAY}"
MAX_FILTER_CHARS = 200
# No whole number of a record has more digits; bigger ones are refused before converting.
_MAX_DIGITS = 18


def check_filter_texts(values: Mapping[str, object], *, max_len: int = MAX_FILTER_CHARS) -> None:
    """Refuse list-filter and query text that may not be searched for.

    ``values`` maps filter names to their values; values that are not text are ignored. Each
    text must be one line without control, text-direction or invalid characters (the rule of
    `ncen.text.text_problem`) and at most ``max_len`` characters. Raises `ValidationError`
    naming every bad filter; pure otherwise. The filters of every list (persons, seizures,
    companies, conveyances) call this when they are built, so that hostile text never reaches
    a query or the audit trail, whichever entry point built them.
    """
    errors: dict[str, str] = {}
    for key, value in values.items():
        if not isinstance(value, str):
            continue
        if len(value) > max_len:
            errors[key] = Message(TOO_LONG, n=len(value), max=max_len)
        elif problem := text_problem(value):
            errors[key] = problem
    if errors:
        raise ValidationError(errors)


STAMP_KEY = "ncen.active_codes.stamp"  # session.info: the reference stamp the session read


@dataclass
class _SharedCodes:
    """The active codes of each list as of one reference stamp, shared by the process."""

    stamp: uuid.UUID | None = None
    codes: dict[type[Any], frozenset[str]] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)


_SHARED = _SharedCodes()


def active_codes(session: Session, model: type[CodeMixin]) -> frozenset[str]:
    """The active codes of ``model``'s list, as of the reference stamp ``session`` reads.

    Each list is read once per process and reference stamp (`ncen.reference.models.
    ReferenceStamp`: a trigger draws a new one in any transaction that changes a reference
    table), not once per session: recording a case checks six lists, and each web request has a
    session of its own. The session reads the stamp once (kept in ``session.info``, which the
    reference services clear when they change a list); a list is read after the stamp it is
    filed under, so it is at least as new as that stamp, and a transaction that changed a list
    sees a stamp of its own (random, never seen again if it rolls back).
    """
    if STAMP_KEY in session.info:
        stamp: uuid.UUID | None = session.info[STAMP_KEY]
    else:
        stamp = session.info[STAMP_KEY] = reference_stamp(session)
    shared = _SHARED
    with shared.lock:
        found = shared.codes.get(model) if stamp is not None and shared.stamp == stamp else None
    if found is not None:
        return found
    stmt = select(model.code).where(model.active.is_(True))
    found = frozenset(session.execute(stmt).scalars())
    if stamp is not None:
        with shared.lock:
            if shared.stamp != stamp:
                shared.stamp, shared.codes = stamp, {}
            shared.codes[model] = found
    return found


class Checker:
    """Reads fields out of ``data`` and records an error per bad field path."""

    def __init__(self, session: Session, data: Mapping[str, Any], prefix: str = "") -> None:
        self.session = session
        self.data = data
        self.prefix = prefix
        self.errors: dict[str, str] = {}
        # Active reference codes, loaded once per session (a request, a command, an import):
        # bulk imports check thousands of records against the same few code lists.
        self._codes: dict[type[Any], AbstractSet[str]] = session.info.setdefault(
            "ncen.active_codes", {}
        )

    def nested(self, data: Mapping[str, Any], prefix: str) -> Checker:
        """A checker for a sub-object that reports into the same error map."""
        child = Checker(self.session, data, f"{self.prefix}{prefix}.")
        child.errors = self.errors
        child._codes = self._codes
        return child

    def path(self, key: str) -> str:
        """The full field path of ``key``."""
        return f"{self.prefix}{key}"

    def fail(self, key: str, message: str) -> None:
        """Record an error for ``key`` (the first error of a field wins)."""
        self.errors.setdefault(self.path(key), message)

    def raise_if_errors(self) -> None:
        """Raise `ValidationError` with every collected error, if any."""
        if self.errors:
            raise ValidationError(self.errors)

    def _raw(self, key: str) -> Any:
        value = self.data.get(key)
        if isinstance(value, str):
            value = value.strip()
            return value or None
        return value

    def text(
        self,
        key: str,
        *,
        required: bool = False,
        max_len: int = 200,
        multiline: bool | None = None,
    ) -> str | None:
        """A string field: stripped, length-limited, and free of the characters that
        `ncen.text.text_problem` refuses (controls, text-direction controls, lone surrogates).

        ``multiline`` allows line breaks and tabs; by default only text longer than
        `MULTILINE_ABOVE` characters (free text) may hold them, so names and identifiers are
        always one line.
        """
        value = self._raw(key)
        if value is None:
            if required:
                self.fail(key, "is required")
            return None
        if not isinstance(value, str):
            self.fail(key, "must be text")
            return None
        if len(value) > max_len:  # first: cheap, and bounds the scan below
            self.fail(key, Message(TOO_LONG, n=len(value), max=max_len))
            return None
        if multiline is None:
            multiline = max_len > MULTILINE_ABOVE
        problem = text_problem(value, multiline=multiline)
        if problem is not None:
            self.fail(key, problem)
            return None
        return value

    def choice(self, key: str, enum_type: type[E], *, required: bool = False) -> E | None:
        """An enum field given by its value."""
        value = self._raw(key)
        if value is None:
            if required:
                self.fail(key, "is required")
            return None
        if isinstance(value, enum_type):
            return value
        try:
            return enum_type(value)
        except ValueError:
            allowed = ", ".join(str(m.value) for m in enum_type)
            self.fail(key, Message("must be one of %(allowed)s", allowed=allowed))
            return None

    def code(self, key: str, model: type[CodeMixin], *, required: bool = False) -> str | None:
        """A reference code that must exist and be active in ``model``'s table."""
        value = self._raw(key)
        if value is None:
            if required:
                self.fail(key, "is required")
            return None
        return self.code_value(key, model, value)

    def code_value(self, key: str, model: type[CodeMixin], value: Any) -> str | None:
        """Check one code value (used for list fields too)."""
        if not isinstance(value, str):
            self.fail(key, "must be a code")
            return None
        known = self._known_codes(model)
        candidate = value.strip()
        for form in (candidate, candidate.upper(), candidate.lower()):
            if form in known:
                return form
        table = getattr(model, "__tablename__", "codes").replace("_", " ")
        self.fail(
            key,
            Message(
                "unknown code %(code)s (not in %(table)s)", code=repr(candidate[:40]), table=table
            ),
        )
        return None

    def _known_codes(self, model: type[CodeMixin]) -> AbstractSet[str]:
        found = self._codes.get(model)
        if found is None:
            found = self._codes[model] = active_codes(self.session, model)
        return found

    def identifier(
        self, key: str, check: Callable[[str], str], *, required: bool = False
    ) -> str | None:
        """An identifier checked (and normalised) by one of `ncen.identifiers`' checkers."""
        value = self.text(key, required=required, max_len=64)
        if value is None:
            return None
        try:
            return check(value)
        except InvalidIdentifierError as exc:
            self.fail(key, message_of(exc))
            return None

    def integer(
        self,
        key: str,
        *,
        required: bool = False,
        minimum: int | None = None,
        maximum: int | None = None,
    ) -> int | None:
        """A whole number within the bounds."""
        value = self._raw(key)
        if value is None:
            if required:
                self.fail(key, "is required")
            return None
        number = _whole_number(value)
        if number is None:
            self.fail(key, "must be a whole number")
            return None
        if minimum is not None and number < minimum:
            self.fail(key, Message("must be at least %(n)s", n=minimum))
            return None
        if maximum is not None and number > maximum:
            self.fail(key, Message("must be at most %(n)s", n=maximum))
            return None
        return number

    def decimal(self, key: str, *, required: bool = False, places: int = 3) -> Decimal | None:
        """A non-negative decimal number (quantities and values are never negative)."""
        value = self._raw(key)
        if value is None:
            if required:
                self.fail(key, "is required")
            return None
        try:
            number = Decimal(str(value).replace(",", ".").replace(" ", ""))
        except InvalidOperation:
            self.fail(key, "must be a number")
            return None
        if not number.is_finite():
            self.fail(key, "must be a number")
            return None
        if number < 0:
            self.fail(key, "must not be negative")
            return None
        if number >= Decimal(10) ** 15:
            self.fail(key, "is too large")
            return None
        return round(number, places)

    def timestamp(self, key: str, *, required: bool = False) -> datetime | None:
        """An aware datetime, or an ISO 8601 string with a UTC offset."""
        value = self._raw(key)
        if value is None:
            if required:
                self.fail(key, "is required")
            return None
        if isinstance(value, str):
            try:
                value = datetime.fromisoformat(value)
            except ValueError:
                self.fail(key, "must be a date and time such as 2026-03-01T14:30+05:00")
                return None
        if not isinstance(value, datetime):
            self.fail(key, "must be a date and time")
            return None
        if value.tzinfo is None or value.utcoffset() is None:
            self.fail(key, "needs a time zone")
            return None
        moment = _in_utc(value)
        if moment is None:
            self.fail(key, _OUT_OF_RANGE)
        return moment

    def day(self, key: str, *, required: bool = False) -> date | None:
        """A calendar date (ISO 8601 ``YYYY-MM-DD``) between `EARLIEST_DAY` and `LATEST_DAY`."""
        value = self._raw(key)
        if value is None:
            if required:
                self.fail(key, "is required")
            return None
        if isinstance(value, datetime):
            value = value.date()
        if not isinstance(value, date):
            try:
                value = date.fromisoformat(str(value))
            except ValueError:
                self.fail(key, "must be a date such as 2030-12-31")
                return None
        if not EARLIEST_DAY <= value <= LATEST_DAY:
            self.fail(key, _OUT_OF_RANGE)
            return None
        return value

    def items(self, key: str, *, max_items: int = 100) -> Sequence[Mapping[str, Any]]:
        """A list of sub-objects (names, items, documents...)."""
        value = self.data.get(key)
        if value is None:
            return []
        if not isinstance(value, list | tuple) or not all(isinstance(v, Mapping) for v in value):
            self.fail(key, "must be a list of objects")
            return []
        if len(value) > max_items:
            self.fail(key, Message("has too many entries (at most %(n)s)", n=max_items))
            return []
        return list(value)

    def strings(self, key: str, *, max_items: int = 50) -> list[str]:
        """A list of short strings (codes); blanks dropped."""
        value = self.data.get(key)
        if value is None:
            return []
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
            self.fail(key, "must be a list of codes")
            return []
        cleaned = [v.strip() for v in value if v.strip()]
        if len(cleaned) > max_items:
            self.fail(key, Message("has too many entries (at most %(n)s)", n=max_items))
            return []
        return cleaned

    def codes(self, key: str, model: type[CodeMixin], *, max_items: int = 50) -> list[str]:
        """A list of reference codes, each checked, duplicates dropped, order kept."""
        result: list[str] = []
        for i, value in enumerate(self.strings(key, max_items=max_items)):
            checked = self.code_value(f"{key}.{i}", model, value)
            if checked and checked not in result:
                result.append(checked)
        return result


def _in_utc(value: datetime) -> datetime | None:
    """The aware ``value`` in UTC, or None if that falls outside the accepted dates."""
    try:
        moment = value.astimezone(UTC)
    except OverflowError:  # the UTC moment is before year 1 or after year 9999
        return None
    return moment if _EARLIEST_MOMENT <= moment <= _LATEST_MOMENT else None


def _whole_number(value: object) -> int | None:
    """``value`` as an int if it is exactly a whole number, else None.

    Accepts ints, digit strings and integral finite floats or decimals (JSON ``1990.0``);
    refuses booleans, fractions (``1990.5`` is not silently cut to 1990), infinities and NaN
    (JSON ``1e999`` and ``-Infinity``), and anything else.
    """
    number: int | None = None
    if isinstance(value, int) and not isinstance(value, bool):
        number = value
    elif isinstance(value, Decimal):
        # 1E+999999999 is a valid Decimal whose int() would take minutes to build.
        if value.is_finite() and value.adjusted() <= _MAX_DIGITS and value == int(value):
            number = int(value)
    elif isinstance(value, float):
        if math.isfinite(value) and value.is_integer():
            number = int(value)
    elif isinstance(value, str):
        try:
            number = int(value)
        except ValueError:  # not digits, or more digits than Python converts
            number = None
    return number

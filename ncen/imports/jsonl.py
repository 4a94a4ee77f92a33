"""Bulk import of person records from JSON Lines (``ncen import persons FILE.jsonl``).

Each line is one JSON object with the fields `ncen.persons.services.create_person` takes, plus
``source`` / ``source_id`` (the record's id in the system it comes from), an optional
``version`` and a ``gender`` on any name (see ``docs/import-persons.md`` and
`ncen.persons.importing`). A line whose ``(source, source_id)`` was imported before updates
that person instead of creating a twin, so importing the same file twice changes nothing. The
import is all or nothing: every line is validated and written inside the caller's transaction,
each in its own savepoint, and if any line is bad the whole import fails with
`ImportFailedError` listing every bad line with its line number and the paths of its bad
fields, so the file can be fixed in one pass. Each person written is audited and versioned by
the service, and indexed for name search.

Lines with a ``(source, source_id)`` key and no ``version`` take the spreadsheet imports' bulk
path (`ncen.imports.jsonl_bulk`: a lookup per chunk, new persons written in batches); other
lines (no key, a ``version`` to check, or a problem to explain) go through
`ncen.persons.importing.import_person` one by one. Both give the same records, history, audit
and errors.

Hostile JSON is a line error, never a crash: numbers are read exactly (``1990.5`` stays a
fraction and is refused where a whole number is expected, never cut), ``NaN``/``Infinity`` and
numbers beyond ±10^18 are refused, as are lone surrogates (``"\ud800"``) anywhere in a line and
nesting deeper than `MAX_DEPTH`. A UTF-8 byte-order mark at the start of the file is dropped.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ncen.accounts.actor import Actor
from ncen.errors import ConflictError, NcenError, ValidationError
from ncen.imports.jsonl_bulk import BulkLines
from ncen.persons.importing import Outcome, bulk_fields, import_person

MAX_LINE_BYTES = 1_000_000
# A person is an object of lists of objects: three levels. Deeper is a mistake or an attack
# (the JSON parser recurses, and a few thousand brackets exhaust the stack).
MAX_DEPTH = 8
# No number of a person record comes near this; 1e999 would become infinity as a float.
_MAX_NUMBER = Decimal(10) ** 18
_BOM = b"\xef\xbb\xbf"


class _LineRefusedError(ValueError):
    """Raised by the JSON hooks below; its message is the line's error."""


def _number(text: str) -> Decimal:
    # Exact, so that 1990.5 is refused as a whole number rather than silently truncated.
    number = Decimal(text)
    if abs(number) >= _MAX_NUMBER:
        raise _LineRefusedError(f"number {text[:40]} is out of range")
    return number


def _constant(name: str) -> Any:
    raise _LineRefusedError(f"{name} is not a number JSON allows")


def parse_line(raw: bytes) -> dict[str, Any] | str:
    """The JSON object of one line, or a message saying why the line is refused.

    Pure. Refuses invalid UTF-8 (naming the byte offset), invalid JSON, NaN and Infinity,
    numbers beyond ±10^18, nesting deeper than `MAX_DEPTH`, lone surrogates in any key or
    string, and anything but an object. Floats are returned as `Decimal`.
    """
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        return f"is not valid UTF-8 (byte {exc.start + 1} of the line)"
    try:
        data = json.loads(text, parse_float=_number, parse_int=_integer, parse_constant=_constant)
    except _LineRefusedError as exc:
        return str(exc)
    except RecursionError:
        return f"is nested too deeply (at most {MAX_DEPTH} levels)"
    except json.JSONDecodeError as exc:
        return f"is not valid JSON ({exc.msg})"
    if not isinstance(data, dict):
        return "must be a JSON object"
    return _structure_problem(data) or data


def _integer(text: str) -> int:
    if len(text.lstrip("-")) > len(str(_MAX_NUMBER)) - 1:
        raise _LineRefusedError(f"number {text[:40]} is out of range")
    return int(text)


def _structure_problem(data: dict[str, Any]) -> str | None:
    """Why the parsed line is refused (too deep, a lone surrogate), walked without recursion."""
    stack: list[tuple[Any, int]] = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if depth > MAX_DEPTH:
            return f"is nested too deeply (at most {MAX_DEPTH} levels)"
        if isinstance(value, dict):
            stack.extend((key, depth) for key in value)
            stack.extend((item, depth + 1) for item in value.values())
        elif isinstance(value, list):
            stack.extend((item, depth + 1) for item in value)
        elif isinstance(value, str):
            bad = next((c for c in value if "\ud800" <= c <= "\udfff"), None)
            if bad is not None:
                return (
                    f"contains an invalid character (U+{ord(bad):04X}, half of a surrogate "
                    "pair); fix the \\u escapes of the line"
                )
    return None


@dataclass(frozen=True, slots=True)
class LineError:
    """One problem of one line: ``field`` is a path such as ``names.0.full_name`` or ``line``."""

    line: int
    field: str
    message: str


class ImportFailedError(NcenError):
    """At least one line was refused; nothing was imported."""

    def __init__(self, errors: list[LineError]) -> None:
        self.errors = errors
        lines = len({e.line for e in errors})
        super().__init__(f"{lines} bad line(s), nothing imported")


@dataclass(frozen=True, slots=True)
class ImportSummary:
    """How many lines created, updated and left unchanged a person."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0

    @property
    def total(self) -> int:
        """Every person the file names."""
        return self.created + self.updated + self.unchanged


def _file_key(data: dict[str, Any], source: str | None) -> tuple[str, str] | None:
    """The (source, source_id) of a line, for spotting one record given twice in a file."""
    line_source, line_id = data.get("source") or source, data.get("source_id")
    if not isinstance(line_source, str) or not isinstance(line_id, (str, int)):
        return None  # no key, or a malformed one the service will refuse
    return line_source.strip(), str(line_id).strip()


def import_persons(
    session: Session,
    actor: Actor,
    lines: Iterable[bytes],
    progress: Callable[[int], None] = lambda _n: None,
    *,
    source: str | None = None,
) -> ImportSummary:
    """Create or update one person per non-blank JSON line of ``lines``; return the counts.

    ``source`` is the source of lines that name none. ``progress`` is called with the byte
    length of each line read. Raises `PermissionDeniedError` (needs ``CREATE_RECORDS``, and
    ``UPDATE_RECORD`` to update) or `ImportFailedError` with every bad line; in that case the
    caller must roll back (the good lines were written). A ``(source, source_id)`` given on
    two lines of one file is refused on the second. Writes: the persons, their history and
    audit events (see `ncen.persons.importing.import_person`).
    """
    errors: list[LineError] = []
    counts = dict.fromkeys(Outcome, 0)
    seen: dict[tuple[str, str], int] = {}
    bulk = BulkLines(session, actor, lambda n, f, m: errors.append(LineError(n, f, m)))
    for number, raw in enumerate(lines, 1):
        progress(len(raw))
        if not raw.strip():
            continue
        if len(raw) > MAX_LINE_BYTES:
            errors.append(LineError(number, "line", f"is longer than {MAX_LINE_BYTES} bytes"))
            continue
        # Spreadsheets and editors on Windows start the file with a byte-order mark.
        data = parse_line(raw.removeprefix(_BOM) if number == 1 else raw)
        if isinstance(data, str):
            errors.append(LineError(number, "line", data))
            continue
        key = _file_key(data, source)
        if key is not None and key in seen:
            errors.append(
                LineError(number, "source_id", f"is given twice in the file (line {seen[key]})")
            )
            continue
        if key is not None:
            seen[key] = number
        planned = bulk_fields(session, data, source)
        if planned is not None:
            bulk.add(number, planned[0].source, str(planned[0].source_id), planned[1])
            continue
        savepoint = session.begin_nested()
        try:
            _, outcome = import_person(session, actor, data, source)
        except ValidationError as exc:
            savepoint.rollback()
            errors.extend(LineError(number, f, m) for f, m in exc.errors.items())
            continue
        except ConflictError as exc:
            savepoint.rollback()
            message = (
                f"the line was exported at version {exc.expected}, the person is at version "
                f"{exc.actual} here (changed since?): export it again, or leave version out "
                "to overwrite"
            )
            errors.append(LineError(number, "version", message))
            continue
        except IntegrityError:
            # Another import stored the same source id between our lookup and our write.
            savepoint.rollback()
            errors.append(
                LineError(number, "source_id", "was imported at the same time elsewhere: retry")
            )
            continue
        savepoint.commit()
        counts[outcome] += 1
    bulk.finish()
    if errors:
        raise ImportFailedError(sorted(errors, key=lambda e: e.line))
    for name, n in bulk.outcomes.items():
        counts[Outcome(name)] += n
    return ImportSummary(
        counts[Outcome.CREATED], counts[Outcome.UPDATED], counts[Outcome.UNCHANGED]
    )

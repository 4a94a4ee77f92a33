"""Streaming parsers for the reference files an administration downloads itself.

``ncen reference load`` feeds two kinds of file through these parsers: the HS nomenclature
(headings and subheadings) and the UNECE UN/LOCODE code list. They read line by line and yield
typed rows, so a 100 000-line file never sits in memory; they touch no database.

**Error contract.** A parser yields every good row and skips every bad one, noting its line
number and the reason. When the input is exhausted it raises `ReferenceFileError` if any row was
bad, with all the problems in `ReferenceFileError.problems`. A caller that loads inside one
transaction therefore gets all-or-nothing by letting the error roll the transaction back; a
caller that wants to keep the good rows catches the error after the loop, reports the problems
and commits. Only a file that cannot be read at all (no recognisable HS header, bytes that are
not in the file's encoding) raises before yielding anything.

**Damage is never guessed around.** A file is decoded strictly in the encoding the operator
names (UTF-8 by default, a byte-order mark accepted): one invalid byte is reported with its line
and byte offset, never "repaired" by decoding the whole file as Latin-1 (which stores Cyrillic
as mojibake and reports success). A NUL byte is a bad row (PostgreSQL cannot store it). An
unclosed quote, which would otherwise swallow every row after it into one field, is reported
at the line where the quote opens and parsing stops there.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from os import PathLike

from ncen.errors import NcenError
from ncen.reference.codes import HS_CHAPTERS

# HS chapter 77 is reserved: no heading can be in it.
_HS_CHAPTERS_IN_USE = frozenset(c.code for c in HS_CHAPTERS if c.code != "77")
_HS_CODE_CHARS = re.compile(r"^[0-9][0-9. ]*$")
_HS_CODE_HEADERS = frozenset({"code", "hscode"})
_HS_DESCRIPTION_HEADERS = frozenset({"description", "text"})

_LOCODE_COUNTRY = re.compile(r"^[A-Z]{2}$")
# UN/LOCODE location parts use the letters A-Z and the digits 2-9 (0 and 1 look like O and I).
_LOCODE_LOCATION = re.compile(r"^[A-Z2-9]{3}$")
_LOCODE_FUNCTION = re.compile(r"^[0-9B-]{8}$")
_LOCODE_STATUS = re.compile(r"^[A-Z]{2}$")
_LOCODE_SUBDIVISION = re.compile(r"^[A-Z0-9]{1,3}$")
_LOCODE_COORDINATES = re.compile(r"^[0-9]{4}[NS] [0-9]{5}[EW]$")
_LOCODE_COLUMNS = 12
_LOCODE_REMOVED = "X"

# The encodings an operator may name (``--encoding``), by the names people use for them.
ENCODINGS: dict[str, str] = {
    "utf-8": "utf-8",
    "utf8": "utf-8",
    "latin-1": "latin-1",
    "latin1": "latin-1",
    "iso-8859-1": "latin-1",
    "cp1252": "cp1252",
    "windows-1252": "cp1252",
}
# A quoted cell may hold line breaks (spreadsheets write them), but no real cell spans this
# many lines: a record that does is an unclosed quote swallowing the rows after it.
MAX_RECORD_LINES = 20
# The encoding check lists at most this many bad lines before giving up on the file.
_MAX_ENCODING_PROBLEMS = 20
# The error message lists this many problems; `problems` always holds them all.
_MESSAGE_PROBLEMS = 20


@dataclass(frozen=True, slots=True)
class Problem:
    """A bad row: its 1-based line number in the file and what is wrong with it."""

    line: int
    reason: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.reason}"


class ReferenceFileError(NcenError):
    """A reference file had bad rows (or could not be read); `problems` lists every one."""

    def __init__(self, source: str, problems: Iterable[Problem]) -> None:
        self.source = source
        self.problems: list[Problem] = list(problems)
        shown = "; ".join(str(p) for p in self.problems[:_MESSAGE_PROBLEMS])
        more = len(self.problems) - _MESSAGE_PROBLEMS
        if more > 0:
            shown += f"; and {more} more"
        super().__init__(f"{source}: {len(self.problems)} bad row(s): {shown}")


@dataclass(frozen=True, slots=True)
class HsRow:
    """An HS heading (4 digits) or subheading (6 digits), code in digits only."""

    code: str
    description: str
    # Where the row is in the file, for messages about it; not part of the row's value.
    line: int = field(default=0, compare=False)

    @property
    def chapter(self) -> str:
        """The two-digit chapter the code belongs to."""
        return self.code[:2]


@dataclass(frozen=True, slots=True)
class LocodeRow:
    """A UN/LOCODE entry; `code` is the five-character LOCODE (country + location, "DEHAM")."""

    code: str
    name: str
    name_ascii: str
    subdivision: str | None
    function: str
    coordinates: str | None
    # Where the row is in the file, for messages about it; not part of the row's value.
    line: int = field(default=0, compare=False)

    @property
    def country(self) -> str:
        """The ISO 3166-1 alpha-2 country part of the code."""
        return self.code[:2]


def open_text(path: str | PathLike[str], encoding: str = "utf-8") -> Iterator[str]:
    """Return the lines of a text file in ``encoding``, for the parsers below.

    ``encoding`` is one of `ENCODINGS` (UTF-8 by default; a leading UTF-8 byte-order mark is
    dropped). The whole file is checked when this is called: a missing or unreadable file
    raises `OSError`, and bytes that are not valid in ``encoding`` or NUL bytes raise
    `ReferenceFileError` naming each line, the byte offset in the file (from 0) and, for an
    invalid byte, the ``--encoding`` option to use for an ISO-8859-1 file. The lines are then
    read lazily, with line endings kept as the `csv` module needs them, and the file is closed
    when the iterator is exhausted or discarded.
    """
    source = str(path)
    codec = ENCODINGS.get(encoding.strip().lower())
    if codec is None:
        known = ", ".join(sorted(set(ENCODINGS.values())))
        raise ReferenceFileError(
            source, [Problem(0, f"unknown encoding {encoding[:40]!r}; use one of {known}")]
        )
    problems = _encoding_problems(path, codec)
    if problems:
        raise ReferenceFileError(source, problems)
    return _read_lines(path, "utf-8-sig" if codec == "utf-8" else codec)


def _encoding_problems(path: str | PathLike[str], codec: str) -> list[Problem]:
    """Every line (up to a limit) with a NUL byte or a byte sequence invalid in ``codec``.

    Reads the file once, a line at a time (a newline byte never occurs inside a character of
    the supported encodings), so memory stays bounded by the longest line.
    """
    problems: list[Problem] = []
    offset = 0
    with open(path, "rb") as stream:
        for line_no, line in enumerate(stream, start=1):
            body = line.removeprefix(b"\xef\xbb\xbf") if line_no == 1 else line
            start = offset + len(line) - len(body)
            nul = body.find(b"\0")
            if nul >= 0:
                problems.append(Problem(line_no, f"contains a NUL byte (byte {start + nul})"))
            else:
                try:
                    body.decode(codec)
                except UnicodeDecodeError as exc:
                    problems.append(_decode_problem(line_no, start, body, exc))
            if len(problems) >= _MAX_ENCODING_PROBLEMS:
                break
            offset += len(line)
    return problems


def _decode_problem(line_no: int, start: int, body: bytes, exc: UnicodeDecodeError) -> Problem:
    bad = body[exc.start : exc.end].hex(" ").upper()
    name = "UTF-8" if exc.encoding.startswith("utf") else exc.encoding
    return Problem(
        line_no,
        f"byte {start + exc.start} (0x{bad}, byte {exc.start + 1} of the line) is not valid "
        f"{name}; if the whole file is ISO-8859-1 (as the official UN/LOCODE files are), "
        "load it with --encoding latin-1, otherwise fix or re-export the file",
    )


def _read_lines(path: str | PathLike[str], encoding: str) -> Iterator[str]:
    with open(path, encoding=encoding, newline="") as stream:
        yield from stream


def parse_hs_csv(lines: Iterable[str], source: str = "HS file") -> Iterator[HsRow]:
    """Parse an HS nomenclature CSV into headings and subheadings.

    Header: the first non-blank line names the columns, matched case-insensitively and ignoring
    spaces, underscores and hyphens. The code column may be called ``code``, ``hscode``,
    ``HS Code`` or ``hs_code``; the description column ``description``, ``Description`` or
    ``text`` (the UN Comtrade classification export). Other columns (section, parent, level...)
    are ignored. The delimiter is a comma, or a semicolon or tab when the header uses one.

    Rows: the code is written with or without dots and spaces ("0101.21", "010121", "0101");
    4- and 6-digit codes are yielded as digits only. 2-digit chapter rows are skipped without
    complaint, because chapters are seeded from `ncen.reference.codes`. Whitespace runs in a
    description (line breaks from spreadsheet cells) become one space, and a description that
    repeats the code first ("010121 - Horses; ...", as Comtrade writes it) loses that prefix.
    Blank lines are skipped.

    Bad rows (a code of another length or not in an HS chapter, an empty description, a
    duplicate code, a short row) follow the module's error contract: skipped, then reported
    together in a `ReferenceFileError` once the input is exhausted. A missing or unrecognised
    header raises `ReferenceFileError` before any row is yielded. `source` names the file in
    messages.
    """
    numbered = _numbered(lines)
    header_line, header = _first_non_blank(numbered)
    if header is None:
        raise ReferenceFileError(source, [Problem(1, "the file is empty")])
    delimiter = _sniff_delimiter(header)
    columns = next(csv.reader([header], delimiter=delimiter), [])
    code_col, description_col = _hs_columns(columns)
    if code_col is None or description_col is None:
        raise ReferenceFileError(
            source,
            [
                Problem(
                    header_line,
                    "no HS header: expected a code column (code, hscode or HS Code) and a"
                    f" description column (description or text), found {columns!r}",
                )
            ],
        )
    needed = max(code_col, description_col) + 1
    problems: list[Problem] = []
    seen: dict[str, int] = {}
    for line_no, row in _csv_records(numbered, delimiter, problems):
        if len(row) < needed:
            problems.append(
                Problem(line_no, f"expected at least {needed} columns, found {len(row)}")
            )
            continue
        code, reason = _normalise_hs_code(row[code_col])
        if reason is not None:
            problems.append(Problem(line_no, reason))
            continue
        if code is None:  # a chapter row
            continue
        # Spreadsheets leave line breaks inside cells; a description is one line of text.
        description = " ".join(row[description_col].split())
        description = _strip_code_prefix(description, row[code_col].strip())
        if not description:
            problems.append(Problem(line_no, f"HS code {code} has no description"))
            continue
        if code in seen:
            problems.append(Problem(line_no, f"HS code {code} repeats line {seen[code]}"))
            continue
        seen[code] = line_no
        yield HsRow(code, description, line_no)
    if problems:
        raise ReferenceFileError(source, problems)


def parse_unlocode_csv(lines: Iterable[str], source: str = "UN/LOCODE file") -> Iterator[LocodeRow]:
    """Parse the official UNECE UN/LOCODE CSV code list (any of its parts).

    Layout: no header; twelve columns, in the order of the UNECE distribution: Change, Country,
    Location, Name, NameWoDiacritics, Subdivision, Function, Status, Date, IATA, Coordinates,
    Remarks. Some republications print Status before Function; each row's two values are told
    apart by their form (Function is eight characters such as ``12345---``, Status two letters
    such as ``AI``), so both orders are read correctly. A missing trailing Remarks column is
    accepted. The official files are ISO-8859-1: read them with ``open_text(path, "latin-1")``.

    Skipped without complaint: blank lines; country header rows and ``=`` reference entries
    (both have an empty Location, e.g. ``,"DE",,".GERMANY",...``); rows whose Change is ``X``
    (marked for removal). An empty NameWoDiacritics falls back to Name; empty Subdivision and
    Coordinates become None; an empty Function stays "".

    Bad rows (wrong column count, malformed country, location, function, subdivision or
    coordinates, an empty name, a duplicate LOCODE) follow the module's error contract:
    skipped, then reported together in a `ReferenceFileError` once the input is exhausted.
    `source` names the file in messages.
    """
    problems: list[Problem] = []
    seen: dict[str, int] = {}
    for line_no, row in _csv_records(_numbered(lines), ",", problems):
        fields = [value.strip() for value in row]
        if len(fields) >= 3 and (not fields[2] or fields[0] == _LOCODE_REMOVED):
            continue  # a country header, a reference entry or an entry marked for removal
        if len(fields) not in (_LOCODE_COLUMNS - 1, _LOCODE_COLUMNS):
            problems.append(
                Problem(line_no, f"expected {_LOCODE_COLUMNS} columns, found {len(fields)}")
            )
            continue
        parsed = _locode_row(fields)
        if isinstance(parsed, str):
            problems.append(Problem(line_no, f"{fields[1]}{fields[2]}: {parsed}"))
            continue
        if parsed.code in seen:
            problems.append(Problem(line_no, f"{parsed.code} repeats line {seen[parsed.code]}"))
            continue
        seen[parsed.code] = line_no
        yield replace(parsed, line=line_no)
    if problems:
        raise ReferenceFileError(source, problems)


def _locode_row(fields: list[str]) -> LocodeRow | str:
    """Build a row from the stripped fields of a location line, or return why it is bad."""
    country, location, name, name_ascii, subdivision = fields[1:6]
    function, status = fields[6], fields[7]
    if _LOCODE_STATUS.match(function) and (not status or _LOCODE_FUNCTION.match(status)):
        function, status = status, function
    coordinates = fields[10]
    if not name:
        return "the name is empty"
    # (value, may it be empty?, its form, what to say when it does not have that form)
    checks = (
        (country, False, _LOCODE_COUNTRY, "country {!r} is not two capital letters"),
        (location, False, _LOCODE_LOCATION, "location {!r} is not three of A-Z and 2-9"),
        (function, True, _LOCODE_FUNCTION, "function {!r} is not eight of 0-9, B and -"),
        (subdivision, True, _LOCODE_SUBDIVISION, "subdivision {!r} is not 1-3 of A-Z and 0-9"),
        (coordinates, True, _LOCODE_COORDINATES, "coordinates {!r} are not like 5333N 00958E"),
    )
    for value, optional, form, message in checks:
        if not (optional and not value) and not form.match(value):
            return message.format(value)
    return LocodeRow(
        code=country + location,
        name=name,
        name_ascii=name_ascii or name,
        subdivision=subdivision or None,
        function=function,
        coordinates=coordinates or None,
    )


def _numbered(lines: Iterable[str]) -> Iterator[tuple[int, str]]:
    """Number physical lines from 1; a leading byte-order mark is dropped."""
    for line_no, line in enumerate(lines, start=1):
        yield line_no, line.removeprefix("\ufeff") if line_no == 1 else line


def _first_non_blank(numbered: Iterator[tuple[int, str]]) -> tuple[int, str | None]:
    for line_no, line in numbered:
        if line.strip():
            return line_no, line
    return 0, None


class _UnclosedQuoteError(Exception):
    """A record ran over `MAX_RECORD_LINES` lines: raised from inside the csv reader's input."""


def _csv_records(
    numbered: Iterator[tuple[int, str]], delimiter: str, problems: list[Problem]
) -> Iterator[tuple[int, list[str]]]:
    """Yield (first line number, fields) per non-blank CSV record; a quoted field may span up to
    `MAX_RECORD_LINES` lines. A record with a NUL is noted in `problems` and skipped. A record
    the `csv` module cannot read, or an unclosed quote (the file ends inside a quoted field, or
    a record runs over `MAX_RECORD_LINES` lines), ends the file, noted in `problems`."""
    start = 0
    spanned = 0

    def track() -> Iterator[str]:
        nonlocal start, spanned
        for line_no, line in numbered:
            if not start:
                start, spanned = line_no, 0
            spanned += 1
            if spanned > MAX_RECORD_LINES:
                raise _UnclosedQuoteError
            yield line

    # strict: the end of the file inside a quoted field is an error, not a last huge field.
    reader = csv.reader(track(), delimiter=delimiter, strict=True)
    while True:
        try:
            record = next(reader)
        except StopIteration:
            return
        except _UnclosedQuoteError:
            problems.append(Problem(start, _unclosed(f"within {MAX_RECORD_LINES} lines")))
            return
        except csv.Error as error:
            # Nothing after an unreadable record can be trusted: stop rather than guess where
            # the next record starts.
            reason = (
                _unclosed("before the end of the file")
                if "unexpected end of data" in str(error)
                else f"unreadable CSV, parsing stopped: {error} (check the quotes of the record)"
            )
            problems.append(Problem(start, reason))
            return
        line_no, start = start, 0
        if any("\0" in field for field in record):
            problems.append(Problem(line_no, "contains a NUL character"))
        elif any(field.strip() for field in record):
            yield line_no, record


def _unclosed(where: str) -> str:
    return (
        f"unclosed quote: the quoted field that opens on this line is not closed {where}; "
        'close it (or double a quote meant literally: ""), parsing stopped'
    )


def _sniff_delimiter(header: str) -> str:
    if "," not in header:
        for candidate in (";", "\t"):
            if candidate in header:
                return candidate
    return ","


def _hs_columns(columns: list[str]) -> tuple[int | None, int | None]:
    code_col: int | None = None
    description_col: int | None = None
    for index, name in enumerate(columns):
        key = re.sub(r"[\s_-]+", "", name).lower()
        if key in _HS_CODE_HEADERS and code_col is None:
            code_col = index
        elif key in _HS_DESCRIPTION_HEADERS and description_col is None:
            description_col = index
    return code_col, description_col


def _normalise_hs_code(raw: str) -> tuple[str | None, str | None]:
    """Return (digits, None) for a heading or subheading, (None, None) for a chapter row to
    skip, or (None, reason) for a bad code."""
    value = raw.strip()
    if not _HS_CODE_CHARS.match(value):
        return None, f"HS code {value!r} is not digits (with optional dots)"
    digits = value.replace(".", "").replace(" ", "")
    if len(digits) == 2:
        return None, None
    if len(digits) not in (4, 6):
        hint = "; a spreadsheet may have dropped its leading zero" if len(digits) in (3, 5) else ""
        return None, f"HS code {value!r} has {len(digits)} digits, expected 4 or 6{hint}"
    if digits[:2] not in _HS_CHAPTERS_IN_USE:
        return None, f"HS code {value!r} is not in an HS chapter (01-97, except 77)"
    return digits, None


def _strip_code_prefix(description: str, raw_code: str) -> str:
    for prefix in (raw_code, raw_code.replace(".", "")):
        if prefix and description.startswith(prefix):
            rest = description[len(prefix) :].lstrip()
            if rest.startswith("-"):
                return rest[1:].strip()
    return description

"""Read a spreadsheet file (CSV, TSV or XLSX) into a header and rows of text, within bounds.

`read_table` takes the file's bytes and name and returns a `Table`: the header row, and each
data row with its row number in the file (1-based, as a spreadsheet shows it). It handles the
files that legacy systems and office suites really produce:

- CSV/TSV: the encoding is detected by charset-normalizer (UTF-8 with or without a BOM,
  UTF-16 with its BOM, Windows-1251, Latin-1...), the separator (``,`` ``;`` tab ``|``) is
  sniffed, quoted fields may span lines, and line ends may be mixed;
- XLSX: read by python-calamine, after checking that the file is a ZIP holding an XLSX
  workbook and that it does not inflate beyond `MAX_INFLATED_BYTES` (a ZIP bomb);
- title rows above the header are skipped (the header is the first row as wide as most of
  the first rows), empty trailing columns and empty rows are dropped.

Everything that cannot be read raises `UnreadableFileError` with a message for the user; memory
stays bounded by `Limits` (file size, rows, cell length, consecutive empty rows).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from charset_normalizer import from_bytes
from python_calamine import CalamineWorkbook

from ncen.errors import NcenError

# How many rows at the top may be titles, notes or blank lines above the header.
HEADER_SEARCH_ROWS = 20
# An XLSX is a ZIP; its parts may inflate this much in total before we call it a bomb.
MAX_INFLATED_BYTES = 400_000_000
MAX_RATIO = 200  # inflated / compressed, per part; real sheets compress ~10-20 times
_USUAL_ENCODINGS = (
    "cp1251",
    "cp1252",
    "cp1250",
    "koi8_r",
    "cp1256",
    "cp1253",
    "cp1254",
    "cp1257",
    "latin_1",
)
_XLSX_PARTS = ("[Content_Types].xml", "xl/workbook.xml")


class UnreadableFileError(NcenError):
    """The file cannot be read as a table; the message says why and what to do."""


@dataclass(frozen=True, slots=True)
class Limits:
    """Bounds that keep a hostile or broken file from exhausting memory or time."""

    max_bytes: int = 200_000_000
    max_rows: int = 2_000_000
    max_cell: int = 100_000
    max_columns: int = 500
    # A sheet whose "used range" runs a million rows down is a mistake; stop at this many
    # consecutive empty rows rather than walk them all.
    max_empty_run: int = 10_000


@dataclass(frozen=True, slots=True)
class Row:
    """One data row: its number in the file (header row is 1 when it is the first) and cells."""

    number: int
    cells: tuple[str, ...]
    # Why the row cannot be read as the header says (more cells than columns), for its report.
    problem: str | None = None


@dataclass(slots=True)
class Table:
    """A file read: its header, its data rows, and what was detected (for the preview)."""

    header: tuple[str, ...]
    rows: list[Row]
    encoding: str | None = None
    delimiter: str | None = None
    header_row: int = 1
    notes: list[str] = field(default_factory=list)

    def column(self, name: str) -> int | None:
        """The index of the column ``name`` (compared without case or surrounding space)."""
        wanted = name.strip().casefold()
        for i, head in enumerate(self.header):
            if head.strip().casefold() == wanted:
                return i
        return None


def read_table(data: bytes, filename: str, limits: Limits | None = None) -> Table:
    """The table in ``data`` (CSV/TSV by content, XLSX when it is a ZIP or named .xlsx).

    Raises `UnreadableFileError` (too large, empty, not a spreadsheet, a ZIP bomb, a cell or
    row count over ``limits``, bytes in no known encoding). Reads nothing but ``data``.
    """
    limits = limits or Limits()
    if len(data) > limits.max_bytes:
        raise UnreadableFileError(
            f"the file is larger than {limits.max_bytes // 1_000_000} MB: split it"
        )
    if not data.strip():
        raise UnreadableFileError("the file is empty")
    name = filename.lower()
    if data[:4] == b"PK\x03\x04" or name.endswith((".xlsx", ".xlsm")):
        return _table(_xlsx_rows(data, limits), limits, notes=["XLSX"])
    if name.endswith((".xls", ".ods")) or data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise UnreadableFileError("only CSV, TSV and XLSX are read: save the sheet as XLSX")
    text, encoding = decode(data)
    delimiter = _sniff(text, name)
    table = _table(_csv_rows(text, delimiter, limits), limits, notes=[])
    table.encoding, table.delimiter = encoding, delimiter
    return table


def decode(data: bytes) -> tuple[str, str]:
    """The text of ``data`` and its encoding's name. UTF-8 (BOM or not) and UTF-16 with a BOM
    are taken as such; anything else is detected. Raises `UnreadableFileError` when nothing
    fits (e.g. binary data)."""
    if data.startswith(b"\xef\xbb\xbf"):
        return _strict(data[3:], "utf-8"), "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return _strict(data, "utf-16"), "utf-16"
    if b"\x00" in data[:4096]:
        raise UnreadableFileError(
            "the file holds binary data (NUL bytes): is it a spreadsheet saved as CSV?"
        )
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    matches = list(from_bytes(data[:1_000_000]))
    if not matches or matches[0].encoding in ("utf_8", "utf-8"):
        raise UnreadableFileError(
            "the file's text encoding cannot be recognised (invalid bytes): save it as UTF-8"
        )
    # Short texts fool the language statistics (two Cyrillic names "look" cp1125 as much as
    # cp1251): among the least chaotic readings, prefer the code pages offices really use.
    least = min(m.chaos for m in matches)
    calm = [m.encoding for m in matches if m.chaos <= least + 0.005]
    encoding = next((e for e in _USUAL_ENCODINGS if e in calm), calm[0])
    return _strict(data, encoding), encoding


def _strict(data: bytes, encoding: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise UnreadableFileError(
            f"the file is not valid {encoding} (invalid bytes at byte {exc.start + 1}): "
            "save it as UTF-8"
        ) from exc


def _sniff(text: str, name: str) -> str:
    if name.endswith((".tsv", ".tab")):
        return "\t"
    sample = text[:64_000]
    counts = {d: _first_lines(sample).count(d) for d in (",", ";", "\t", "|")}
    return max(counts, key=lambda d: counts[d]) if any(counts.values()) else ","


def _first_lines(sample: str) -> str:
    # Title rows have no separators; the header and the first rows show the separator.
    return "\n".join(sample.splitlines()[: HEADER_SEARCH_ROWS + 20])


def _csv_rows(text: str, delimiter: str, limits: Limits) -> Iterator[list[str]]:
    # newline="" semantics: csv handles \r\n, \n and \r, and line breaks inside quotes.
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    csv.field_size_limit(limits.max_cell + 1)
    try:
        yield from reader
    except csv.Error as exc:
        if "field larger" in str(exc):
            raise UnreadableFileError(
                f"row {reader.line_num}: a cell is longer than {limits.max_cell} characters"
            ) from exc
        raise UnreadableFileError(
            f"line {reader.line_num}: broken quoting ({exc}): check the quotes of that line"
        ) from exc


def _xlsx_rows(data: bytes, limits: Limits) -> Iterator[list[str]]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, OSError) as exc:
        raise UnreadableFileError("the file is not an XLSX workbook (a damaged ZIP)") from exc
    names = {i.filename for i in infos}
    if not all(part in names for part in _XLSX_PARTS):
        raise UnreadableFileError("the file is a ZIP but not an XLSX workbook")
    total = sum(i.file_size for i in infos)
    bomb = any(i.file_size > MAX_RATIO * max(i.compress_size, 1) for i in infos)
    if total > MAX_INFLATED_BYTES or bomb:
        raise UnreadableFileError(
            "the workbook inflates to far more than its size (a ZIP bomb?): refused"
        )
    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
        sheet = book.get_sheet_by_index(0)
        rows = sheet.iter_rows()
    except Exception as exc:  # calamine raises its own untyped errors for broken files
        raise UnreadableFileError(f"the workbook cannot be read ({exc})") from exc
    for values in rows:
        yield [_cell_text(v) for v in values]


def _cell_text(value: object) -> str:  # noqa: PLR0911 - one return per cell type
    """A cell as text. Dates become ISO text; whole floats lose their ``.0`` (Excel stores
    every number as a float, and ``42.0`` is the id ``42``)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return format(Decimal(repr(value)), "f")
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ") if value.time() != dt.time() else value.date().isoformat()
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, dt.timedelta):
        return str(value)
    return str(value)


def _table(raw: Iterator[list[str]], limits: Limits, notes: list[str]) -> Table:
    """Find the header below any title rows, then collect the data rows within ``limits``."""
    top: list[tuple[int, list[str]]] = []
    number = 0
    for cells in raw:
        number += 1
        top.append((number, cells))
        if len(top) >= HEADER_SEARCH_ROWS:
            break
    widths = [_width(cells) for _, cells in top]
    if not widths or max(widths) == 0:
        raise UnreadableFileError("the file holds no rows")
    # The header is as wide as most rows near the top (title rows are narrower; one broken
    # row that is wider must not be taken for the header).
    counts = Counter(w for w in widths if w)
    usual = max(counts, key=lambda w: (counts[w], w))
    header_at = next(i for i, w in enumerate(widths) if w >= usual)
    header_row, header_cells = top[header_at]
    width = widths[header_at]
    if width > limits.max_columns:
        raise UnreadableFileError(f"the header has more than {limits.max_columns} columns")
    header = tuple(_clean(c) for c in header_cells[:width])
    table = Table(header=header, rows=[], header_row=header_row, notes=notes)
    if header_row > 1:
        table.notes.append(f"{header_row - 1} title row(s) above the header skipped")
    empty_run = 0
    for row_number, cells in _chain(top[header_at + 1 :], raw, number):
        if _width(cells) == 0:
            empty_run += 1
            if empty_run > limits.max_empty_run:
                table.notes.append(f"stopped after {limits.max_empty_run} empty rows")
                break
            continue
        empty_run = 0
        problem = _check_cells(row_number, cells, width, limits)
        table.rows.append(Row(row_number, _fit(cells, width), problem))
        if len(table.rows) > limits.max_rows:
            raise UnreadableFileError(f"the file has more than {limits.max_rows} rows: split it")
    return table


def _chain(
    first: Sequence[tuple[int, list[str]]], rest: Iterator[list[str]], number: int
) -> Iterator[tuple[int, list[str]]]:
    yield from first
    for cells in rest:
        number += 1
        yield number, cells


def _width(cells: Sequence[str]) -> int:
    """The number of cells up to the last non-empty one (empty trailing columns ignored)."""
    for i in range(len(cells) - 1, -1, -1):
        if cells[i].strip():
            return i + 1
    return 0


def _check_cells(number: int, cells: Sequence[str], width: int, limits: Limits) -> str | None:
    """Raise for a cell over the limit; return why a row is too wide for the header."""
    for cell in cells:
        if len(cell) > limits.max_cell:
            raise UnreadableFileError(
                f"row {number}: a cell is longer than {limits.max_cell} characters"
            )
    if _width(cells) > width:
        return (
            f"has more cells than the header ({_width(cells)} > {width}): a separator inside "
            "an unquoted cell?"
        )
    return None


def _clean(cell: str) -> str:
    return " ".join(cell.replace("\ufeff", "").split())


def _fit(cells: Sequence[str], width: int) -> tuple[str, ...]:
    padded = list(cells[:width]) + [""] * (width - len(cells))
    return tuple(c.strip() for c in padded)

"""How a table's values become cells: the code and label pair of coded columns, locale
numbers, ISO dates, and neutralised text (`ncen.exports.cells`). Shared by the CSV and XLSX
writers so both files hold the same columns.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal

from ncen.exports.cells import neutralise
from ncen.exports.columns import Column, Value

# (column, code) -> the code's label in the reader's language.
Labeller = Callable[[Column, str], str]


def code_only(_column: Column, code: str) -> str:
    """The labeller of the console: the code is its own label."""
    return code


@dataclass(frozen=True)
class CellStyle:
    """The reader's conventions: labels, the decimal symbol and the CSV field separator."""

    label: Labeller = code_only
    decimal: str = "."

    @property
    def delimiter(self) -> str:
        """``;`` when the decimal symbol is a comma (what such spreadsheets expect), else ``,``."""
        return ";" if self.decimal == "," else ","


def header(columns: list[Column]) -> list[str]:
    """The column names: ``<name>_code`` and ``<name>`` for a coded column."""
    names: list[str] = []
    for column in columns:
        names += [f"{column.name}_code", column.name] if column.coded else [column.name]
    return names


def utc(value: datetime) -> datetime:
    """``value`` in UTC (timestamps are stored with their zone; files show UTC)."""
    return value.astimezone(UTC) if value.tzinfo else value


def _number(value: int | Decimal, style: CellStyle) -> str:
    text = str(value) if isinstance(value, int) else format(value.normalize(), "f")
    return text.replace(".", style.decimal)


def _moment(value: date) -> str:
    if isinstance(value, datetime):
        return utc(value).replace(tzinfo=None).isoformat(sep=" ", timespec="seconds")
    return value.isoformat()


def text_of(value: Value, style: CellStyle) -> str:
    """One non-coded value as the text of a CSV cell: numbers in the reader's decimal symbol
    without grouping, timestamps in UTC, dates in ISO 8601, text neutralised."""
    if value is None:
        return ""
    if isinstance(value, int | Decimal):
        return _number(value, style)
    if isinstance(value, date):
        return _moment(value)
    return neutralise(" ".join(value) if isinstance(value, tuple) else str(value))


def coded_texts(column: Column, value: Value, style: CellStyle) -> list[str]:
    """The code and the label cells of a coded column's value."""
    codes = value if isinstance(value, tuple) else (() if value is None else (str(value),))
    return [
        neutralise(" ".join(codes)),
        neutralise("; ".join(style.label(column, c) for c in codes)),
    ]


def row_texts(columns: list[Column], row: list[Value], style: CellStyle) -> list[str]:
    """One row as the texts of its cells, aligned with `header`."""
    cells: list[str] = []
    for column, value in zip(columns, row, strict=True):
        if column.coded:
            cells += coded_texts(column, value, style)
        else:
            cells.append(text_of(value, style))
    return cells

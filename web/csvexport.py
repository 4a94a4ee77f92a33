"""CSV downloads in the user's language, readable by a spreadsheet in that language and by a
script in any.

**The rule** (docs/adding-a-language.md repeats it):

- Every coded value has two columns: ``<name>_code`` with the machine code (``tobacco``,
  ``KZ``, ``2026-01``), never translated, and ``<name>`` with its label in the user's
  language. Column names are fixed ASCII identifiers, the same in every language, so a script
  reads any user's file.
- Numbers are written as the user's locale writes them *in a spreadsheet cell*: its decimal
  symbol (``1.5`` in English, ``1,5`` in French and Russian) and no digit grouping (a grouping
  space would turn the number into text), never rounded.
- Fields are separated by ``;`` when the decimal symbol is a comma (what spreadsheets in those
  locales expect, and a decimal comma then needs no quoting), by ``,`` otherwise.
- UTF-8 with a byte-order mark, so spreadsheets read Cyrillic labels; a cell that starts like
  a formula gets a leading apostrophe (CSV injection).

Record exports (lists, search results, charts) follow the same rule through `web.exports` and
`ncen.exports.cells_format`, which take the decimal symbol from `decimal_symbol` here.
"""

from __future__ import annotations

import csv
import io
import re
from datetime import date
from decimal import Decimal

from babel.dates import format_skeleton
from babel.numbers import get_decimal_symbol
from flask_babel import get_locale

from ncen.analysis.export import plain
from ncen.analysis.statistics import StatTable
from ncen.exports.cells import neutralise
from web.analysis.labels import value_label

_MONTH = re.compile(r"(\d{4})-(\d{2})")


def decimal_symbol() -> str:
    """The user's locale's decimal symbol ("." or ",")."""
    return str(get_decimal_symbol(get_locale()))


def delimiter() -> str:
    """The field separator of the user's CSV files (see the module's rule)."""
    return ";" if decimal_symbol() == "," else ","


def number_cell(value: Decimal | int) -> str:
    """``value`` as a spreadsheet cell in the user's locale: its decimal symbol, no grouping,
    no rounding, no trailing zeros."""
    text = str(value) if isinstance(value, int) else plain(value)
    return text.replace(".", decimal_symbol())


def text_cell(value: str) -> str:
    """``value`` safe from being run as a formula by a spreadsheet (the one rule of
    `ncen.exports.cells`, shared with the record exports)."""
    return neutralise(value)


def _label(dimension: str, value: str) -> str:
    month = _MONTH.fullmatch(value) if dimension == "month" else None
    if month:
        return format_skeleton("yMMM", date(int(month[1]), int(month[2]), 1), locale=get_locale())
    return value_label(dimension, value)


def statistics_rows(table: StatTable) -> list[list[str]]:
    """Header and rows of a statistics table: code and label per dimension, the seizure
    count, one column per unit family (``quantity_<unit code>``, in the family's base unit)."""
    header: list[str] = []
    for name in table.by:
        header += [f"{name}_code", name]
    header.append("seizures")
    header += [f"quantity_{family}" for family in table.families]
    rows = [header]
    for row in table.rows:
        line: list[str] = []
        for name, value in zip(table.by, row.values, strict=True):
            line += [text_cell(value), text_cell(_label(name, value))]
        line.append(number_cell(row.seizures))
        line += [
            number_cell(row.quantities[f]) if f in row.quantities else "" for f in table.families
        ]
        rows.append(line)
    return rows


def to_csv(rows: list[list[str]]) -> bytes:
    """``rows`` as the user's CSV file (UTF-8 with a byte-order mark, CRLF line ends)."""
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter(), lineterminator="\r\n").writerows(rows)
    return buffer.getvalue().encode("utf-8-sig")

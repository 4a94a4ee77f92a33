"""An export as an XLSX workbook, written with XlsxWriter in constant-memory mode.

Sheets: ``handling`` first when the export holds H2 or H3 records (the banner: the notice and
one line per restricted record), then one sheet per record type, then ``links`` for a chart.
Columns are those of the CSV file (`ncen.exports.cells_format.header`). Text is written with
``write_string`` (never parsed as a formula) and neutralised as well, so that a cell copied
into another sheet stays inert; numbers are numbers and timestamps are dates (UTC).
"""

from __future__ import annotations

import io
from datetime import date, datetime
from decimal import Decimal
from typing import IO, Any

import xlsxwriter

from ncen.exports.cells import neutralise
from ncen.exports.cells_format import CellStyle, coded_texts, header, utc
from ncen.exports.columns import Table
from ncen.exports.handling import banner_lines
from ncen.exports.service import Exported

MAX_SHEET_NAME = 31  # Excel's limit
MAX_CELL = 32_767  # characters in one Excel cell; the CSV file keeps longer texts whole
CUT = " [...]"


def _cell(text: str) -> str:
    """``text`` neutralised, and cut with a visible mark where Excel would refuse it."""
    text = neutralise(text)
    return text if len(text) <= MAX_CELL else text[: MAX_CELL - len(CUT)] + CUT


def _write_table(book: Any, sheet: Any, table: Table, style: CellStyle) -> None:
    bold = book.add_format({"bold": True})
    when = book.add_format({"num_format": "yyyy-mm-dd hh:mm:ss"})
    day = book.add_format({"num_format": "yyyy-mm-dd"})
    for col, name in enumerate(header(table.columns)):
        sheet.write_string(0, col, name, bold)
    sheet.freeze_panes(1, 0)
    for r, row in enumerate(table.rows, 1):
        col = 0
        for column, value in zip(table.columns, row, strict=True):
            if column.coded:
                for text in coded_texts(column, value, style):
                    sheet.write_string(r, col, _cell(text))
                    col += 1
                continue
            if value is None:
                pass
            elif isinstance(value, int | Decimal) and not isinstance(value, bool):
                sheet.write_number(r, col, float(value))
            elif isinstance(value, datetime):
                sheet.write_datetime(r, col, utc(value).replace(tzinfo=None), when)
            elif isinstance(value, date):
                sheet.write_datetime(r, col, datetime(value.year, value.month, value.day), day)
            elif isinstance(value, tuple):
                sheet.write_string(r, col, _cell(" ".join(value)))
            else:
                sheet.write_string(r, col, _cell(str(value)))
            col += 1


def xlsx_bytes(exported: Exported, style: CellStyle) -> bytes:
    """The workbook of ``exported`` as bytes."""
    out = io.BytesIO()
    xlsx_write(exported, style, out)
    return out.getvalue()


def xlsx_write(exported: Exported, style: CellStyle, out: IO[bytes]) -> None:
    """Write the workbook of ``exported`` to ``out``. Rows go to temporary files as they come
    (XlsxWriter's constant-memory mode), so a streamed table takes bounded memory."""
    book = xlsxwriter.Workbook(out, {"constant_memory": True})
    banner = banner_lines(exported.handling)
    if banner:
        sheet = book.add_worksheet("handling")
        for r, line in enumerate(banner):
            sheet.write_string(r, 0, _cell(line))
    for table in exported.tables:
        _write_table(book, book.add_worksheet(table.record_type[:MAX_SHEET_NAME]), table, style)
    if exported.edges:
        sheet = book.add_worksheet("links")
        for c, name in enumerate(("source", "label", "target")):
            sheet.write_string(0, c, name)
        for r, edge in enumerate(exported.edges, 1):
            for c, text in enumerate(edge):
                sheet.write_string(r, c, _cell(text))
    book.close()

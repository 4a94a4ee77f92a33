"""An export as a CSV file, in the reader's conventions (the rule of `web.csvexport`).

UTF-8 with a byte-order mark, CRLF line ends, ``;`` between fields where the decimal symbol
is a comma. Restricted records (H2, H3) come first as banner lines, one cell each, above the
header; a chart's several tables follow one another, each after a ``[record_type]`` line, and
its links come last under ``[links]``.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

from ncen.exports.cells import neutralise
from ncen.exports.cells_format import CellStyle, header, row_texts
from ncen.exports.handling import banner_lines
from ncen.exports.service import Exported

# Rows encoded per chunk of the stream: bounded memory whatever the export's size.
CHUNK_ROWS = 500


def csv_chunks(exported: Exported, style: CellStyle) -> Iterator[bytes]:
    """The CSV file of ``exported`` in chunks (stream them; join them for a file)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=style.delimiter, lineterminator="\r\n")

    def drain() -> bytes:
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return text.encode("utf-8")

    yield "\ufeff".encode()
    for line in banner_lines(exported.handling):
        writer.writerow([neutralise(line)])
    several = len(exported.tables) > 1 or exported.edges
    for table in exported.tables:
        if several:
            writer.writerow([f"[{table.record_type}]"])
        writer.writerow(header(table.columns))
        for n, row in enumerate(table.rows, 1):
            writer.writerow(row_texts(table.columns, row, style))
            if n % CHUNK_ROWS == 0:
                yield drain()
    if exported.edges:
        writer.writerow(["[links]"])
        writer.writerow(["source", "label", "target"])
        writer.writerows([[neutralise(c) for c in edge] for edge in exported.edges])
    yield drain()


def csv_bytes(exported: Exported, style: CellStyle) -> bytes:
    """The whole CSV file of ``exported``."""
    return b"".join(csv_chunks(exported, style))

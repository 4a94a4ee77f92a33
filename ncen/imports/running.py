"""Run a spreadsheet import: read, plan, and store every row in the mode the user chose.

`run_import` is the one entry point of the CLI, the upload wizard and the API's import jobs.
It reads the file (`ncen.imports.readers`), checks the mapping against the header, reads each
row through the mapping (`ncen.imports.rows`), validates every row of a chunk in memory with the
record services' own rules, and writes the good rows in batches (`ncen.imports.batching`, over
`ncen.bulk`); a row that updates a stored record goes through the record services
(`ncen.imports.storing`). Each row is stored whole or not at all:

- ``all-or-nothing``: any refused row makes the whole import fail: nothing is written (the
  report still lists every problem, so that the file can be fixed in one pass);
- ``good-rows``: the good rows are stored and the refused ones reported.

A dry run does all of it, then rolls everything back: the report shows what would happen.
The caller owns the transaction; `run_import` never commits, and when the report says
``committed`` is False the caller must roll back (all-or-nothing with problems, or a dry run:
the SAVEPOINT around the whole run is already rolled back, so committing is harmless too).
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Callable
from pathlib import PurePath

from sqlalchemy.orm import Session

from ncen.accounts.actor import Actor
from ncen.audit import drop_pending_since, pending_mark, record_event
from ncen.imports.batching import store_chunk
from ncen.imports.mapping import Mapping, MappingError, check_columns
from ncen.imports.readers import Limits, read_table
from ncen.imports.report import ImportReport, PreviewRow
from ncen.imports.rows import plan_row
from ncen.imports.storing import Recognised, prefetch
from ncen.policy import Action, require
from ncen.sources import MAX_SOURCE

PREVIEW_ROWS = 10
# Rows read and looked up together: one query per record type per chunk finds what earlier
# imports stored, instead of one per row; their good rows are written in batches.
CHUNK_ROWS = 2000


class Mode(enum.StrEnum):
    """What to do with refused rows."""

    ALL_OR_NOTHING = "all-or-nothing"
    GOOD_ROWS = "good-rows"


def default_source(filename: str) -> str:
    """The source of records whose mapping names none: the file's name without its suffix
    (so the next version of ``cases_2019.xlsx`` updates the records of the first)."""
    return (PurePath(filename).stem or "import")[:MAX_SOURCE]


def run_import(
    session: Session,
    actor: Actor,
    file_bytes: bytes,
    filename: str,
    mapping: Mapping,
    *,
    mode: Mode = Mode.ALL_OR_NOTHING,
    dry_run: bool = False,
    limits: Limits | None = None,
    progress: Callable[[int, int], None] = lambda _done, _total: None,
    today: dt.date | None = None,
) -> ImportReport:
    """Import ``file_bytes`` (CSV/TSV/XLSX named ``filename``) through ``mapping``.

    Returns the `ImportReport` (counts per record type, every refused row's problems, a
    preview of the first rows). Raises `PermissionDeniedError` (needs ``IMPORT_RECORDS``),
    `UnreadableFileError` (the file) or `MappingError` (the mapping names columns the file
    lacks); in those cases nothing was written. ``progress(done, total)`` is called per group
    of rows (a chunk).
    Writes, unless the run is dry or refused as a whole: the records (through their services,
    with history, audit, search keys and watch alerts), their links, and one ``import.run``
    audit event with the counts.
    """
    require(actor, Action.IMPORT_RECORDS)
    table = read_table(file_bytes, filename, limits)
    check_columns(mapping, table.header)
    if mapping.main.kind != mapping.record:
        raise MappingError({"record": "does not match the main record"})
    source = mapping.source or default_source(filename)
    report = ImportReport(mapping.record, mode.value, dry_run, rows=len(table.rows))
    report.notes.extend(table.notes)
    if table.encoding:
        report.notes.append(f"encoding {table.encoding}, separator {table.delimiter!r}")
    mark = pending_mark(session)
    outer = session.begin_nested()
    seen = Recognised()
    done = 0
    for start in range(0, len(table.rows), CHUNK_ROWS):
        plans = [
            plan_row(mapping, table, row, today) for row in table.rows[start : start + CHUNK_ROWS]
        ]
        prefetch(session, plans, source, seen)
        for plan in plans[: max(0, PREVIEW_ROWS - len(report.preview))]:
            records = [(r.spec.kind, r.spec.role, r.data) for r in plan.records]
            report.preview.append(PreviewRow(plan.row, records))
        for outcome in store_chunk(session, actor, plans, source, seen):
            if outcome is None:
                report.rows_stored += 1
            else:
                report.problems.extend(outcome.problems)
        done += len(plans)
        progress(done, len(table.rows))
    report.created, report.updated, report.unchanged = seen.created, seen.updated, seen.unchanged
    report.links = seen.links
    refused = bool(report.problems) and mode is Mode.ALL_OR_NOTHING
    if dry_run or refused:
        outer.rollback()
        drop_pending_since(session, mark)
        if refused:
            report.rows_stored = 0
        return report
    outer.commit()
    report.committed = True
    fresh = report.created.get("person", 0) + report.created.get("company", 0)
    if fresh:  # look-alikes that no key recognised: the duplicate scan offers them as pairs
        report.notes.append(
            f"{fresh} new persons and companies wait for the node's duplicate scan, which "
            "offers look-alikes on the Duplicates page"
        )
    record_event(
        session,
        actor,
        "import.run",
        details={
            "file": filename[:200],
            "source": source,
            "record_type": mapping.record,
            "mode": mode.value,
            "rows": report.rows,
            "stored": report.rows_stored,
            "refused": report.refused_rows,
            "created": report.created,
            "updated": report.updated,
        },
    )
    return report

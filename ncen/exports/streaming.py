"""Uncapped exports of a whole list, in batches: bounded memory whatever the list's size.

The console's ``ncen export`` (and the benchmark) use `stream_list` instead of
`ncen.exports.service.export_list`: the records are read ``BATCH`` at a time (``yield_per``)
and let go of once their rows are written, so a million seizures take the memory of a batch.
What must come first in a file is found before streaming: the restricted (H2, H3) records for
the banner, by one query on the same filters, and the count for the audit event. The event is
recorded before the first row is read (filters, count, and the ids when there are at most
`ncen.exports.service.AUDITED_IDS`); with the FtM format each batch's linked records are
audited as they are written. The policy is the service's: ``Action.EXPORT_RECORDS`` and
``Action.READ_RECORDS``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from ncen.accounts.actor import Actor
from ncen.audit import record_event
from ncen.exports.columns import Table, Value
from ncen.exports.ftm import ftm_lines, linked_records
from ncen.exports.handling import RESTRICTED, handling_notes
from ncen.exports.service import AUDITED_IDS, Exported, check_format, without_collections
from ncen.exports.tables import COLUMNS, rows_of
from ncen.policy import Action, require
from ncen.records import RecordMixin

BATCH = 1000


class StreamedList:
    """One list to stream: its batches of records, read once, in the statement's order."""

    def __init__(
        self, session: Session, actor: Actor, record_type: str, statement: Select[Any], fmt: str
    ) -> None:
        self.session, self.actor, self.fmt = session, actor, fmt
        self.record_type, self.statement = record_type, statement
        self.linked: dict[str, list[Any]] | None = None  # the current batch's linked records
        # Called with the size of each batch once it is written (the console's progress bar).
        self.progress: Callable[[int], object] = lambda _n: None

    def batches(self) -> Iterator[list[RecordMixin]]:
        """The records in batches of `BATCH`; each batch leaves the session when the next is
        read, so memory holds one batch."""
        result = self.session.scalars(self.statement.execution_options(yield_per=BATCH))
        for part in result.partitions():
            batch = list(part)
            self.linked = None
            if self.fmt == "ftm" and self.record_type == "seizure":
                self.linked = linked_records(self.session, [s.id for s in batch])
                self._audit_linked(self.linked)
            yield batch
            self.progress(len(batch))
            # Let go of the batch (its child rows go with it: their cascade includes expunge);
            # expunge_all would also drop the identity map that yield_per still reads into.
            for record in batch:
                self.session.expunge(record)

    def rows(self) -> Iterator[list[Value]]:
        """The table rows of every batch."""
        for batch in self.batches():
            yield from rows_of(self.session, self.record_type, batch)

    def ftm(self) -> Iterator[bytes]:
        """The FtM lines of every batch (a record linked to seizures of several batches is
        written once per batch: FtM readers merge entities by id)."""
        for batch in self.batches():
            yield from ftm_lines(self.session, {self.record_type: batch}, self.linked)

    def _audit_linked(self, linked: dict[str, list[Any]]) -> None:
        for key, pairs in linked.items():
            if pairs:
                record_event(
                    self.session, self.actor, f"{key}.export", record_type=key,
                    details={"format": self.fmt, "linked_to": "seizure",
                             "ids": sorted({str(t.id) for _, t in pairs})},
                )  # fmt: skip


def stream_list(
    session: Session,
    actor: Actor,
    record_type: str,
    statement: Select[Any],
    *,
    fmt: str,
    filters: Mapping[str, Any],
) -> tuple[Exported, StreamedList]:
    """An uncapped export of the list ``statement`` selects: an `Exported` whose table rows
    stream (``records`` stays empty), and the `StreamedList` behind it (FtM uses its
    ``ftm()``). Audited as ``<record_type>.export`` before any row is read."""
    require(actor, Action.EXPORT_RECORDS)
    require(actor, Action.READ_RECORDS)
    check_format(fmt)
    model = statement.column_descriptions[0]["entity"]
    unordered = statement.order_by(None).subquery()
    count = session.scalar(select(func.count()).select_from(unordered)) or 0
    restricted = list(session.scalars(statement.where(model.handling_code.in_(RESTRICTED))))
    details: dict[str, Any] = {"format": fmt, "source": "list", "filters": dict(filters)}
    details["count"] = count
    if count <= AUDITED_IDS:
        details["ids"] = [str(i) for i in session.scalars(select(unordered.c.id))]
    record_event(session, actor, f"{record_type}.export", record_type=record_type, details=details)
    statement = without_collections(statement, record_type, fmt)
    streamed = StreamedList(session, actor, record_type, statement, fmt)
    table = Table(record_type, COLUMNS[record_type], streamed.rows())
    exported = Exported(record_type, {}, [table], handling_notes(record_type, restricted))
    exported.streamed_count = count
    return exported, streamed

"""Where an imported record comes from: the source system and the record's id there.

Persons, companies and conveyances imported from another system (a legacy national register,
a spreadsheet, an evaluation set) keep ``source`` (a short name of that system or file series,
chosen by whoever imports) and ``source_id`` (the record's id in it). PostgreSQL keeps the pair
unique among the records of one type (a partial unique index, migration 0025), so that
importing the same record again finds and updates it instead of creating a twin
(`ncen.imports`). A ``source_id`` always needs its ``source``; a ``source`` alone is allowed
(records of a file whose rows have no ids). Records typed in the UI have neither.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy import CheckConstraint, Index, String, select, text
from sqlalchemy.orm import Mapped, Session, mapped_column

from ncen.validation import Checker

MAX_SOURCE = 64
MAX_SOURCE_ID = 128
T = TypeVar("T")


class SourceColumns:
    """The ``source`` and ``source_id`` columns of an importable record type."""

    source: Mapped[str | None] = mapped_column(String(MAX_SOURCE))
    source_id: Mapped[str | None] = mapped_column(String(MAX_SOURCE_ID))
    # A digest of the data the last import gave the record (migration 0028): when the same
    # row comes again, the record is left alone without reading or rewriting it.
    source_digest: Mapped[str | None] = mapped_column(String(64))


def source_constraints(table: str) -> tuple[Any, ...]:
    """The unique index on (source, source_id) and the check that an id names its source."""
    return (
        Index(
            f"uq_{table}_source_source_id",
            "source",
            "source_id",
            unique=True,
            postgresql_where=text("source_id IS NOT NULL"),
        ),
        CheckConstraint("source_id IS NULL OR source IS NOT NULL", name="source_id_needs_source"),
    )


@dataclass(frozen=True, slots=True)
class SourceKey:
    """A record's place in its source system; ``source_id`` None: the source alone is known."""

    source: str
    source_id: str | None


def read_source(c: Checker, default_source: str | None = None) -> SourceKey | None:
    """The ``source`` / ``source_id`` of the data ``c`` reads, validated (one-line text, at
    most `MAX_SOURCE` / `MAX_SOURCE_ID` characters); ``default_source`` stands in for a missing
    ``source``. Errors go to ``c`` (``source_id`` without any source is one). None when
    neither is given."""
    source = c.text("source", max_len=MAX_SOURCE) or default_source
    source_id = c.text("source_id", max_len=MAX_SOURCE_ID)
    if isinstance(c.data.get("source_id"), int) and not isinstance(c.data["source_id"], bool):
        # Ids are often numbers in the source system: 42 and "42" are the same id.
        source_id = str(c.data["source_id"])
        c.errors.pop(c.path("source_id"), None)
    if source_id is not None and source is None:
        c.fail("source_id", "needs a source (the field source, or --source on the command line)")
        return None
    if source is None:
        return None
    return SourceKey(source, source_id)


def find_by_source(session: Session, model: type[T], key: SourceKey) -> T | None:
    """The record of ``model`` imported as ``key`` (deleted ones too), locked for update."""
    if key.source_id is None:
        return None
    column: Any = model
    return session.execute(
        select(model)
        .where(column.source == key.source, column.source_id == key.source_id)
        .with_for_update()
    ).scalar_one_or_none()

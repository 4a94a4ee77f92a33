"""The links of a person or company that a merge moves, and how to put them back.

Each link table is described by the column that points at the record and the columns that,
with it, must stay unique. A link of the merged record that the survivor already has (same
seizure and role, same company and role, same picture) cannot be re-pointed: it is deleted and
kept, whole, in the merge so that unmerge re-inserts it as it was.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import DateTime, Table, Uuid, and_, delete, insert, select, update
from sqlalchemy.orm import Session

from ncen.companies.models import PersonCompany
from ncen.merging.models import Merge
from ncen.pictures.models import PictureLink
from ncen.recordkeeping import jsonable_dict
from ncen.seizures.models import SeizureCompany, SeizurePerson


@dataclass(frozen=True)
class LinkTable:
    """A table of links: ``column`` points at the record, ``key`` are its other unique parts."""

    table: Table
    column: str
    key: tuple[str, ...]


def _table(model: Any) -> Table:
    table: Table = model.__table__
    return table


LINKS: dict[str, tuple[LinkTable, ...]] = {
    "person": (
        LinkTable(_table(SeizurePerson), "person_id", ("seizure_id", "role")),
        LinkTable(_table(PersonCompany), "person_id", ("company_id", "role")),
        LinkTable(_table(PictureLink), "person_id", ("picture_id",)),
    ),
    "company": (
        LinkTable(_table(SeizureCompany), "company_id", ("seizure_id", "role")),
        LinkTable(_table(PersonCompany), "company_id", ("person_id", "role")),
        LinkTable(_table(PictureLink), "company_id", ("picture_id",)),
    ),
}


def link_rows(session: Session, record_type: str, record_id: uuid.UUID) -> dict[str, list[Any]]:
    """Every link row of the record, as JSON, per table, sorted by id (for exact comparison)."""
    result: dict[str, list[Any]] = {}
    for link in LINKS[record_type]:
        rows = session.execute(
            select(link.table).where(link.table.c[link.column] == record_id)
        ).mappings()
        result[link.table.name] = sorted(
            (jsonable_dict(dict(row)) for row in rows), key=lambda r: str(r["id"])
        )
    return result


@dataclass
class Moved:
    """What moving the links did, for the merge row."""

    moved: list[dict[str, Any]]
    dropped: list[dict[str, Any]]


def move_links(
    session: Session, record_type: str, merged_id: uuid.UUID, survivor_id: uuid.UUID
) -> Moved:
    """Re-point every link of ``merged_id`` to ``survivor_id``; drop (and keep) duplicates."""
    result = Moved([], [])
    for link in LINKS[record_type]:
        table, column = link.table, link.table.c[link.column]
        for row in session.execute(select(table).where(column == merged_id)).mappings().all():
            same = and_(column == survivor_id, *(table.c[k] == row[k] for k in link.key))
            if session.execute(select(table.c.id).where(same)).first() is not None:
                session.execute(delete(table).where(table.c.id == row["id"]))
                result.dropped.append({"table": table.name, "row": jsonable_dict(dict(row))})
            else:
                session.execute(
                    update(table).where(table.c.id == row["id"]).values({link.column: survivor_id})
                )
                result.moved.append(
                    {"table": table.name, "id": str(row["id"]), "column": link.column}
                )
    return result


def _tables(record_type: str) -> dict[str, LinkTable]:
    return {link.table.name: link for link in LINKS[record_type]}


def _typed(table: Table, row: dict[str, Any]) -> dict[str, Any]:
    """A JSON row back in the column types (UUIDs, timestamps)."""
    typed: dict[str, Any] = {}
    for name, value in row.items():
        column_type = table.c[name].type
        if value is not None and isinstance(column_type, Uuid):
            typed[name] = uuid.UUID(value)
        elif value is not None and isinstance(column_type, DateTime):
            typed[name] = datetime.fromisoformat(value)
        else:
            typed[name] = value
    return typed


def restore_links(session: Session, merge: Merge) -> None:
    """Undo the `move_links` of ``merge``: moved links point at the merged record again and
    dropped ones come back. A moved link deleted since the merge stays deleted (that deletion
    was its own change)."""
    tables = _tables(merge.record_type)
    merged_id, survivor_id = merge.merged_id, merge.survivor_id
    for entry in merge.moved_links:
        link = tables[entry["table"]]
        column = link.table.c[link.column]
        session.execute(
            update(link.table)
            .where(link.table.c.id == uuid.UUID(entry["id"]), column == survivor_id)
            .values({link.column: merged_id})
        )
    for entry in merge.dropped_links:
        link = tables[entry["table"]]
        session.execute(insert(link.table).values(_typed(link.table, entry["row"])))

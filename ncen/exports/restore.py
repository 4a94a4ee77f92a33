"""Reading a node export (`ncen.exports.nodeformat`) into an empty node: ``ncen import ncen``.

Checks, in order, before anything is kept: the header names the format and a version this
reader knows; the target holds no record (a restore is not a merge: an id that exists twice
would be two truths); every line is JSON naming a table of the format, in the format's table
order; the trailer is there and counts the rows read. Rows are inserted as they are read,
by the database's ``json_populate_record`` (the inverse of the writer's ``row_to_json``), in
one transaction owned by the caller: any refusal raises `ValidationError` and the caller's
rollback leaves nothing behind.

Reference codes already present in the target are kept as they are (``ON CONFLICT DO
NOTHING``); references to users absent from the target become NULL. Audited as
``node.import`` with the row counts.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session

from ncen.accounts.actor import Actor
from ncen.audit import record_event
from ncen.errors import ValidationError
from ncen.exports.nodeformat import ASSIGNED, FORMAT, RECORD_TABLES, TABLES, VERSION, table
from ncen.policy import Action, require

# Rows sent to the server per statement: one round trip per batch, not per row.
BATCH = 1000


def _refuse(line: int, reason: str) -> ValidationError:
    return ValidationError({f"line {line}": reason})


def _insert_sql(name: str) -> str:
    t = table(name)
    columns = [c for c in t.columns if c.computed is None and c.name not in ASSIGNED.get(name, ())]
    names = ", ".join(f'"{c.name}"' for c in columns)
    values = []
    for c in columns:
        if any(fk.column.table.name == "users" for fk in c.foreign_keys):
            # A user of the exporting node: kept only if the same user exists here.
            values.append(f'(SELECT u.id FROM users u WHERE u.id = r."{c.name}") AS "{c.name}"')  # noqa: S608
        else:
            values.append(f'r."{c.name}"')
    conflict = "ON CONFLICT DO NOTHING" if name not in RECORD_TABLES else ""
    # Names come from the mapped tables (`table` refuses others); rows travel as a parameter.
    selected = ", ".join(values)
    source = f'json_populate_recordset(NULL::"{name}", CAST(:rows AS json)) r'
    return f'INSERT INTO "{name}" ({names}) SELECT {selected} FROM {source} {conflict}'  # noqa: S608


def _check_empty(session: Session) -> None:
    for name in RECORD_TABLES:
        if session.execute(text(f'SELECT 1 FROM "{name}" LIMIT 1')).first():  # noqa: S608
            raise ValidationError(
                {"target": f"this node already holds records ({name}): import into an empty node"}
            )


def _header(line: str) -> None:
    try:
        header = json.loads(line)
    except ValueError as exc:
        raise _refuse(1, "not a node export: the first line is not JSON") from exc
    if not isinstance(header, dict) or header.get("format") != FORMAT:
        raise _refuse(1, f"not a node export: the header does not name {FORMAT!r}")
    if header.get("version") != VERSION:
        raise _refuse(1, f"unknown version {header.get('version')!r}: this node reads {VERSION}")


def _item(number: int, line: str) -> dict[str, Any]:
    """Line ``number`` as a JSON object, or `ValidationError`."""
    try:
        item = json.loads(line)
    except ValueError as exc:
        raise _refuse(number, "not JSON") from exc
    if not isinstance(item, dict):
        raise _refuse(number, "not a JSON object")
    return item


class _Loader:
    """Rows gathered per table and sent in batches, tables in the format's order."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.counts: dict[str, int] = dict.fromkeys(TABLES, 0)
        self.pending: list[Any] = []
        self.current: str | None = None

    def flush(self) -> None:
        if self.pending and self.current is not None:
            sql = text(_insert_sql(self.current))
            self.session.execute(sql, {"rows": json.dumps(self.pending)})
            self.pending.clear()

    def add(self, number: int, item: dict[str, Any]) -> None:
        name, row = item.get("table"), item.get("row")
        if name not in TABLES or not isinstance(row, dict):
            raise _refuse(number, "not a row of a table of the format")
        if name != self.current:
            if self.current is not None and TABLES.index(name) < TABLES.index(self.current):
                raise _refuse(number, f"table {name} out of order")
            self.flush()
            self.current = name
        self.pending.append(row)
        self.counts[name] += 1
        if len(self.pending) >= BATCH:
            self.flush()


def import_node(session: Session, actor: Actor, lines: Iterable[bytes | str]) -> dict[str, int]:
    """Insert the node export ``lines`` into this (empty) node; return rows per table.

    Requires ``Action.EXPORT_NODE`` (the console). Raises `ValidationError` naming the line
    of the first problem; the caller rolls back.
    """
    require(actor, Action.EXPORT_NODE)
    _check_empty(session)
    loader = _Loader(session)
    ended = False
    number = 0
    for number, raw in enumerate(lines, 1):
        line = raw.decode("utf-8", errors="replace") if isinstance(raw, bytes) else raw
        if number == 1:
            _header(line)
            continue
        if ended:
            raise _refuse(number, "data after the end line")
        item = _item(number, line)
        if item.get("end") is not True:
            loader.add(number, item)
            continue
        loader.flush()
        if item.get("rows") != sum(loader.counts.values()):
            raise _refuse(number, "the end line counts other rows than the file holds")
        ended = True
    if number == 0:
        raise _refuse(1, "the file is empty")
    if not ended:
        raise _refuse(number, "the file ends before its end line: it was cut short")
    record_event(session, actor, "node.import", details={"format": FORMAT, "rows": loader.counts})
    return loader.counts

"""COPY mapped objects built in memory into their tables, instead of an ORM flush.

The ORM's flush of thousands of new objects spends most of its time building and parsing
multi-row INSERT statements. `copy_objects` writes the same rows with PostgreSQL COPY: for
each object it takes the value of every column as the flush would (the attribute, else the
column's Python default, converted by the column type's bind processor), sets the foreign keys
of the children held in one-to-many collections (names, items...) from their parent, and
copies each table's rows in one COPY, tables in foreign-key order. Statement-level triggers
fire as for INSERT. The objects are not added to the session: the rows are in the
transaction, and later queries read them from the database.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

import psycopg
from psycopg.types.json import Jsonb
from sqlalchemy import JSON, Table, inspect
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.interfaces import ONETOMANY

from ncen.db import Base


@dataclass(frozen=True, slots=True)
class _Column:
    key: str
    default: Callable[[], Any] | None
    process: Callable[[Any], Any] | None


def _default(column: Any) -> Callable[[], Any] | None:
    default = column.default
    if default is None:
        return None
    if default.is_scalar:
        value = default.arg
        return lambda: value
    if default.is_callable:
        function = default.arg
        return lambda: function(None)
    return None


def _processor(column: Any, dialect: Any) -> Callable[[Any], Any] | None:
    if isinstance(column.type, JSON):
        # SQLAlchemy hands JSON to psycopg as parameters; COPY needs the wrapper itself.
        return Jsonb
    processor: Callable[[Any], Any] | None = column.type.bind_processor(dialect)
    return processor


@cache
def _plan(table: Table, mapper: Any, dialect: Any) -> list[tuple[str, _Column]]:
    """The columns COPY writes for ``table`` and how to take each from an object (per table,
    mapper and dialect: computed once per process, not per batch)."""
    return [
        (
            column.name,
            _Column(
                mapper.get_property_by_column(column).key,
                _default(column),
                _processor(column, dialect),
            ),
        )
        for column in table.columns
        # Generated columns and serial keys are the database's to fill.
        if column.computed is None and column is not table.autoincrement_column
    ]


@dataclass(frozen=True, slots=True)
class _Children:
    """One one-to-many collection of a class: its attribute, and the (parent attribute, child
    attribute) pairs of its foreign key."""

    key: str
    pairs: tuple[tuple[str, str], ...]


# Mapped class -> its mapper and one-to-many collections, filled on first use.
_COLLECTIONS: dict[type[Any], tuple[Any, tuple[_Children, ...]]] = {}


def _collections(cls: type[Any]) -> tuple[Any, tuple[_Children, ...]]:
    """The mapper of ``cls`` and its one-to-many collections (computed once per class)."""
    known = _COLLECTIONS.get(cls)
    if known is None:
        known = _COLLECTIONS[cls] = _find_collections(cls)
    return known


def _find_collections(cls: type[Any]) -> tuple[Any, tuple[_Children, ...]]:
    mapper = inspect(cls)
    found = []
    for relationship in mapper.relationships:
        if relationship.direction is not ONETOMANY:
            continue
        child_mapper = relationship.mapper
        pairs = tuple(
            (
                mapper.get_property_by_column(parent_column).key,
                child_mapper.get_property_by_column(child_column).key,
            )
            for parent_column, child_column in relationship.synchronize_pairs
        )
        found.append(_Children(relationship.key, pairs))
    return mapper, tuple(found)


def with_children(objects: Iterable[Any]) -> list[Any]:
    """``objects`` followed by every object in their one-to-many collections (recursively),
    each child's foreign key set from its parent, as the flush would set it."""
    result: list[Any] = list(objects)
    index = 0
    while index < len(result):
        obj = result[index]
        index += 1
        loaded = obj.__dict__
        for children in _collections(type(obj))[1]:
            if children.key not in loaded:
                continue
            for child in loaded[children.key] or ():
                for parent_key, child_key in children.pairs:
                    setattr(child, child_key, getattr(obj, parent_key))
                result.append(child)
    return result


def copy_objects(session: Session, objects: Sequence[Any]) -> int:
    """COPY ``objects`` (and their children, see `with_children`) into their tables, in the
    session's transaction; return the number of rows written. Raises what the database raises
    (`sqlalchemy.exc.IntegrityError` for a unique key taken)."""
    by_table: dict[Table, tuple[Any, list[Any]]] = {}
    for obj in with_children(objects):
        mapper = _collections(type(obj))[0]
        by_table.setdefault(mapper.local_table, (mapper, []))[1].append(obj)
    dialect = session.get_bind().dialect
    written = 0
    for table in Base.metadata.sorted_tables:
        if table not in by_table:
            continue
        mapper, rows = by_table[table]
        plan = _plan(table, mapper, dialect)
        _copy(session, table, [name for name, _ in plan], (_values(obj, plan) for obj in rows))
        written += len(rows)
    return written


def _values(obj: Any, plan: list[tuple[str, _Column]]) -> list[Any]:
    # A new object holds every value it was given in its __dict__: reading it there skips the
    # instrumented attribute (a third of the cost of copying); one never set is None, as the
    # attribute would say.
    loaded = obj.__dict__
    values = []
    for _name, column in plan:
        value = loaded.get(column.key)
        if value is None and column.default is not None:
            value = column.default()
            setattr(obj, column.key, value)
        if column.process is not None and value is not None:
            value = column.process(value)
        values.append(value)
    return values


def copy_dicts(session: Session, table: Table, rows: Sequence[dict[str, Any]]) -> int:
    """COPY ``rows`` (column name -> value, the same columns in every row; omitted columns take
    their server default or sequence) into ``table``; return how many. Values pass the column
    types' bind processors, as in an INSERT."""
    if not rows:
        return 0
    dialect = session.get_bind().dialect
    names = list(rows[0])
    processors = [_processor(table.columns[name], dialect) for name in names]
    _copy(
        session,
        table,
        names,
        (
            [
                value if value is None or process is None else process(value)
                for value, process in zip((row[n] for n in names), processors, strict=True)
            ]
            for row in rows
        ),
    )
    return len(rows)


def _copy(session: Session, table: Table, names: list[str], rows: Iterable[list[Any]]) -> None:
    raw: Any = session.connection().connection.driver_connection
    statement = f"COPY {table.name} ({', '.join(names)}) FROM STDIN"
    try:
        with raw.cursor() as cursor, cursor.copy(statement) as copy:
            for values in rows:
                copy.write_row(values)
    except psycopg.IntegrityError as exc:
        # As an INSERT through SQLAlchemy would report it, so callers catch one error type.
        raise IntegrityError(statement, None, exc) from exc

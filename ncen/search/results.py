"""What every search service returns, the strong-match threshold, and the small helpers the
name searches share.

`STRONG_MATCH` is the one threshold at which a scored name hit (person or company, after its
qualifiers) is called a strong match: the web pages badge it, the CLI marks it, and a name
watch alerts from it by default. It was calibrated by ``benchmarks/bench_search.py`` on the
project's labelled set and on generated negative queries (recombined names, namesakes with
conflicting birth data, other-gender forms): at this value the share of negative queries whose
top hit is strong stays at most 5 % while recall@10 of the positive queries stays at least
0.97 (see docs/search.md, "Strong matches", for the curve and how to re-run it).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from sqlalchemy import BindParameter, ColumnElement, Uuid, any_, bindparam, select
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import InstrumentedAttribute, Session

from ncen.errors import ValidationError
from ncen.persons.models import NameKind

HitT = TypeVar("HitT")

STRONG_MATCH = 0.85


def is_strong(score: float) -> bool:
    """True when ``score`` (a hit's final score, qualifiers applied) is a strong match."""
    return score >= STRONG_MATCH


@dataclass(frozen=True, slots=True)
class SearchResults(Generic[HitT]):
    """The hits of one search, best first; ``examined`` counts the name forms re-ranked."""

    hits: tuple[HitT, ...]
    examined: int


def no_words_error(field: str = "name") -> ValidationError:
    """The error for a query that has letters but no word that can be searched."""
    return ValidationError({field: "enter a name with at least one word to search for"})


def among(column: Any, ids: Sequence[uuid.UUID] | BindParameter[Any]) -> ColumnElement[bool]:
    """``column = ANY(:ids)``: the rows whose UUID ``column`` is one of ``ids``.

    The same rows as ``column.in_(ids)``, sent as one array parameter: an IN list of the
    hundreds of candidates a search ranks is a statement of hundreds of parameters, which
    SQLAlchemy renders and psycopg parses again at every search (neither caches a statement
    of more than 50 parameters), where this one is built and parsed once per process.
    ``ids`` may be `IDS`, for a statement built once.
    """
    if isinstance(ids, BindParameter):
        return column == any_(ids)  # type: ignore[no-any-return]
    return column == any_(bindparam(None, list(ids), type_=ARRAY(Uuid())))  # type: ignore[no-any-return]


# The ids parameter of a statement built once (`among(column, IDS)`), given at execution:
# ``session.execute(statement, {IDS.key: ids})``.
IDS: BindParameter[Any] = bindparam("ncen_ids", type_=ARRAY(Uuid()))


def read(session: Session, statement: Any, params: dict[str, Any]) -> Sequence[Any]:
    """The rows of ``statement`` (a select of columns, no entities), through the session's
    connection: as ``session.execute`` reads them (pending changes flushed first, unless
    autoflush is off), without the ORM's row loading, which costs more than the rows; all
    fetched at once (iterating a result fetches row by row)."""
    if session.autoflush:
        session.flush()
    return session.connection().execute(statement, params).all()


def display_names(
    session: Session,
    model: Any,
    owner: InstrumentedAttribute[uuid.UUID],
    ids: Sequence[uuid.UUID],
) -> dict[uuid.UUID, str]:
    """The display name of each record in ``ids``: its first primary name, else its first name.

    ``model`` is `PersonName` or `CompanyName`; ``owner`` its column pointing at the record.
    """
    if not ids:
        return {}
    statement = _DISPLAY_NAMES.get((model, owner.key))
    if statement is None:
        label = model.full_name if hasattr(model, "full_name") else model.name
        statement = _DISPLAY_NAMES[model, owner.key] = (
            select(owner, label, model.kind)
            .where(among(owner, IDS))
            .order_by(owner, (model.kind == NameKind.PRIMARY).desc(), model.position)
        )
    rows = read(session, statement, {IDS.key: list(ids)})
    names: dict[uuid.UUID, str] = {}
    for record_id, name, _kind in rows:
        names.setdefault(record_id, name)
    return names


# Statements run at every search are built once, their ids a parameter (`IDS`): building and
# fingerprinting a statement costs more than the round trip. By model and owner column.
_DISPLAY_NAMES: dict[tuple[Any, str], Any] = {}

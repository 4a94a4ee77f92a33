"""Loading the HS nomenclature and UN/LOCODE files into the reference tables.

All or nothing: the file is parsed completely inside the caller's transaction, and any bad row
raises `ReferenceFileError` (listing every bad line), so the caller's rollback leaves the tables
as they were. Loading the same file again updates descriptions in place (upsert).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Session

from ncen.accounts.actor import Actor
from ncen.audit import record_event
from ncen.policy import Action, require
from ncen.reference.loaders import (
    Problem,
    ReferenceFileError,
    open_text,
    parse_hs_csv,
    parse_unlocode_csv,
)
from ncen.reference.models import (
    HS_CHAPTERS_LOADED,
    Country,
    HsChapter,
    HsSubheading,
    UnLocode,
)

_BATCH = 5_000


def _upsert(
    session: Session, model: Any, rows: list[dict[str, Any]], update: Iterable[str]
) -> None:
    if not rows:
        return
    stmt = insert(model).values(rows)
    stmt = stmt.on_conflict_do_update(
        index_elements=[model.code], set_={name: stmt.excluded[name] for name in update}
    )
    session.execute(stmt)


def load_hs_file(session: Session, actor: Actor, path: Path, encoding: str = "utf-8") -> int:
    """Load 4- and 6-digit HS codes from ``path`` (in ``encoding``); return how many were loaded.

    Raises `ReferenceFileError` (bytes invalid in ``encoding``, NUL bytes, bad rows, unknown
    chapters) or `PermissionDeniedError`.
    """
    require(actor, Action.MANAGE_REFERENCE)
    chapters = set(session.execute(select(HsChapter.code)).scalars())
    count = 0
    batch: list[dict[str, Any]] = []
    problems: list[Problem] = []
    for row in parse_hs_csv(open_text(path, encoding), source=str(path)):
        if row.chapter not in chapters:
            problems.append(Problem(row.line, f"chapter {row.chapter} is not an HS chapter"))
            continue
        batch.append({"code": row.code, "chapter": row.chapter, "description": row.description})
        if len(batch) >= _BATCH:
            _upsert(session, HsSubheading, batch, ["description"])
            count += len(batch)
            batch = []
    if problems:
        raise ReferenceFileError(str(path), problems)
    _upsert(session, HsSubheading, batch, ["description"])
    count += len(batch)
    session.info.pop(HS_CHAPTERS_LOADED, None)  # cached by seizure validation
    record_event(session, actor, "reference.load_hs", details={"file": path.name, "codes": count})
    return count


def load_locode_file(session: Session, actor: Actor, path: Path, encoding: str = "utf-8") -> int:
    """Load UN/LOCODE locations from the official CSV at ``path``; return how many.

    The official files are ISO-8859-1: pass ``encoding="latin-1"`` for them. Rows of countries
    unknown to the node are reported as problems (nothing is loaded then).
    """
    require(actor, Action.MANAGE_REFERENCE)
    countries = set(session.execute(select(Country.code)).scalars())
    count = 0
    batch: list[dict[str, Any]] = []
    problems: list[Problem] = []
    for row in parse_unlocode_csv(open_text(path, encoding), source=str(path)):
        if row.country not in countries:
            problems.append(Problem(row.line, f"country {row.country} is not a known country"))
            continue
        batch.append(
            {
                "code": row.code,
                "country": row.country,
                "name": row.name,
                "name_ascii": row.name_ascii,
                "subdivision": row.subdivision,
                "function": row.function,
                "coordinates": row.coordinates,
            }
        )
        if len(batch) >= _BATCH:
            _upsert(
                session,
                UnLocode,
                batch,
                ["name", "name_ascii", "subdivision", "function", "coordinates"],
            )
            count += len(batch)
            batch = []
    if problems:
        raise ReferenceFileError(str(path), problems)
    _upsert(
        session, UnLocode, batch, ["name", "name_ascii", "subdivision", "function", "coordinates"]
    )
    count += len(batch)
    record_event(
        session, actor, "reference.load_locode", details={"file": path.name, "locations": count}
    )
    return count

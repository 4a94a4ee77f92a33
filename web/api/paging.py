"""Cursor paging for API lists: keyset pagination with opaque, signed cursors.

A list is ordered by ``(updated_at DESC, id DESC)``; the cursor carries the last row's pair,
signed with the node's secret key (itsdangerous, salted per resource) so that a client can
neither forge nor alter one: a bad cursor is a 400 problem. Keyset paging costs the same on
page 1,000 as on page 1 (an index range scan), and a row changed between two pages moves to
the front instead of being shown twice further down (it may then be missed by a client that
is paging; documented in docs/api.md).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar

from flask import current_app, request
from itsdangerous import BadData, URLSafeSerializer
from sqlalchemy import Select, tuple_
from sqlalchemy.orm import InstrumentedAttribute, Session

from web.api.problems import ApiProblemError

DEFAULT_LIMIT = 50
MAX_LIMIT = 200
T = TypeVar("T")


@dataclass(frozen=True)
class Page:
    """One page of rows and the cursor of the next page (None at the end)."""

    rows: list[Any]
    next_cursor: str | None


def _serializer(resource: str) -> URLSafeSerializer:
    return URLSafeSerializer(current_app.secret_key or "", salt=f"ncen.api.cursor.{resource}")


def page_limit() -> int:
    """The ``limit`` query parameter (1..`MAX_LIMIT`, default `DEFAULT_LIMIT`), or a 400."""
    raw = request.args.get("limit")
    if raw is None:
        return DEFAULT_LIMIT
    # isascii: "²".isdigit() is True but int("²") raises.
    if not (raw.isascii() and raw.isdigit()) or len(raw) > 4 or not 1 <= int(raw) <= MAX_LIMIT:
        raise ApiProblemError(
            400, f"limit must be a whole number from 1 to {MAX_LIMIT}.", kind="paging"
        )
    return int(raw)


def _decode(resource: str, cursor: str) -> tuple[datetime, uuid.UUID]:
    try:
        stamp, key = _serializer(resource).loads(cursor)
        return datetime.fromisoformat(stamp), uuid.UUID(key)
    except (BadData, ValueError, TypeError) as exc:
        raise ApiProblemError(400, "The cursor is not valid for this list.", kind="paging") from exc


def keyset_page(
    session: Session,
    stmt: Select[Any],
    *,
    resource: str,
    updated_at: InstrumentedAttribute[datetime],
    id_column: InstrumentedAttribute[uuid.UUID],
) -> Page:
    """Run ``stmt`` for the page after the request's ``cursor`` (ordering replaced)."""
    limit = page_limit()
    cursor = request.args.get("cursor")
    stmt = stmt.order_by(None).order_by(updated_at.desc(), id_column.desc())
    if cursor:
        if len(cursor) > 500:
            raise ApiProblemError(400, "The cursor is not valid for this list.", kind="paging")
        stamp, key = _decode(resource, cursor)
        stmt = stmt.where(tuple_(updated_at, id_column) < tuple_(stamp, key))
    rows = list(session.execute(stmt.limit(limit + 1)).scalars().unique())
    next_cursor = None
    if len(rows) > limit:
        rows = rows[:limit]
        last = rows[-1]
        next_cursor = _serializer(resource).dumps([last.updated_at.isoformat(), str(last.id)])
    return Page(rows=rows, next_cursor=next_cursor)

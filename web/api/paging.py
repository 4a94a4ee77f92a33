"""Cursor paging for API lists: keyset pagination with opaque, signed cursors.

A list is ordered by ``(updated_at DESC, id DESC)``; the cursor carries the last row's pair,
signed with the node's secret key (itsdangerous, salted per resource) so that a client can
neither forge nor alter one: a bad cursor is a 400 problem. Keyset paging costs the same on
page 1,000 as on page 1 (an index range scan), and a row changed between two pages moves to
the front instead of being shown twice further down (it may then be missed by a client that
is paging; documented in docs/api.md).

A ranked search (persons by name) is not ordered by a key but by score: `ranked_page` pages
through its ordered hits with a signed offset bound to the query.
"""

from __future__ import annotations

import hashlib
import json
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


def _fingerprint(ignored: tuple[str, ...]) -> str:
    """A digest of the request's query string but ``ignored`` keys: a cursor carries it, so
    that it is refused for another query."""
    asked = sorted((k, v) for k, v in request.args.items(multi=True) if k not in ignored)
    return hashlib.sha256(json.dumps(asked, ensure_ascii=True).encode()).hexdigest()[:32]


def ranked_page(rows: list[T], *, resource: str) -> tuple[Page, int]:
    """The page of the request's ``cursor`` over ``rows``, an ordered list (the hits of a
    ranked search, at most a few hundred, rebuilt identically for each page), and its offset.

    The cursor is the signed offset of the next page with the digest of the query: a cursor
    made for another query, altered or forged is a 400. Raises `ApiProblemError`.
    """
    limit = page_limit()
    signer = _serializer(resource)
    digest = _fingerprint(("cursor", "limit"))
    offset: object = 0
    cursor = request.args.get("cursor")
    if cursor:
        try:
            offset, asked = signer.loads(cursor) if len(cursor) <= 500 else (None, None)
        except (BadData, ValueError, TypeError) as exc:
            raise ApiProblemError(
                400, "The cursor is not valid for this list.", kind="paging"
            ) from exc
        if asked != digest or not isinstance(offset, int) or offset < 0:
            raise ApiProblemError(400, "The cursor is not valid for this search.", kind="paging")
    assert isinstance(offset, int)  # checked above; narrows the type
    window = rows[offset : offset + limit]
    following = offset + limit
    next_cursor = signer.dumps([following, digest]) if following < len(rows) else None
    return Page(rows=window, next_cursor=next_cursor), offset

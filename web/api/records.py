"""Shared helpers of the record resources: JSON answers, ids, filters from the query string.

Records are answered as the services' own snapshots (`ncen.persons.services.snapshot`…), the
same plain JSON the history and the exchange use, plus ``id``, ``version``, ``created_at`` and
``updated_at``; a received record carries its ``origin_node``. Filters come from the query
string into the domain's filter dataclasses, whose constructors validate the text
(`ncen.validation.check_filter_texts`), so a bad filter is a 422 like a bad field.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from flask import Response, request

from ncen.policy import Action, require
from ncen.recordkeeping import get_live, jsonable_dict
from ncen.records import RecordMixin
from web.api.paging import Page
from web.api.problems import ApiProblemError
from web.api.routing import api_actor
from web.api.versions import with_etag
from web.db import get_session

T = TypeVar("T")


def ensure_may_update(model: type[RecordMixin], record_type: str, record_id: uuid.UUID) -> None:
    """Refuse (403/404) before looking at If-Match or the body, as the edit page does.

    The service checks the same rule again inside the write's own transaction; this early
    check only makes the answer not depend on what else the request got wrong.
    """
    db = get_session()
    with db.begin():
        record = get_live(db, model, record_id, record_type)
        require(api_actor(), Action.UPDATE_RECORD, record)


def json_response(body: Mapping[str, Any], status: int = 200) -> Response:
    """A JSON answer (UTF-8, not ASCII-escaped)."""
    return Response(
        json.dumps(body, ensure_ascii=False), status=status, mimetype="application/json"
    )


def record_body(record: RecordMixin, snapshot: Mapping[str, Any]) -> dict[str, Any]:
    """``snapshot`` with the record's identity, version and times."""
    body = jsonable_dict(snapshot)
    body.pop("deleted", None)  # deleted records are never answered
    return {
        "id": str(record.id),
        "version": record.version,
        "created_at": record.created_at.isoformat(),
        "updated_at": record.updated_at.isoformat(),
        **body,
    }


def record_response(
    record: RecordMixin, snapshot: Mapping[str, Any], status: int = 200, **extra: Any
) -> Response:
    """The record as JSON with its ETag."""
    return with_etag(
        json_response({**record_body(record, snapshot), **extra}, status), record.version
    )


def page_response(page: Page, item: Callable[[Any], dict[str, Any]]) -> Response:
    """A page of list items with the cursor of the next page."""
    return json_response(
        {"items": [item(row) for row in page.rows], "next_cursor": page.next_cursor}
    )


def query_text(name: str) -> str | None:
    """A query-string filter, stripped; None when absent or empty."""
    value = request.args.get(name)
    if value is None:
        return None
    return value.strip() or None


def query_choice(name: str, choices: Callable[[str], T]) -> T | None:
    """A query-string value converted by ``choices`` (an enum); 422 when not one of them."""
    value = query_text(name)
    if value is None:
        return None
    try:
        return choices(value)
    except ValueError as exc:
        raise ApiProblemError(
            422,
            "A filter is refused; see errors.",
            kind="validation",
            errors={name: "is not one of the allowed values"},
        ) from exc


def query_int(name: str, *, minimum: int, maximum: int) -> int | None:
    """A whole-number filter within bounds; 422 otherwise."""
    value = query_text(name)
    if value is None:
        return None
    if (
        not (value.isascii() and value.isdigit())
        or len(value) > 9
        or not minimum <= int(value) <= maximum
    ):
        raise ApiProblemError(
            422,
            "A filter is refused; see errors.",
            kind="validation",
            errors={name: f"must be a whole number from {minimum} to {maximum}"},
        )
    return int(value)


def query_bool(name: str) -> bool | None:
    """``true``/``false`` filter; 422 otherwise."""
    value = query_text(name)
    if value is None:
        return None
    if value not in {"true", "false"}:
        raise ApiProblemError(
            422,
            "A filter is refused; see errors.",
            kind="validation",
            errors={name: "must be true or false"},
        )
    return value == "true"

"""The audit of searches: who looked up whom, with the query typed and the records shown.

Every search writes one event whose details hold the query under ``query`` (a key of
`ncen.audittrail.NOMINAL_DETAIL_KEYS`, so only auditors read it) and, under ``shown``, the ids
of the records that were shown, by record type. The domain searches write it themselves for
what they return; a caller that shows only part of the results, or combines several searches
on one page (the one box), passes ``audit=False`` to each search and writes one event for
the page with `record_search` instead, naming exactly what the page showed.
"""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy.orm import Session

from ncen.accounts.actor import Actor
from ncen.audit import record_event

MAX_QUERY_FIELDS = 30
MAX_VALUE = 300  # characters kept of each value typed (searches refuse longer text anyway)


def _clean(value: object) -> str:
    # NUL and lone surrogates cannot be stored in PostgreSQL JSON (nor hashed into the chain):
    # each becomes a replacement mark; what the user typed is kept otherwise.
    text = str(value)[:MAX_VALUE].encode("utf-8", "replace").decode("utf-8")
    return text.replace("\x00", "\ufffd")


def describe_query(query: object) -> dict[str, str]:
    """The fields of a query dataclass that are set, as text (``options`` apart)."""
    described: dict[str, str] = {}
    for item in dataclasses.fields(query):  # type: ignore[arg-type]
        value = getattr(query, item.name)
        if item.name == "options" or value is None or value in {"", ()}:
            continue
        if isinstance(value, tuple):
            value = ", ".join(str(v) for v in value)
        described[item.name] = _clean(value)
    return described


def record_search(
    session: Session,
    actor: Actor,
    action: str,
    *,
    query: Mapping[str, object],
    shown: Mapping[str, Iterable[uuid.UUID | str]],
    details: Mapping[str, Any] | None = None,
) -> None:
    """Write the one audit event of a search page (``action``, e.g. ``search.persons``).

    ``query`` is what was asked (form fields as typed; at most `MAX_QUERY_FIELDS` kept, each
    cut to `MAX_VALUE` characters), ``shown`` the ids of the records shown by record type, and
    ``details`` anything else worth keeping (page number, totals, switches).
    """
    asked = {_clean(k): _clean(v) for k, v in list(query.items())[:MAX_QUERY_FIELDS]}
    ids = {kind: [str(i) for i in found] for kind, found in shown.items()}
    record_event(session, actor, action, details={**(details or {}), "query": asked, "shown": ids})

"""``GET /api/v1/persons?name=...``: ranked person search, the advanced search page's service.

With a ``name`` the person list becomes the name search of `ncen.search.persons`
(`search_persons`: every script and spelling, scores, explanations) with the qualifiers and
filters of the advanced search page, read by `ncen.search.query.person_query` exactly as the
page reads them: ``birth_year`` and ``nationality`` rank matches (``*_mode=qualifier``, the
default) or keep only matches (``*_mode=filter``, with ``birth_year_tolerance``); the range
``birth_year_from``/``birth_year_to``; ``gender`` keeps one gender; ``include_unknown`` keeps
persons whose filtered fact is unknown; ``document`` qualifies by a document number;
``transliteration``/``phonetic`` (default true) switch matching on or off; ``foreign`` keeps
received or national records only. The best `MAX_LIMIT` matches are paged with a signed cursor
(`web.api.paging.ranked_page`). Each call is audited as the page is: one ``search.persons``
event with the query as asked and the ids of the persons answered.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from flask import Response, request
from sqlalchemy import select
from sqlalchemy.orm import Session, lazyload, selectinload

from ncen.persons.models import Person
from ncen.search.auditing import record_search
from ncen.search.persons import search_persons
from ncen.search.query import MAX_LIMIT, person_query
from ncen.search.results import is_strong
from ncen.validation import check_filter_texts
from web.api.paging import ranked_page
from web.api.records import page_response, query_bool, query_text
from web.api.routing import api_actor
from web.db import get_session

# The query parameters of a ranked search, besides name (OpenAPI and docs/api.md).
SEARCH_QUERY = (
    ("birth_year_mode", "string", "with name: qualifier (ranks, default) or filter (keeps)"),
    ("birth_year_tolerance", "integer", "with name and birth_year_mode=filter: ± years (0-10)"),
    ("birth_year_from", "integer", "with name: born in or after this year"),
    ("birth_year_to", "integer", "with name: born in or before this year"),
    ("nationality_mode", "string", "with name: qualifier (ranks, default) or filter (keeps)"),
    ("include_unknown", "boolean", "with name: filters keep persons whose value is unknown"),
    ("transliteration", "boolean", "with name: match across scripts (default true)"),
    ("phonetic", "boolean", "with name: match by sound (default true)"),
)
_PASSED = (
    "birth_year",
    "birth_year_mode",
    "birth_year_tolerance",
    "birth_year_from",
    "birth_year_to",
    "nationality",
    "nationality_mode",
)


def _switch(name: str) -> bool:
    value = query_bool(name)
    return True if value is None else value


def _persons(db: Session, ids: list[uuid.UUID]) -> dict[uuid.UUID, Person]:
    stmt = (
        select(Person)
        .where(Person.id.in_(ids), Person.deleted_at.is_(None))
        .options(
            selectinload(Person.nationalities),
            lazyload(Person.addresses),
            lazyload(Person.contacts),
            lazyload(Person.documents),
        )
    )
    return {p.id: p for p in db.execute(stmt).scalars().unique()}


def ranked_persons(name: str, item: Callable[[Person], dict[str, Any]]) -> Response:
    """One page of the ranked matches of ``name`` and the request's qualifiers; each item is
    ``item(person)`` with ``score``, ``strong`` and ``explanation``. Raises `ApiProblemError`
    or `ValidationError` (422 naming the parameter)."""
    asked = {k: v for k, v in request.args.items() if k != "cursor"}
    check_filter_texts(asked)
    document = query_text("document")
    foreign = query_bool("foreign")
    include_unknown = query_bool("include_unknown") or False
    query = person_query(
        name=name,
        only_gender=query_text("gender"),
        include_unknown=include_unknown,
        document_numbers=(document,) if document else (),
        transliteration=_switch("transliteration"),
        phonetic=_switch("phonetic"),
        limit=MAX_LIMIT,
        **{key: request.args.get(key) for key in _PASSED},
    )
    actor = api_actor()
    db = get_session()
    with db.begin():
        hits = list(search_persons(db, actor, query, audit=False).hits)
        persons = _persons(db, [h.person_id for h in hits])
        hits = [
            h
            for h in hits
            if h.person_id in persons
            and (foreign is None or (persons[h.person_id].origin_node is not None) == foreign)
        ]
        page, offset = ranked_page(hits, resource="person-search")
        record_search(
            db,
            actor,
            "search.persons",
            query=asked,
            shown={"person": [h.person_id for h in page.rows]},
            details={"results": len(hits), "offset": offset, "via": "api"},
        )

        def scored(hit: Any) -> dict[str, Any]:
            return {
                **item(persons[hit.person_id]),
                "score": round(hit.score, 3),
                "strong": is_strong(hit.score),
                "explanation": hit.explanation.as_dict(),
            }

        return page_response(page, scored)

"""``/api/v1/persons``: list and search, read, create and update persons.

The same services as the person pages: `list_statement` with `PersonFilters`, `read_person`
(audited as ``person.read``), `create_person`, `update_person` (version-checked). Every list
call is audited as ``person.list`` with its filters, as the list page is. With ``name`` the
list is the ranked name search of the advanced search page (`web.api.personsearch`).
"""

from __future__ import annotations

import uuid
from typing import Any

from flask import Blueprint, request
from flask.typing import ResponseReturnValue
from sqlalchemy.orm import lazyload

from ncen.persons import services
from ncen.persons.models import Gender, Person
from ncen.persons.queries import PersonFilters, list_statement, read_person
from ncen.policy import Action
from ncen.reading import note_read
from web.api.bodies import json_body
from web.api.paging import keyset_page
from web.api.personsearch import SEARCH_QUERY, ranked_persons
from web.api.problems import ApiProblemError
from web.api.records import (
    ensure_may_update,
    page_response,
    query_bool,
    query_choice,
    query_int,
    query_text,
    record_response,
)
from web.api.routing import Operation, api_actor, api_view
from web.api.versions import expected_version
from web.db import get_session

FILTERS = (
    ("name", "string", "a name in any script: ranked search (score, explanation; see below)"),
    ("document", "string", "an identity document number (exact, normalised)"),
    ("nationality", "string", "ISO 3166-1 alpha-2 code (with name: see nationality_mode)"),
    ("gender", "string", "F, M, X (other) or U (unknown)"),
    ("birth_year", "integer", "year of birth (with name: see birth_year_mode)"),
    ("foreign", "boolean", "true: received from other nodes only; false: national only"),
)


def person_item(person: Person) -> dict[str, Any]:
    """A person in a list: enough to choose which one to read."""
    return {
        "id": str(person.id),
        "version": person.version,
        "display_name": person.display_name,
        "birth_year": person.birth_year,
        "gender": person.gender.value,
        "nationalities": sorted(n.country for n in person.nationalities),
        "handling_code": person.handling_code.value,
        "handling_restrictions": person.handling_restrictions,
        "origin_node": person.origin_node,
        "updated_at": person.updated_at.isoformat(),
    }


def register(bp: Blueprint) -> None:
    """Add the person routes to ``bp``."""

    @api_view(
        bp,
        "/persons",
        Operation(
            "GET",
            "List persons, or rank them by name with score and explanation (audited)",
            "persons",
            Action.READ_RECORDS,
            write=False,
            response="PersonPage",
            query=FILTERS + SEARCH_QUERY,
            paged=True,
        ),
    )
    def list_persons() -> ResponseReturnValue:
        name = query_text("name")
        if name is not None:
            return ranked_persons(name, person_item)
        for key, _kind, _text in SEARCH_QUERY:
            if key in request.args:
                raise ApiProblemError(
                    422,
                    "A filter is refused; see errors.",
                    kind="validation",
                    errors={key: "applies to a name search only: give name"},
                )
        filters = PersonFilters(
            name=query_text("name"),
            document=query_text("document"),
            nationality=query_text("nationality"),
            gender=query_choice("gender", Gender),
            birth_year=query_int("birth_year", minimum=1, maximum=9999),
            foreign=query_bool("foreign"),
        )
        db = get_session()
        with db.begin():
            note_read(db, api_actor(), "person", details={**filters.describe(), "via": "api"})
            stmt = list_statement(filters).options(
                lazyload(Person.addresses), lazyload(Person.contacts), lazyload(Person.documents)
            )
            page = keyset_page(
                db, stmt, resource="persons", updated_at=Person.updated_at, id_column=Person.id
            )
            return page_response(page, person_item)

    @api_view(
        bp,
        "/persons/<uuid:person_id>",
        Operation(
            "GET",
            "Read one person with its seizures and companies (audited)",
            "persons",
            Action.READ_RECORDS,
            write=False,
            response="Person",
            versioned=True,
        ),
    )
    def get_person(person_id: uuid.UUID) -> ResponseReturnValue:
        db = get_session()
        with db.begin():
            detail = read_person(db, api_actor(), person_id)
            return record_response(
                detail.person,
                services.snapshot(detail.person),
                seizures=[
                    {"id": str(s.id), "reference": s.reference, "role": role}
                    for s, role in detail.seizures
                ],
                companies=[
                    {"id": str(c.id), "name": c.display_name, "role": role}
                    for _link, c, role in detail.companies
                ],
            )

    @api_view(
        bp,
        "/persons",
        Operation(
            "POST",
            "Record a person",
            "persons",
            Action.CREATE_RECORDS,
            write=True,
            response="Person",
            body="PersonInput",
            statuses=(201,),
        ),
    )
    def create_person() -> ResponseReturnValue:
        data = json_body()
        db = get_session()
        with db.begin():
            person = services.create_person(db, api_actor(), data)
            response = record_response(person, services.snapshot(person), status=201)
            response.headers["Location"] = f"/api/v1/persons/{person.id}"
        return response

    @api_view(
        bp,
        "/persons/<uuid:person_id>",
        Operation(
            "PUT",
            "Replace a person's fields (If-Match required)",
            "persons",
            Action.UPDATE_RECORD,
            write=True,
            response="Person",
            body="PersonInput",
            versioned=True,
        ),
    )
    def update_person(person_id: uuid.UUID) -> ResponseReturnValue:
        ensure_may_update(Person, "person", person_id)
        version = expected_version()
        data = json_body()
        db = get_session()
        with db.begin():
            person = services.update_person(db, api_actor(), person_id, version, data)
            return record_response(person, services.snapshot(person))

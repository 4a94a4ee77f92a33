"""Hostile API bodies: every one is a 4xx problem, never a 500, and nothing is written."""

from __future__ import annotations

import json

import pytest
from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ncen.accounts.models import Role
from ncen.persons.models import Person
from tests import factories
from tests.api_support import call, make_token
from tests.web_support import make_user, tx

NAME = "Алиев Мухаммад"


def _person(full_name: object) -> bytes:
    return json.dumps(factories.person_data(names=[{"full_name": full_name}])).encode()


RAW_BODIES = {
    "broken utf-8": (b'{"names": [{"full_name": "\xff\xfe"}]}', 400),
    "not json": (b"{names: 1", 400),
    "NaN": (b'{"birth_year": NaN, "names": [{"full_name": "A B"}]}', 400),
    "huge integer": (b'{"birth_year": ' + b"9" * 5000 + b', "names": []}', 400),
    "huge float": (b'{"birth_year": 1e999, "names": []}', 400),
    "deep nesting": (b'{"a": ' + b"[" * 10_000 + b"]" * 10_000 + b"}", 400),
    "array body": (b"[1, 2]", 422),
    "string body": (b'"hello"', 422),
    "empty body": (b"", 400),
    "NUL in a name": (_person("Ali\u0000ev"), 422),
    "bidi control in a name": (_person("Ali\u202eev"), 422),
    "number as a name": (_person(12), 422),
    "object as names": (json.dumps({"names": {"full_name": NAME}}).encode(), 422),
    "bad nationality": (json.dumps(factories.person_data(nationalities=["ZZ"])).encode(), 422),
    "bad birth year": (json.dumps(factories.person_data(birth_year="1e9")).encode(), 422),
}


def _count(db: Session) -> int:
    with tx(db):
        return int(db.execute(select(func.count()).select_from(Person)).scalar_one())


@pytest.mark.parametrize("case", sorted(RAW_BODIES))
def test_hostile_bodies_are_refused(case: str, client: FlaskClient, db: Session) -> None:
    token = make_token(db, make_user(db, Role.INVESTIGATOR))
    before = _count(db)
    body, status = RAW_BODIES[case]
    response = call(
        client,
        "POST",
        "/persons",
        token,
        data=body,
        headers={"Content-Type": "application/json"},
    )
    assert response.status_code == status, response.text
    assert response.mimetype == "application/problem+json"
    assert _count(db) == before


def test_wrong_media_type_and_oversized_body(client: FlaskClient, db: Session) -> None:
    token = make_token(db, make_user(db, Role.INVESTIGATOR))
    form = call(client, "POST", "/persons", token, data={"names": NAME})
    assert form.status_code == 415
    big = json.dumps(factories.person_data(description="x" * 300_000))
    oversized = call(
        client, "POST", "/persons", token, data=big, headers={"Content-Type": "application/json"}
    )
    assert oversized.status_code == 413
    assert oversized.mimetype == "application/problem+json"


@pytest.mark.parametrize(
    "query",
    [
        {"limit": "²"},
        {"limit": "１２"},
        {"birth_year": "²"},
        {"name": "x" * 100_000},
        {"cursor": "é" * 10},
        {"gender": "\x00"},
    ],
)
def test_hostile_query_strings_are_4xx(
    query: dict[str, str], client: FlaskClient, db: Session
) -> None:
    token = make_token(db, make_user(db, Role.ANALYST), scope="read")
    response = call(client, "GET", "/persons", token, query_string=query)
    assert 400 <= response.status_code < 500, (query, response.text)
    assert response.mimetype == "application/problem+json"


def test_raw_broken_query_and_headers_are_4xx(client: FlaskClient, db: Session) -> None:
    token = make_token(db, make_user(db, Role.INVESTIGATOR))
    broken = client.get("/api/v1/persons?name=%FF%FE", headers={"Authorization": f"Bearer {token}"})
    assert broken.status_code in {200, 422}  # replaced characters: found nothing, or refused
    for header in ("Bearer \u00e9\u00e9", "Bearer " + "x" * 10_000, "Bearer", "bearer  "):
        response = client.get("/api/v1/persons", headers={"Authorization": header})
        assert response.status_code == 401
    person = make_token(db, make_user(db, Role.SUPERVISOR))
    created = call(client, "POST", "/persons", person, json=factories.person_data())
    person_id = created.get_json()["id"]
    for if_match in ('"²"', '"１"', "*", '""', '"1", "2"', "W/", '"' + "9" * 40 + '"'):
        response = call(
            client,
            "PUT",
            f"/persons/{person_id}",
            person,
            json=factories.person_data(),
            headers={"If-Match": if_match},
        )
        assert response.status_code in {400, 412}, (if_match, response.text)


SEIZURE_FIELDS = {
    "lone surrogate": {"place": "\ud800"},
    "huge float time": {"occurred_at": 1e308},
    "time as object": {"occurred_at": {"$date": 1}},
    "items not a list": {"items": "tobacco"},
    "too many items": {"items": [{"commodity_group": "tobacco"}] * 600},
    "unknown code": {"transport_mode": "teleport"},
    "negative quantity": {"items": [{"commodity_group": "tobacco", "quantity": "-1"}]},
    "huge quantity": {"items": [{"commodity_group": "tobacco", "quantity": "9" * 29}]},
    "bool grade": {"information_grade": True},
}


@pytest.mark.parametrize("case", sorted(SEIZURE_FIELDS))
def test_hostile_seizure_fields_are_422(case: str, client: FlaskClient, db: Session) -> None:
    token = make_token(db, make_user(db, Role.INVESTIGATOR))
    body = {**factories.seizure_data(), **SEIZURE_FIELDS[case]}
    response = call(client, "POST", "/seizures", token, json=body)
    assert response.status_code == 422, response.text
    assert response.get_json()["errors"]

"""The REST API over records: reads (audited), writes with ETag/If-Match, cursor paging."""

from __future__ import annotations

import uuid
from typing import Any

from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ncen.accounts.models import Role
from ncen.audit import AuditEvent
from tests import factories
from tests.api_support import call, make_token
from tests.web_support import make_record, make_user, tx


def _last_event(db: Session) -> int:
    with tx(db):
        return int(db.execute(select(func.coalesce(func.max(AuditEvent.id), 0))).scalar_one())


def _events_since(db: Session, last: int) -> list[AuditEvent]:
    with tx(db):
        stmt = select(AuditEvent).where(AuditEvent.id > last).order_by(AuditEvent.id)
        return list(db.execute(stmt).scalars())


def test_person_create_read_update_with_versions(client: FlaskClient, db: Session) -> None:
    user = make_user(db, Role.INVESTIGATOR)
    token = make_token(db, user)

    created = call(client, "POST", "/persons", token, json=factories.person_data())
    assert created.status_code == 201, created.text
    body = created.get_json()
    assert created.headers["ETag"] == '"1"'
    assert created.headers["Location"] == f"/api/v1/persons/{body['id']}"
    assert body["version"] == 1
    assert body["names"][0]["full_name"] == "Алиев Мухаммад Ибрагимович"

    before = _last_event(db)
    read = call(client, "GET", f"/persons/{body['id']}", token)
    assert read.status_code == 200
    assert read.headers["ETag"] == '"1"'
    assert read.get_json()["nationalities"] == ["KZ", "UZ"]
    reads = [e for e in _events_since(db, before) if e.action == "person.read"]
    assert [(e.actor_id, e.record_id) for e in reads] == [(user.id, body["id"])]

    changed = factories.person_data(birth_year=1985)
    missing = call(client, "PUT", f"/persons/{body['id']}", token, json=changed)
    assert missing.status_code == 428
    assert missing.mimetype == "application/problem+json"
    stale = call(
        client, "PUT", f"/persons/{body['id']}", token, json=changed, headers={"If-Match": '"7"'}
    )
    assert stale.status_code == 412
    assert stale.get_json()["current_version"] == 1
    bad = call(
        client, "PUT", f"/persons/{body['id']}", token, json=changed, headers={"If-Match": "one"}
    )
    assert bad.status_code == 400
    updated = call(
        client, "PUT", f"/persons/{body['id']}", token, json=changed, headers={"If-Match": '"1"'}
    )
    assert updated.status_code == 200, updated.text
    assert updated.headers["ETag"] == '"2"'
    assert updated.get_json()["birth_year"] == 1985
    again = call(
        client, "PUT", f"/persons/{body['id']}", token, json=changed, headers={"If-Match": '"1"'}
    )
    assert again.status_code == 412


def test_validation_errors_name_the_fields(client: FlaskClient, db: Session) -> None:
    token = make_token(db, make_user(db, Role.INVESTIGATOR))
    response = call(client, "POST", "/persons", token, json={"names": [], "nationalities": ["ZZ"]})
    assert response.status_code == 422
    errors = response.get_json()["errors"]
    assert "names" in errors
    assert "nationalities.0" in errors or "nationalities" in errors


def test_seizure_create_read_update_and_owner_rule(client: FlaskClient, db: Session) -> None:
    author = make_user(db, Role.INVESTIGATOR)
    token = make_token(db, author)
    created = call(client, "POST", "/seizures", token, json=factories.seizure_data())
    assert created.status_code == 201, created.text
    seizure = created.get_json()
    assert seizure["status"] == "draft"
    assert seizure["reference"].startswith("SZ-")

    read = call(client, "GET", f"/seizures/{seizure['id']}", token)
    assert read.status_code == 200
    assert read.get_json()["items"][0]["commodity_group"] == "tobacco"

    changed = factories.seizure_data(place="Dostyk rail station")
    updated = call(
        client,
        "PUT",
        f"/seizures/{seizure['id']}",
        token,
        json=changed,
        headers={"If-Match": read.headers["ETag"]},
    )
    assert updated.status_code == 200, updated.text
    assert updated.get_json()["place"] == "Dostyk rail station"

    # Another investigator may read it but not change it (the UI's record-level rule).
    other = make_token(db, make_user(db, Role.INVESTIGATOR))
    assert call(client, "GET", f"/seizures/{seizure['id']}", other).status_code == 200
    refused = call(
        client,
        "PUT",
        f"/seizures/{seizure['id']}",
        other,
        json=changed,
        headers={"If-Match": updated.headers["ETag"]},
    )
    assert refused.status_code == 403


def test_lists_page_with_signed_cursors(client: FlaskClient, db: Session) -> None:
    author = make_user(db, Role.INVESTIGATOR)
    made = {str(make_record(db, author, "person").id) for _ in range(5)}
    token = make_token(db, make_user(db, Role.ANALYST), scope="read")
    seen: list[str] = []
    cursor = None
    pages = 0
    while True:
        query = {"limit": "2", **({"cursor": cursor} if cursor else {})}
        response = call(client, "GET", "/persons", token, query_string=query)
        assert response.status_code == 200, response.text
        body = response.get_json()
        seen += [item["id"] for item in body["items"]]
        pages += 1
        cursor = body["next_cursor"]
        if cursor is None:
            break
    assert made <= set(seen)
    assert len(seen) == len(set(seen))  # no row twice
    assert pages >= 3

    first = call(client, "GET", "/persons", token, query_string={"limit": "1"}).get_json()
    tampered = first["next_cursor"][:-2] + (
        "AA" if not first["next_cursor"].endswith("AA") else "BB"
    )
    for bad in (tampered, "garbage", "x" * 600):
        response = call(client, "GET", "/persons", token, query_string={"cursor": bad})
        assert response.status_code == 400
        assert response.mimetype == "application/problem+json"
    # A cursor of one list is not valid for another.
    assert (
        call(
            client, "GET", "/seizures", token, query_string={"cursor": first["next_cursor"]}
        ).status_code
        == 400
    )
    for limit in ("0", "201", "-1", "ten", "9" * 30):
        response = call(client, "GET", "/persons", token, query_string={"limit": limit})
        assert response.status_code == 400


def test_list_filters_are_validated_and_audited(client: FlaskClient, db: Session) -> None:
    author = make_user(db, Role.INVESTIGATOR)
    make_record(db, author, "person")
    user = make_user(db, Role.ANALYST)
    token = make_token(db, user, scope="read")
    before = _last_event(db)
    found = call(client, "GET", "/persons", token, query_string={"name": "Aliev"})
    assert found.status_code == 200
    assert any(
        "Aliev" in item["display_name"] or "Алиев" in item["display_name"]
        for item in found.get_json()["items"]
    )
    (event,) = [e for e in _events_since(db, before) if e.action == "search.persons"]
    assert event.actor_id == user.id
    assert event.details["query"]["name"] == "Aliev"
    assert event.details["shown"]["person"] == [i["id"] for i in found.get_json()["items"]]
    before = _last_event(db)
    listed = call(client, "GET", "/persons", token, query_string={"gender": "M"})
    assert listed.status_code == 200
    (event,) = [e for e in _events_since(db, before) if e.action == "person.list"]
    assert event.details["gender"] == "M"
    for query in (
        {"name": "a\u202eb"},
        {"name": "a\x00b"},
        {"gender": "Q"},
        {"foreign": "yes"},
        {"birth_year": "99999999999"},
    ):
        response = call(client, "GET", "/persons", token, query_string=query)
        assert response.status_code == 422, (query, response.text)
    assert (
        call(
            client, "GET", "/seizures", token, query_string={"date_from": "2024-13-01"}
        ).status_code
        == 422
    )


def test_companies_and_conveyances_read(client: FlaskClient, db: Session) -> None:
    author = make_user(db, Role.INVESTIGATOR)
    company = make_record(db, author, "company")
    conveyance = make_record(db, author, "conveyance")
    token = make_token(db, make_user(db, Role.EXCHANGE_OFFICER), scope="read")
    listed = call(client, "GET", "/companies", token).get_json()["items"]
    assert str(company.id) in {item["id"] for item in listed}
    read = call(client, "GET", f"/companies/{company.id}", token)
    assert read.status_code == 200
    assert read.get_json()["registration_number"] == "120 540 012 345"
    by_id = call(
        client, "GET", "/conveyances", token, query_string={"identifier": "CSQU3054383"}
    ).get_json()["items"]
    assert [item["id"] for item in by_id] == [str(conveyance.id)]
    assert call(client, "GET", f"/conveyances/{conveyance.id}", token).status_code == 200
    assert call(client, "GET", f"/conveyances/{uuid.uuid4()}", token).status_code == 404


def test_deleted_records_are_not_found(client: FlaskClient, db: Session) -> None:
    from ncen.accounts.actor import Actor
    from ncen.persons.services import delete_person

    supervisor = make_user(db, Role.SUPERVISOR)
    person = make_record(db, supervisor, "person")
    with tx(db):
        delete_person(db, Actor.of(supervisor), person.id, person.version)
    token = make_token(db, supervisor)
    assert call(client, "GET", f"/persons/{person.id}", token).status_code == 404
    items: list[dict[str, Any]] = call(client, "GET", "/persons", token).get_json()["items"]
    assert str(person.id) not in {item["id"] for item in items}

"""Duplicate and watch-list pages: candidates, compare, merge and unmerge through the forms,
the ledger, watching names and records, alerts with the unread badge, errors next to fields."""

from __future__ import annotations

from collections.abc import Callable

from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from ncen.accounts.models import Role, User
from ncen.merging.models import Merge
from ncen.persons.models import Person
from tests.functional.conftest import post_form
from tests.web_support import make_record, make_user, tx


def _twins(db: Session) -> tuple[Person, Person]:
    author = make_user(db, Role.INVESTIGATOR)
    a = make_record(db, author, "person")
    b = make_record(db, author, "person", names=[{"full_name": "Mukhamad Aliyev"}])
    return a, b


def test_supervisor_merges_and_unmerges_from_the_pages(
    client: FlaskClient, signed_in: Callable[..., User], db: Session
) -> None:
    signed_in(Role.SUPERVISOR)
    a, b = _twins(db)
    listing = client.get("/duplicates?type=person")
    assert listing.status_code == 200
    assert "Mukhamad Aliyev" in listing.text
    compare = f"/duplicates/compare/person/{a.id}/{b.id}"
    page = client.get(compare)
    assert page.status_code == 200
    assert 'id="merge-form"' in page.text
    merged = post_form(
        client,
        "/duplicates/merge",
        {
            "record_type": "person",
            "first": str(a.id),
            "second": str(b.id),
            "first_version": "1",
            "second_version": "1",
            "survivor": "first",
            "note": "same passport",
        },
    )
    assert merged.status_code == 302
    assert merged.location.endswith(f"/persons/{a.id}")
    assert client.get(f"/persons/{b.id}").status_code == 404
    with tx(db):
        merge_id = db.execute(select(Merge.id)).scalar_one()
    ledger = client.get("/duplicates/decisions")
    assert "same passport" in ledger.text
    assert "Unmerge" in ledger.text
    undone = post_form(client, f"/duplicates/merges/{merge_id}/unmerge", {})
    assert undone.status_code == 302
    assert client.get(f"/persons/{b.id}").status_code == 200


def test_not_same_hides_the_pair(
    client: FlaskClient, signed_in: Callable[..., User], db: Session
) -> None:
    signed_in(Role.SUPERVISOR)
    a, b = _twins(db)
    assert "Mukhamad Aliyev" in client.get("/duplicates").text
    response = post_form(
        client,
        "/duplicates/decide",
        {"record_type": "person", "first": str(a.id), "second": str(b.id), "decision": "not_same"},
    )
    assert response.status_code == 302
    assert "Mukhamad Aliyev" not in client.get("/duplicates").text


def test_analysts_see_candidates_but_cannot_merge(
    client: FlaskClient, signed_in: Callable[..., User], db: Session
) -> None:
    signed_in(Role.ANALYST)
    a, b = _twins(db)
    page = client.get(f"/duplicates/compare/person/{a.id}/{b.id}")
    assert page.status_code == 200
    assert 'id="merge-form"' not in page.text


def test_watch_a_name_and_see_the_alert_with_the_badge(
    client: FlaskClient, signed_in: Callable[..., User], db: Session
) -> None:
    signed_in(Role.ANALYST)
    assert 'id="alerts-badge"' in client.get("/watch").text
    added = post_form(client, "/watch", {"kind": "name", "value": "Mohammed Aliyev"})
    assert added.status_code == 302
    author = make_user(db, Role.INVESTIGATOR)
    person = make_record(db, author, "person", names=[{"full_name": "Мухаммад Алиев"}])
    alerts = client.get("/watch/alerts")
    assert alerts.status_code == 200
    assert f"/persons/{person.id}" in alerts.text
    assert "transliteration" in alerts.text
    assert '<span class="badge text-bg-danger" id="alerts-badge"' in alerts.text
    post_form(client, "/watch/alerts/read", {})
    assert '<span class="badge text-bg-secondary" id="alerts-badge"' in client.get("/watch").text


def test_bad_watch_keeps_the_input_and_names_the_field(
    client: FlaskClient, signed_in: Callable[..., User]
) -> None:
    signed_in(Role.ANALYST)
    response = post_form(
        client, "/watch", {"kind": "name", "value": "Hans Mueller", "threshold": "3"}
    )
    assert response.status_code == 400
    assert 'value="Hans Mueller"' in response.text
    assert "between 0.5 and 1" in response.text


def test_watch_button_on_record_pages(
    client: FlaskClient, signed_in: Callable[..., User], db: Session
) -> None:
    signed_in(Role.SUPERVISOR)
    author = make_user(db, Role.INVESTIGATOR)
    company = make_record(db, author, "company")
    page = client.get(f"/companies/{company.id}")
    assert "watch-button" in page.text
    response = post_form(
        client, "/watch/record", {"record_type": "company", "record_id": str(company.id)}
    )
    assert response.status_code == 302
    assert f"/companies/{company.id}" in client.get("/watch").text
    assert "Stop watching" in client.get(f"/companies/{company.id}").text


def test_investigators_have_no_watch_button_or_badge(
    client: FlaskClient, signed_in: Callable[..., User], db: Session
) -> None:
    user = signed_in(Role.INVESTIGATOR)
    person = make_record(db, user, "person")
    page = client.get(f"/persons/{person.id}")
    assert "watch-button" not in page.text
    assert "alerts-badge" not in page.text

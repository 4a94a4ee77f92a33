"""Person, company and conveyance pages: lists (filtered, sorted, audited), record pages with
every linked seizure and its role, history, new and edit forms (rows, conflicts, errors next to
their fields, escaping), deletion, and the 404/403 answers."""

from __future__ import annotations

import uuid
from collections.abc import Callable

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from ncen.accounts.actor import Actor
from ncen.accounts.models import Role, User
from ncen.audit import AuditEvent
from ncen.companies.models import Company
from ncen.companies.services import update_company
from ncen.persons.models import Person
from ncen.seizures.services import link_entity
from tests.factories import company_data
from tests.functional.conftest import post_form
from tests.web_support import csrf_token, make_record, make_user, tx

AREAS = ("persons", "companies", "conveyances")
KIND = {"persons": "person", "companies": "company", "conveyances": "conveyance"}


def _events(db: Session, user: User, action: str) -> list[dict[str, object]]:
    with tx(db):
        return list(
            db.execute(
                select(AuditEvent.details).where(
                    AuditEvent.action == action, AuditEvent.actor_id == user.id
                )
            ).scalars()
        )


def test_person_list_filters_and_is_audited(
    client: FlaskClient, signed_in: Callable[..., User], db: Session
) -> None:
    user = signed_in(Role.ANALYST)
    author = make_user(db, Role.INVESTIGATOR)
    make_record(db, author, "person")
    make_record(
        db,
        author,
        "person",
        names=[{"full_name": "Anna <i>Berg</i>"}],
        birth_year=1990,
        nationalities=["SE"],
        documents=[],
    )
    page = client.get("/persons")
    assert page.status_code == 200
    assert "2 persons" in page.text
    assert "Anna &lt;i&gt;Berg&lt;/i&gt;" in page.text
    assert "1 person" in client.get("/persons?name=berg&nationality=SE").text
    assert "1 person" in client.get("/persons?document=N12345678").text
    assert "Алиев" in client.get("/persons?birth_year=1984&gender=M").text
    by_year = client.get("/persons?sort=birth_year&dir=asc").text
    assert by_year.index("Алиев") < by_year.index("Anna")
    assert client.get("/persons?birth_year=abc").status_code == 400
    assert {"name": "berg", "nationality": "SE"} in _events(db, user, "person.list")


def test_company_and_conveyance_lists(
    client: FlaskClient, signed_in: Callable[..., User], db: Session
) -> None:
    signed_in(Role.EXCHANGE_OFFICER)
    author = make_user(db, Role.INVESTIGATOR)
    make_record(db, author, "company")
    make_record(db, author, "conveyance")
    companies = client.get("/companies?number=120540012345&country=KZ")
    assert "1 company" in companies.text
    assert "0 companies" in client.get("/companies?name=nothing-like-it").text
    conveyances = client.get("/conveyances?identifier=csqu3054383&kind=container")
    assert "1 conveyance" in conveyances.text
    assert "CSQU3054383" in conveyances.text
    assert client.get("/conveyances?dir=asc").status_code == 200


@pytest.mark.parametrize("area", AREAS)
def test_record_page_lists_linked_seizures_with_roles(
    area: str, client: FlaskClient, signed_in: Callable[..., User], db: Session
) -> None:
    user = signed_in(Role.SUPERVISOR)
    record = make_record(db, user, KIND[area])
    seizure = make_record(db, user, "seizure")
    role = {"persons": "courier", "companies": "importer", "conveyances": "container"}[area]
    with tx(db):
        link_entity(
            db, Actor.of(user), seizure.id, 1, kind=KIND[area], target_id=record.id, role=role
        )
    page = client.get(f"/{area}/{record.id}")
    assert page.status_code == 200
    assert seizure.reference in page.text
    assert {"persons": "Courier", "companies": "Importer", "conveyances": "Container"}[area] in (
        page.text
    )
    assert f"/{area}/{record.id}/edit" in page.text  # a supervisor may edit
    history = client.get(f"/{area}/{record.id}/history")
    assert history.status_code == 200
    assert "1 version" in history.text
    assert "Created" in history.text
    assert [e["view"] for e in _events(db, user, f"{KIND[area]}.read") if "view" in e] == [
        "history"
    ]


def test_person_edit_keeps_rows_and_places_errors(
    client: FlaskClient, signed_in: Callable[..., User], db: Session
) -> None:
    user = signed_in(Role.INVESTIGATOR)
    person = make_record(db, user, "person")
    page = client.get(f"/persons/{person.id}/edit")
    assert 'value="Алиев Мухаммад Ибрагимович"' in page.text
    assert 'value="N 1234-5678"' in page.text
    assert 'name="version" type="hidden" value="1"' in page.text
    data = {
        "csrf_token": csrf_token(page.text),
        "version": "1",
        "names-0-full_name": "",
        "names-1-full_name": "Mukhammad <Aliev>",
        "names-1-kind": "transliteration",
        "gender": "M",
        "birth_year": "1984",
        "birth_month": "13",
        "documents-0-doc_type": "passport",
        "documents-0-number": "N 1234-5678",
        "contacts-0-kind": "email",
        "contacts-0-value": "not-an-address",
        "handling_code": "H0",
        "row_action": "add:addresses",
    }
    added = client.post(f"/persons/{person.id}/edit", data=data)
    assert 'name="addresses-1-line"' in added.text
    assert 'value="Mukhammad &lt;Aliev&gt;"' in added.text
    del data["row_action"]
    refused = client.post(f"/persons/{person.id}/edit", data=data)
    assert refused.status_code == 200
    assert "month 13 does not exist" in refused.text
    assert "is not an e-mail address" in refused.text
    assert 'value="not-an-address"' in refused.text
    data.update({"birth_month": "7", "contacts-0-value": "m.aliev@example.org"})
    saved = client.post(f"/persons/{person.id}/edit", data=data, follow_redirects=True)
    assert "Changes saved." in saved.text
    assert "Mukhammad &lt;Aliev&gt;" in saved.text
    with tx(db):
        db.expire_all()
        stored = db.get(Person, person.id)
        assert [n.full_name for n in stored.names] == ["Mukhammad <Aliev>"]
        assert stored.version == 2


def test_company_conflict_keeps_input(
    client: FlaskClient, signed_in: Callable[..., User], db: Session
) -> None:
    user = signed_in(Role.SUPERVISOR)
    company = make_record(db, user, "company")
    page = client.get(f"/companies/{company.id}/edit")
    with tx(db):
        update_company(db, Actor.of(user), company.id, 1, company_data(tax_number="TX-1"))
    response = client.post(
        f"/companies/{company.id}/edit",
        data={
            "csrf_token": csrf_token(page.text),
            "version": "1",
            "names-0-name": "Renamed Ltd",
            "names-0-kind": "primary",
            "country": "KZ",
            "aeo_status": "none",
            "handling_code": "H0",
        },
    )
    assert response.status_code == 409
    assert "TX-1" in response.text
    assert 'value="Renamed Ltd"' in response.text
    with tx(db):
        db.expire_all()
        assert db.get(Company, company.id).display_name != "Renamed Ltd"


def test_new_records_from_the_forms(
    client: FlaskClient, signed_in: Callable[..., User], db: Session
) -> None:
    signed_in(Role.INVESTIGATOR)
    person = post_form(
        client,
        "/persons/new",
        {"names-0-full_name": "Dana Example", "names-0-kind": "primary", "gender": "F"},
    )
    assert person.status_code == 302
    company = post_form(client, "/companies/new", {"names-0-name": ""})
    assert company.status_code == 200
    assert "a company needs at least one name" in company.text
    container = post_form(
        client,
        "/conveyances/new",
        {
            "kind": "container",
            "identifiers-0-kind": "container",
            "identifiers-0-value": "CSQU3054384",  # wrong check digit
        },
    )
    assert container.status_code == 200
    assert 'id="identifiers-0-value"' in container.text
    assert "CSQU3054384" in container.text
    assert "is-invalid" in container.text


def test_investigator_cannot_edit_records_of_others_and_supervisor_deletes(
    client: FlaskClient, signed_in: Callable[..., User], db: Session, app
) -> None:
    from tests.functional.conftest import sign_in

    signed_in(Role.INVESTIGATOR)
    other = make_record(db, make_user(db, Role.INVESTIGATOR), "conveyance")
    assert client.get(f"/conveyances/{other.id}/edit").status_code == 403
    assert f"/conveyances/{other.id}/edit" not in client.get(f"/conveyances/{other.id}").text
    boss = app.test_client()
    sign_in(boss, make_user(db, Role.SUPERVISOR))
    page = boss.get(f"/conveyances/{other.id}")
    deleted = boss.post(
        f"/conveyances/{other.id}/delete",
        data={"csrf_token": csrf_token(page.text), "version": "1"},
        follow_redirects=True,
    )
    assert "Conveyance deleted." in deleted.text
    assert boss.get(f"/conveyances/{other.id}").status_code == 404


@pytest.mark.parametrize("area", AREAS)
def test_unknown_ids_are_404_and_administrators_are_refused(
    area: str, client: FlaskClient, signed_in: Callable[..., User], db: Session
) -> None:
    signed_in(Role.SUPERVISOR)
    for suffix in ("", "/history", "/edit"):
        response = client.get(f"/{area}/{uuid.uuid4()}{suffix}")
        assert response.status_code == 404
        assert "Traceback" not in response.text
    record = make_record(db, make_user(db, Role.INVESTIGATOR), KIND[area])
    admin = make_user(db, Role.ADMINISTRATOR)
    post_form(client, "/auth/sign-out", {})
    from tests.functional.conftest import sign_in

    sign_in(client, admin)
    assert client.get(f"/{area}").status_code == 403
    assert client.get(f"/{area}/{record.id}").status_code == 403

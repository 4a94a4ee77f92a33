"""The participant pickers' search-as-you-type endpoint (``GET /seizures/picker/<kind>?q=``):
JSON ``[{id, label}]`` from the list queries, plain-text labels, at most 20, audited like a
list page, empty for an empty or over-long query, for recorders only; the pages carry what
``static/app.js`` needs and load Tom Select from this node."""

from __future__ import annotations

from collections.abc import Callable

from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from ncen.accounts.models import Role, User
from ncen.audit import AuditEvent
from tests.web_support import make_record, tx


def _list_events(db: Session, user: User, action: str) -> list[dict[str, object]]:
    with tx(db):
        query = select(AuditEvent.details).where(
            AuditEvent.action == action, AuditEvent.actor_id == user.id
        )
        return list(db.execute(query).scalars())


def test_companies_persons_and_conveyances_are_found_and_audited(
    client: FlaskClient, signed_in: Callable[..., User], db: Session
) -> None:
    user = signed_in(Role.INVESTIGATOR)
    company = make_record(db, user, "company", names=[{"name": "Jade <b>Route</b> Trading"}])
    make_record(db, user, "company", names=[{"name": "Other Freight"}])
    person = make_record(db, user, "person", names=[{"full_name": "Bolat Nurlanov"}])
    response = client.get("/seizures/picker/company?q=jade")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    found = response.get_json()
    assert [item["id"] for item in found] == [str(company.id)]
    # Plain text: the browser escapes it (Tom Select renders labels as text).
    assert found[0]["label"].startswith("Jade <b>Route</b> Trading")
    assert set(found[0]) == {"id", "label"}
    assert {"picker": "yes", "name": "jade"} in _list_events(db, user, "company.list")

    people = client.get("/seizures/picker/person?q=nurlan").get_json()
    assert [item["id"] for item in people] == [str(person.id)]
    assert {"picker": "yes", "name": "nurlan"} in _list_events(db, user, "person.list")
    assert client.get("/seizures/picker/conveyance?q=zzz-none").get_json() == []
    assert client.get("/seizures/picker/vessel?q=a").status_code == 404


def test_at_most_twenty_results(
    client: FlaskClient, signed_in: Callable[..., User], db: Session
) -> None:
    user = signed_in(Role.SUPERVISOR)
    for number in range(22):
        make_record(db, user, "company", names=[{"name": f"Many Traders {number}"}])
    found = client.get("/seizures/picker/company?q=many traders").get_json()
    assert len(found) == 20


def test_empty_or_over_long_query_gives_an_empty_list(
    client: FlaskClient, signed_in: Callable[..., User], db: Session
) -> None:
    user = signed_in(Role.INVESTIGATOR)
    make_record(db, user, "company")
    for query in ("", "?q=", "?q=%20%20", "?q=" + "a" * 201):
        response = client.get("/seizures/picker/company" + query)
        assert response.status_code == 200
        assert response.get_json() == []
    assert _list_events(db, user, "company.list") == []


def test_only_recorders_may_search(
    client: FlaskClient, signed_in: Callable[..., User], db: Session
) -> None:
    assert client.get("/seizures/picker/person?q=a").status_code in (302, 303)
    signed_in(Role.ANALYST)
    assert client.get("/seizures/picker/person?q=a").status_code == 403


def test_pages_load_tom_select_locally_and_mark_the_pickers(
    client: FlaskClient, signed_in: Callable[..., User], db: Session
) -> None:
    signed_in(Role.INVESTIGATOR)
    page = client.get("/seizures/new").text
    assert 'src="/vendor/tom-select.complete.min.js"' in page
    assert 'href="/vendor/tom-select.bootstrap5.min.css"' in page
    assert 'data-picker-url="/seizures/picker/company"' in page
    assert 'data-picker-name="companies-0-existing_id"' in page
    assert page.count('data-search="on"') >= 3  # the countries
    for name in ("tom-select.complete.min.js", "tom-select.bootstrap5.min.css"):
        response = client.get(f"/vendor/{name}")
        response.close()  # a file response holds the file open until closed
        assert response.status_code == 200
    assert client.get("/vendor/tom-select.js").status_code == 404


def test_the_link_page_has_the_picker_too(
    client: FlaskClient, signed_in: Callable[..., User], db: Session
) -> None:
    user = signed_in(Role.INVESTIGATOR)
    seizure = make_record(db, user, "seizure")
    page = client.get(f"/seizures/{seizure.id}/link?kind=conveyance")
    assert page.status_code == 200
    assert 'data-picker-url="/seizures/picker/conveyance"' in page.text
    assert 'data-picker-name="entry-existing_id"' in page.text

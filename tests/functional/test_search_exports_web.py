"""Exports of search results on the web: the company search, the seizure search and the one box
each have an Export control that keeps the query, and their files hold the results in the
search's order, neutralise formulas, carry the handling banner, are audited with the query and
the ids exported, and refuse a result larger than the cap."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable

from flask.testing import FlaskClient
from openpyxl import load_workbook
from sqlalchemy import select
from sqlalchemy.orm import Session

from ncen.accounts.models import Role, User
from ncen.audit import flush_events
from ncen.audit.events import AuditEvent
from ncen.exports import service
from tests.web_support import make_record, make_user


def _events(db: Session, action: str) -> list[AuditEvent]:
    flush_events(db)
    return list(db.scalars(select(AuditEvent).where(AuditEvent.action == action)))


def _csv_rows(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def test_company_search_results_export_neutralised_and_audited(
    client: FlaskClient, signed_in: Callable[..., User], db: Session
) -> None:
    user = signed_in(Role.ANALYST)
    recorder = make_user(db, Role.INVESTIGATOR)
    formula = make_record(
        db, recorder, "company", names=[{"name": "=Silk Road Trading"}], handling_code="H2"
    )
    make_record(db, recorder, "company", names=[{"name": "Altyn Kazyna Holding"}])
    page = client.get("/search/companies?q=Silk+Road")
    assert page.status_code == 200
    assert 'href="/exports/search/companies.csv?q=Silk+Road"' in page.text
    response = client.get("/exports/search/companies.csv?q=Silk+Road")
    assert response.status_code == 200, response.text
    assert response.headers["Content-Disposition"] == 'attachment; filename="company-search.csv"'
    rows = _csv_rows(response.data)
    assert rows[0][0].startswith("HANDLING RESTRICTIONS APPLY TO THIS FILE: H2")
    header = next(r for r in rows if r and r[0] == "id")
    body = rows[rows.index(header) + 1 :]
    ids = [r[0] for r in body]
    assert str(formula.id) in ids
    assert all("Altyn" not in cell for r in body for cell in r)
    assert any(cell.startswith("'=Silk Road Trading") for r in body for cell in r)
    assert not any(cell.startswith("=") for r in body for cell in r)
    (event,) = _events(db, "company.export")
    assert event.actor_id == user.id
    assert event.details["source"] == "search"
    assert event.details["query"] == {"q": "Silk Road"}
    assert event.details["ids"] == ids
    # The search needs words, as its page does.
    assert client.get("/exports/search/companies.csv").status_code == 400


def test_seizure_search_results_export_in_order_with_the_handling_sheet(
    client: FlaskClient, signed_in: Callable[..., User], db: Session
) -> None:
    user = signed_in(Role.INVESTIGATOR)
    heroin = make_record(
        db, user, "seizure", narrative="Heroin in the spare tyre.", handling_code="H2"
    )
    make_record(db, user, "seizure")
    page = client.get("/search/seizures?q=heroin&departure_country=CN")
    assert page.status_code == 200
    assert "/exports/search/seizures.xlsx?q=heroin&amp;departure_country=CN" in page.text
    response = client.get("/exports/search/seizures.xlsx?q=heroin&departure_country=CN")
    assert response.status_code == 200, response.text
    book = load_workbook(io.BytesIO(response.data))
    assert book.sheetnames == ["handling", "seizure"]
    assert "H2" in str(book["handling"]["A1"].value)
    sheet = book["seizure"]
    assert [c.value for c in sheet["A"]][1:] == [str(heroin.id)]
    (event,) = _events(db, "seizure.export")
    assert event.details["query"] == {"q": "heroin", "departure_country": "CN"}
    assert event.details["ids"] == [str(heroin.id)]
    assert event.details["format"] == "xlsx"


def test_seizure_search_export_refuses_bad_filters_and_too_many_rows(
    client: FlaskClient, signed_in: Callable[..., User], db: Session, monkeypatch
) -> None:
    user = signed_in(Role.SUPERVISOR)
    make_record(db, user, "seizure")
    make_record(db, user, "seizure")
    bad = client.get("/exports/search/seizures.csv?hs_chapter=x")
    assert bad.status_code in {400, 422}
    assert "two digits" in bad.text
    assert client.get("/exports/search/seizures.pdf").status_code == 404
    monkeypatch.setattr(service, "MAX_ROWS", 1)
    response = client.get("/exports/search/seizures.csv")  # no words: every seizure
    assert response.status_code in {400, 422}
    assert "narrow the filters" in response.text
    assert _events(db, "seizure.export") == []


def test_one_box_results_export_every_group(
    client: FlaskClient, signed_in: Callable[..., User], db: Session
) -> None:
    user = signed_in(Role.INVESTIGATOR)
    petrov = make_record(
        db, user, "person", names=[{"full_name": "Ivan Petrov", "kind": "primary"}]
    )
    driven = make_record(db, user, "seizure", narrative="Petrov drove the truck to the border.")
    make_record(db, user, "seizure")
    container = make_record(db, user, "conveyance")
    page = client.get("/search?q=Petrov")
    assert 'href="/exports/search.csv?q=Petrov"' in page.text
    response = client.get("/exports/search.csv?q=Petrov")
    assert response.status_code == 200, response.text
    rows = _csv_rows(response.data)
    assert ["[person]"] in rows
    assert ["[seizure]"] in rows
    person_rows = rows[rows.index(["[person]"]) + 2 : rows.index(["[seizure]"])]
    seizure_rows = rows[rows.index(["[seizure]"]) + 2 :]
    assert [r[0] for r in person_rows] == [str(petrov.id)]
    assert [r[0] for r in seizure_rows] == [str(driven.id)]
    (person_event,) = _events(db, "person.export")
    (seizure_event,) = _events(db, "seizure.export")
    assert person_event.details["query"] == {"q": "Petrov"}
    assert seizure_event.details["ids"] == [str(driven.id)]
    # An identifier names its record exactly.
    found = client.get("/exports/search.csv?q=CSQU3054383")
    assert found.status_code == 200, found.text
    assert str(container.id) in found.data.decode("utf-8-sig")
    assert client.get("/exports/search.csv?q=").status_code == 400
    assert client.get("/exports/search.csv?q=%00").status_code in {400, 422}


def test_roles_without_export_see_no_control(
    client: FlaskClient, signed_in: Callable[..., User], db: Session
) -> None:
    signed_in(Role.EXCHANGE_OFFICER)
    assert client.get("/exports/search/seizures.csv").status_code == 403
    assert "/exports/search/seizures" not in client.get("/search/seizures?q=tiles").text

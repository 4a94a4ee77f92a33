"""The Export control on the web: links keep the list's filters, CSV in the reader's language,
XLSX of a saved chart with its links, person search results, the size cap, refused roles."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable

from flask import Flask
from flask.testing import FlaskClient
from openpyxl import load_workbook
from sqlalchemy import select
from sqlalchemy.orm import Session

from ncen.accounts.actor import Actor
from ncen.accounts.models import Role, User
from ncen.analysis.charts import save_chart
from ncen.audit import flush_events
from ncen.audit.events import AuditEvent
from ncen.exports import service
from ncen.investigations.services import open_case
from ncen.seizures.services import link_entity
from tests.functional.conftest import sign_in
from tests.web_support import make_record, make_user, tx


def _people(db: Session, user: User) -> tuple[object, object]:
    petrov = make_record(
        db, user, "person", names=[{"full_name": "Ivan Petrov", "kind": "primary"}]
    )
    other = make_record(
        db, user, "person", names=[{"full_name": "Anna Sidorova", "kind": "primary"}],
        handling_code="H2",
    )  # fmt: skip
    return petrov, other


def test_list_export_keeps_filters_in_the_reader_s_language(
    client: FlaskClient, signed_in: Callable[..., User], db: Session
) -> None:
    user = signed_in(Role.INVESTIGATOR, locale="fr")
    petrov, _other = _people(db, user)
    page = client.get("/persons?name=Petrov&page=1").text
    assert 'href="/exports/persons.csv?name=Petrov"' in page
    response = client.get("/exports/persons.csv?name=Petrov")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"] == 'attachment; filename="persons.csv"'
    assert response.data.startswith("\ufeff".encode())
    rows = list(csv.DictReader(io.StringIO(response.data.decode("utf-8-sig")), delimiter=";"))
    assert [r["id"] for r in rows] == [str(petrov.id)]  # type: ignore[attr-defined]
    assert rows[0]["nationalities_code"] == "KZ UZ"
    assert rows[0]["nationalities"] == "Kazakhstan; Ouzbékistan"
    assert rows[0]["gender"] == "Homme"
    flush_events(db)
    event = db.scalars(select(AuditEvent).where(AuditEvent.action == "person.export")).one()
    assert event.actor_id == user.id
    assert event.details["filters"] == {"name": "Petrov"}


def test_banner_of_restricted_records_travels_in_the_csv(
    client: FlaskClient, signed_in: Callable[..., User], db: Session
) -> None:
    signed_in(Role.ANALYST)
    _people(db, make_user(db, Role.INVESTIGATOR))
    text = client.get("/exports/persons.csv").data.decode("utf-8-sig")
    assert text.startswith("HANDLING RESTRICTIONS APPLY TO THIS FILE: H2")
    assert "Anna Sidorova" in text.splitlines()[1]


def test_too_many_rows_is_a_clear_refusal(
    client: FlaskClient, signed_in: Callable[..., User], db: Session, monkeypatch
) -> None:
    user = signed_in(Role.SUPERVISOR)
    _people(db, user)
    monkeypatch.setattr(service, "MAX_ROWS", 1)
    response = client.get("/exports/persons.xlsx")
    assert response.status_code in {400, 422}
    assert "narrow the filters" in response.text


def test_roles_without_export_get_403(client: FlaskClient, signed_in: Callable[..., User]) -> None:
    signed_in(Role.EXCHANGE_OFFICER)
    assert client.get("/exports/seizures.csv").status_code == 403
    page = client.get("/seizures").text
    assert "/exports/seizures.csv" not in page


def test_chart_export_has_records_and_links(
    client: FlaskClient, signed_in: Callable[..., User], db: Session, app: Flask
) -> None:
    user = signed_in(Role.ANALYST)
    recorder = make_user(db, Role.INVESTIGATOR)
    seizure = make_record(db, recorder, "seizure")
    person = make_record(db, recorder, "person")
    with tx(db):
        link_entity(db, Actor.of(recorder), seizure.id, seizure.version, kind="person",
                    target_id=person.id, role="courier")  # fmt: skip
    with tx(db):
        chart = save_chart(
            db, Actor.of(user), name="Ring",
            nodes=[f"seizure:{seizure.id}", f"person:{person.id}"],
        )  # fmt: skip
    response = client.get(f"/exports/charts/{chart.id}.xlsx")
    assert response.status_code == 200, response.text
    book = load_workbook(io.BytesIO(response.data))
    assert book.sheetnames == ["seizure", "person", "links"]
    assert book["links"]["B2"].value == "courier"
    # Another user's chart does not exist for them.
    other = app.test_client()
    sign_in(other, recorder)
    assert other.get(f"/exports/charts/{chart.id}.csv").status_code == 404


def test_person_search_results_export_in_ranking(
    client: FlaskClient, signed_in: Callable[..., User], db: Session
) -> None:
    user = signed_in(Role.INVESTIGATOR)
    petrov, _other = _people(db, user)
    page = client.get("/search/persons?q=Ivan+Petrov").text
    assert "/exports/search/persons.csv?q=Ivan+Petrov" in page
    response = client.get("/exports/search/persons.ftm?q=Ivan+Petrov")
    assert response.status_code == 200
    first = response.data.splitlines()[0]
    assert str(petrov.id).encode() in first  # type: ignore[attr-defined]
    assert client.get("/exports/search/persons.csv").status_code == 400


def test_investigation_export_has_case_records_links_and_banner(
    client: FlaskClient, signed_in: Callable[..., User], db: Session, app: Flask
) -> None:
    user = signed_in(Role.ANALYST)
    recorder = make_user(db, Role.INVESTIGATOR)
    seizure = make_record(db, recorder, "seizure")
    person = make_record(
        db, recorder, "person", names=[{"full_name": "=HYPERLINK(1)", "kind": "primary"}],
        handling_code="H2",
    )  # fmt: skip
    outsider = make_record(db, recorder, "person")
    with tx(db):
        actor = Actor.of(recorder)
        link_entity(db, actor, seizure.id, seizure.version, kind="person",
                    target_id=person.id, role="courier")  # fmt: skip
        case = open_case(
            db, actor, title="-Ring at the border",
            items=[("seizure", seizure.id), ("person", person.id)],
        )  # fmt: skip
        secret = open_case(db, actor, title="Need to know", restricted=True)
    page = client.get(f"/investigations/{case.id}").text
    assert f'href="/exports/investigations/{case.id}.xlsx"' in page
    response = client.get(f"/exports/investigations/{case.id}.xlsx")
    assert response.status_code == 200, response.text
    assert response.headers["Cache-Control"] == "no-store"
    book = load_workbook(io.BytesIO(response.data))
    assert book.sheetnames == ["handling", "investigation", "seizure", "person", "links"]
    assert book["handling"]["A1"].value.startswith("HANDLING RESTRICTIONS APPLY TO THIS FILE: H2")
    assert book["investigation"]["A2"].value == case.reference
    assert book["investigation"]["B2"].value == "'-Ring at the border"  # neutralised
    assert [c.value for c in book["links"][2]] == [
        f"seizure:{seizure.id}",
        "courier",
        f"person:{person.id}",
    ]
    people = [row[0].value for row in book["person"].iter_rows(min_row=2)]
    assert people == [str(person.id)]  # not the person outside the case
    assert str(outsider.id) not in response.data.decode("latin-1")
    text = client.get(f"/exports/investigations/{case.id}.csv").data.decode("utf-8-sig")
    assert text.startswith("HANDLING RESTRICTIONS APPLY TO THIS FILE: H2")
    assert "[investigation]" in text
    assert "[links]" in text
    assert "'=HYPERLINK(1)" in text
    flush_events(db)
    events = db.scalars(
        select(AuditEvent).where(AuditEvent.actor_id == user.id, AuditEvent.action.like("%.export"))
    ).all()
    assert {e.action for e in events} == {"seizure.export", "person.export"}
    assert all(e.details["investigation_id"] == str(case.id) for e in events)
    # A restricted case of another team does not exist for the analyst.
    assert client.get(f"/exports/investigations/{secret.id}.csv").status_code == 404
    assert client.get(f"/exports/investigations/{case.id}.pdf").status_code == 404

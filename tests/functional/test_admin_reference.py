"""Reference lists through the web: administrators add codes, which forms then offer, and
deactivate them, which forms then no longer offer; bad input is shown next to its field with
the input kept; only administrators get in."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from ncen.accounts.actor import Actor
from ncen.accounts.models import Role, User
from ncen.audit import AuditEvent
from ncen.reference import services
from ncen.reference.models import CustomsOffice, DetectionMethod
from tests.functional.conftest import post_form, sign_in
from tests.web_support import make_user, tx

LIST = "/admin/reference/detection_methods"
OPTION = '<option value="drone_patrol">Drone patrol</option>'


def _admin(client: FlaskClient, db: Session, **fields: object) -> User:
    admin = make_user(db, Role.ADMINISTRATOR, **fields)  # type: ignore[arg-type]
    assert sign_in(client, admin).status_code == 302
    return admin


def _supervisor(app: Flask, db: Session) -> FlaskClient:
    supervisor = app.test_client()
    assert sign_in(supervisor, make_user(db, Role.SUPERVISOR)).status_code == 302
    return supervisor


def _method(db: Session, code: str) -> DetectionMethod | None:
    with tx(db):
        db.expire_all()
        return db.get(DetectionMethod, code)


def test_index_lists_the_editable_lists_with_counts(client: FlaskClient, db: Session) -> None:
    _admin(client, db)
    page = client.get("/admin/reference")
    assert page.status_code == 200
    assert 'href="/admin/reference/detection_methods"' in page.text
    assert 'href="/admin/reference/customs_offices"' in page.text
    assert "/admin/reference/countries" not in page.text  # ISO lists change by migration only
    assert 'href="/admin/reference">Reference lists</a>' in client.get("/home").text  # nav entry


def test_added_code_is_offered_then_deactivated_and_no_longer_offered(
    app: Flask, client: FlaskClient, db: Session
) -> None:
    _admin(client, db)
    supervisor = _supervisor(app, db)
    assert OPTION not in supervisor.get("/seizures/new").text

    response = post_form(client, f"{LIST}/new", {"code": "drone_patrol", "label": " Drone patrol "})
    assert response.status_code == 302
    assert response.location == LIST
    listed = client.get(LIST).text
    assert "Code drone_patrol added." in listed
    assert "<code>drone_patrol</code>" in listed
    added = _method(db, "drone_patrol")
    assert added is not None
    assert (added.label, added.active) == ("Drone patrol", True)
    assert OPTION in supervisor.get("/seizures/new").text

    response = post_form(client, f"{LIST}/drone_patrol/deactivate", {})
    assert response.status_code == 302
    assert "forms no longer offer it" in client.get(response.location).text
    assert _method(db, "drone_patrol").active is False  # type: ignore[union-attr]
    assert OPTION not in supervisor.get("/seizures/new").text
    assert re.search(r"<code>drone_patrol</code>.*?text-danger\">No<", client.get(LIST).text, re.S)

    post_form(client, f"{LIST}/drone_patrol/activate", {})
    assert _method(db, "drone_patrol").active is True  # type: ignore[union-attr]
    assert OPTION in supervisor.get("/seizures/new").text

    with tx(db):
        actions = db.execute(
            select(AuditEvent.action)
            .where(AuditEvent.record_type == "detection_methods")
            .order_by(AuditEvent.id)
        ).scalars()
        assert list(actions) == ["reference.add", "reference.deactivate", "reference.activate"]


def test_bad_input_is_shown_next_to_fields_and_kept(client: FlaskClient, db: Session) -> None:
    _admin(client, db)
    response = post_form(client, f"{LIST}/new", {"code": "random_check", "label": "   "})
    assert response.status_code == 200
    assert "random_check already exists in this list" in response.text
    assert "is required (at most 500 characters)" in response.text
    assert 'value="random_check"' in response.text  # input kept
    assert response.text.count("invalid-feedback") == 2

    response = post_form(client, f"{LIST}/new", {"code": "no spaces!", "label": "Kept label"})
    assert "use 1-32 letters, digits, dashes or underscores" in response.text
    assert 'value="Kept label"' in response.text
    assert _method(db, "no spaces!") is None


def test_messages_are_translated(client: FlaskClient, db: Session) -> None:
    _admin(client, db, locale="fr")
    response = post_form(client, f"{LIST}/new", {"code": "random_check", "label": ""})
    assert "random_check existe déjà dans cette liste" in response.text
    assert "Listes de référence" in client.get("/admin/reference").text


def test_customs_office_needs_a_known_country(client: FlaskClient, db: Session) -> None:
    _admin(client, db)
    url = "/admin/reference/customs_offices"
    assert 'name="country"' in client.get(url).text
    response = post_form(
        client, f"{url}/new", {"code": "KZ-001", "label": "Khorgos", "country": ""}
    )
    assert "a customs office needs a known country" in response.text
    response = post_form(
        client,
        f"{url}/new",
        {"code": "KZ-001", "label": "Khorgos", "country": "KZ", "locode": "kzkhg"},
    )
    assert response.status_code == 302
    with tx(db):
        office = db.get(CustomsOffice, "KZ-001")
        assert office is not None
        assert (office.country, office.locode) == ("KZ", "KZKHG")
    assert "KZKHG" in client.get(url).text


def test_codes_paginate(client: FlaskClient, db: Session) -> None:
    admin = _admin(client, db)
    with tx(db):
        for n in range(60):
            services.add_code(db, Actor.of(admin), "quantity_units", f"zz{n:02d}", f"Unit {n}")
    url = "/admin/reference/quantity_units"
    first = client.get(url).text
    match = re.search(r"Page 1 of (\d+)", first)
    assert match is not None
    pages = int(match.group(1))
    assert pages >= 2
    assert f"{url}?page=2" in first
    last = client.get(f"{url}?page={pages}").text  # by code: the zz codes come last
    assert "<code>zz59</code>" in last
    assert "<code>zz59</code>" not in first


@pytest.mark.parametrize(
    "url",
    [
        "/admin/reference/countries",
        "/admin/reference/no_such_list",
        "/admin/reference/detection_methods/no_such_code/deactivate",
    ],
)
def test_unknown_lists_and_codes_are_404(client: FlaskClient, db: Session, url: str) -> None:
    _admin(client, db)
    response = post_form(client, url, {}) if url.endswith("deactivate") else client.get(url)
    assert response.status_code == 404
    response = post_form(client, "/admin/reference/countries/new", {"code": "XK", "label": "X"})
    assert response.status_code == 404


def test_csrf_is_enforced(client: FlaskClient, db: Session) -> None:
    _admin(client, db)
    response = client.post(f"{LIST}/random_check/deactivate", data={"csrf_token": "forged"})
    assert response.status_code == 400
    assert _method(db, "random_check").active is True  # type: ignore[union-attr]


@pytest.mark.parametrize("role", [r for r in Role if r is not Role.ADMINISTRATOR])
def test_only_administrators_get_in(
    client: FlaskClient, signed_in: Callable[..., User], db: Session, role: Role
) -> None:
    signed_in(role)
    assert client.get("/admin/reference").status_code == 403
    response = post_form(client, f"{LIST}/new", {"code": "sneaky", "label": "Sneaky"})
    assert response.status_code == 403
    assert _method(db, "sneaky") is None
    assert "/admin/reference" not in client.get("/home").text

"""Administrators and auditors in the web (issue 12, items 3 and 4).

The administrator sees the audit trail without the nominal details (names, document numbers and
other search terms); the auditor sees them in full; every page of the trail shown is itself
audited. Administrators do not see a form to change their own roles. Auditors find the alerts
about accounts given access to nominal data on their home page and acknowledge them.
"""

from __future__ import annotations

from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from ncen.accounts import alerts
from ncen.accounts.actor import Actor
from ncen.accounts.models import AccountAlert, Role
from ncen.audit import AuditEvent, record_event
from tests.functional.conftest import post_form, sign_in
from tests.web_support import make_user, tx

SECRET_NAME = "Zhukovskaya"
SECRET_DOCUMENT = "N 7766-5544"


def _searches(db: Session) -> None:
    clerk = make_user(db, Role.INVESTIGATOR)
    with tx(db):
        actor = Actor.of(clerk)
        record_event(
            db,
            actor,
            "person.list",
            record_type="person",
            details={"name": SECRET_NAME, "document": SECRET_DOCUMENT, "nationality": "KZ"},
        )
        record_event(
            db,
            actor,
            "search.box",
            details={"query": {"q": SECRET_NAME}, "shown": {"person": ["abc"]}},
        )


def test_administrator_sees_the_audit_without_nominal_terms(
    client: FlaskClient, db: Session
) -> None:
    _searches(db)
    sign_in(client, make_user(db, Role.ADMINISTRATOR))
    page = client.get("/admin/audit")
    assert page.status_code == 200
    assert "person.list" in page.text
    assert "search.box" in page.text
    assert SECRET_NAME not in page.text
    assert SECRET_DOCUMENT not in page.text
    assert "KZ" not in page.text  # a quasi-identifier of the person looked up: hidden too
    assert "hidden" in page.text


def test_auditor_sees_the_full_details(client: FlaskClient, db: Session) -> None:
    _searches(db)
    auditor = make_user(db, Role.AUDITOR)
    assert sign_in(client, auditor).status_code == 302
    page = client.get("/admin/audit")
    assert page.status_code == 200
    assert SECRET_NAME in page.text
    assert SECRET_DOCUMENT in page.text
    # The auditor reads no records.
    assert client.get("/persons").status_code == 403
    assert client.get("/search?q=x").status_code == 403
    assert client.get("/admin/users").status_code == 403


def test_reading_the_audit_is_audited(client: FlaskClient, db: Session) -> None:
    auditor = make_user(db, Role.AUDITOR)
    admin = make_user(db, Role.ADMINISTRATOR)
    sign_in(client, auditor)
    assert client.get("/admin/audit?action=auth.sign_in&page=2").status_code == 200
    other = client.application.test_client()
    sign_in(other, admin)
    assert other.get("/admin/audit").status_code == 200
    with tx(db):
        reads = (
            db.execute(
                select(AuditEvent).where(AuditEvent.action == "audit.read").order_by(AuditEvent.id)
            )
            .scalars()
            .all()
        )
        assert [(e.actor_id, e.details["full_details"]) for e in reads] == [
            (auditor.id, True),
            (admin.id, False),
        ]
        assert reads[0].details["filters"] == {"action": "auth.sign_in"}
        assert reads[0].details["page"] == 2


def test_own_roles_form_is_hidden(client: FlaskClient, db: Session) -> None:
    admin = make_user(db, Role.ADMINISTRATOR)
    other = make_user(db, Role.ANALYST)
    sign_in(client, admin)
    assert "Save roles" not in client.get(f"/admin/users/{admin.id}").text
    assert "Save roles" in client.get(f"/admin/users/{other.id}").text
    response = post_form(
        client, f"/admin/users/{admin.id}/roles", {"roles": ["administrator", "supervisor"]}
    )
    assert "you cannot change your own roles" in response.text


def test_mixed_roles_are_refused_next_to_the_field(client: FlaskClient, db: Session) -> None:
    sign_in(client, make_user(db, Role.ADMINISTRATOR))
    response = post_form(
        client,
        "/admin/users/new",
        {
            "username": "mixed.hats",
            "display_name": "Mixed Hats",
            "locale": "en",
            "roles": ["administrator", "supervisor"],
        },
    )
    assert response.status_code == 200
    assert "cannot be combined" in response.text
    assert "Auditor" in response.text  # the new role is offered


def test_auditor_sees_and_acknowledges_account_alerts(client: FlaskClient, db: Session) -> None:
    admin = make_user(db, Role.ADMINISTRATOR)
    auditor = make_user(db, Role.AUDITOR)
    colleague = make_user(db, Role.AUDITOR)
    with tx(db):  # making these oversight accounts alerted too: each checked by another auditor
        for earlier in alerts.list_alerts(db, Actor.of(auditor)):
            checker = colleague if earlier.user_id == auditor.id else auditor
            alerts.acknowledge_alert(db, Actor.of(checker), earlier.id)
    sign_in(client, admin)
    created = post_form(
        client,
        "/admin/users/new",
        {
            "username": "fresh.supervisor",
            "display_name": "Fresh Supervisor",
            "locale": "en",
            "roles": ["supervisor"],
        },
    )
    assert created.status_code == 200
    assert client.get("/admin/account-alerts").status_code == 403

    desk = client.application.test_client()
    sign_in(desk, auditor)
    home = desk.get("/home").text
    assert "Account alerts" in home
    assert "1 open" in home
    page = desk.get("/admin/account-alerts")
    assert page.status_code == 200
    assert "fresh.supervisor" in page.text
    assert admin.username in page.text
    with tx(db):
        alert = db.execute(
            select(AccountAlert).where(AccountAlert.username == "fresh.supervisor")
        ).scalar_one()
    done = post_form(desk, f"/admin/account-alerts/{alert.id}/acknowledge", {})
    assert done.status_code == 302
    assert "0 open" in desk.get("/home").text
    with tx(db):
        db.expire_all()
        fresh = db.get(AccountAlert, alert.id)
        assert fresh is not None
        assert fresh.acknowledged_by_id == auditor.id

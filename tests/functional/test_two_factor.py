"""TOTP: enrolment on first sign-in for administrators and exchange officers, verification,
lock-out on wrong codes, optional enrolment for others, and roles granted mid-session."""

from __future__ import annotations

import re
import time

import pyotp
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from ncen.accounts.models import Role, UserRole
from ncen.accounts.signin import MAX_FAILED_LOGINS
from ncen.audit import AuditEvent
from tests.functional.conftest import post_form, reload, sign_in
from tests.web_support import PASSWORD, make_user, secret_box_for_tests, totp_code, tx
from web.auth.sessions import PENDING_KEY


def _secret_on(page: str) -> str:
    match = re.search(r'<p class="secret" id="totp-secret">([A-Z2-7 ]+)</p>', page)
    assert match is not None
    return match.group(1).replace(" ", "")


def test_administrator_enrols_on_first_sign_in(client: FlaskClient, db: Session) -> None:
    admin = make_user(db, Role.ADMINISTRATOR, totp=False)
    response = sign_in(client, admin)
    assert response.location == "/auth/two-factor/enrol"
    assert client.get("/home").location.startswith("/auth/sign-in")  # not signed in yet
    page = client.get("/auth/two-factor/enrol")
    assert "<svg" in page.text  # the QR code, drawn on the server
    secret = _secret_on(page.text)

    wrong = post_form(client, "/auth/two-factor/enrol", {"code": "000000"})
    assert "This code is not correct" in wrong.text
    assert _secret_on(wrong.text) == secret  # the same secret until it is proven

    done = post_form(client, "/auth/two-factor/enrol", {"code": pyotp.TOTP(secret).now()})
    assert done.status_code == 302
    assert done.location == "/home"
    assert client.get("/home").status_code == 200
    stored = reload(db, admin).totp_secret
    assert stored is not None
    assert (
        secret_box_for_tests().open_text(
            stored, table="users", column="totp_secret", row_id=admin.id
        )
        == secret
    )
    with tx(db):
        actions = db.execute(select(AuditEvent.action).order_by(AuditEvent.id)).scalars().all()
    assert "user.totp_enrol" in actions
    assert actions[-1] == "auth.sign_in"


def test_exchange_officer_must_give_a_code(client: FlaskClient, db: Session) -> None:
    officer = make_user(db, Role.EXCHANGE_OFFICER)
    response = post_form(
        client, "/auth/sign-in", {"username": officer.username, "password": PASSWORD}
    )
    assert response.location == "/auth/two-factor"
    assert client.get("/home").status_code == 302
    done = post_form(client, "/auth/two-factor", {"code": totp_code(officer)})
    assert done.location == "/home"
    with tx(db):
        event = db.execute(
            select(AuditEvent).where(AuditEvent.action == "auth.sign_in")
        ).scalar_one()
    assert event.details["second_factor"] is True


def test_wrong_codes_lock_the_account(client: FlaskClient, db: Session) -> None:
    admin = make_user(db, Role.ADMINISTRATOR)
    post_form(client, "/auth/sign-in", {"username": admin.username, "password": PASSWORD})
    for attempt in range(MAX_FAILED_LOGINS):
        response = post_form(client, "/auth/two-factor", {"code": "123456"})
        if attempt < MAX_FAILED_LOGINS - 1:
            assert "This code is not correct" in response.text
    assert response.location == "/auth/sign-in"  # the pending sign-in was dropped
    assert reload(db, admin).locked_until is not None
    assert sign_in(client, admin).status_code == 200  # locked: generic refusal


def test_pending_sign_in_expires(client: FlaskClient, db: Session) -> None:
    admin = make_user(db, Role.ADMINISTRATOR)
    post_form(client, "/auth/sign-in", {"username": admin.username, "password": PASSWORD})
    with client.session_transaction() as session:
        session[PENDING_KEY] = {**session[PENDING_KEY], "at": time.time() - 600}
    assert client.get("/auth/two-factor").location == "/auth/sign-in"


def test_investigator_may_enrol_from_the_account_page(client: FlaskClient, db: Session) -> None:
    user = make_user(db, Role.INVESTIGATOR)
    assert sign_in(client, user).location == "/home"  # no second factor needed
    assert "Set up two-step sign-in" in client.get("/auth/account").text
    secret = _secret_on(client.get("/auth/two-factor/enrol").text)
    enrolled_at = time.time()
    done = post_form(client, "/auth/two-factor/enrol", {"code": pyotp.TOTP(secret).at(enrolled_at)})
    assert done.location == "/home"
    assert client.get("/home").status_code == 200  # the session survived the new epoch
    post_form(client, "/auth/sign-out", {})
    # Now with a code, of the next step: the enrolment used this one.
    next_code = pyotp.TOTP(secret).at(enrolled_at + 30)
    assert sign_in(client, reload(db, user), code=next_code).location == "/home"


def test_role_granted_mid_session_requires_enrolment(client: FlaskClient, db: Session) -> None:
    user = make_user(db, Role.ANALYST)
    sign_in(client, user)
    with tx(db):
        db.add(UserRole(user_id=user.id, role=Role.EXCHANGE_OFFICER))
    assert client.get("/home").location == "/auth/two-factor/enrol"
    assert client.get("/auth/two-factor/enrol").status_code == 200


def test_a_first_sign_in_changes_the_password_before_it_enrols(
    client: FlaskClient, db: Session
) -> None:
    officer = make_user(db, Role.EXCHANGE_OFFICER, totp=False, must_change_password=True)
    response = sign_in(client, officer)
    assert response.location == "/auth/password/first"
    assert client.get("/auth/two-factor/enrol").location == "/auth/sign-in"  # not yet
    assert client.get("/home").location.startswith("/auth/sign-in")  # not signed in yet
    page = client.get("/auth/password/first")
    assert "Choose your own password before you continue." in page.text

    wrong = post_form(
        client,
        "/auth/password/first",
        {"current_password": "not it", "new_password": "x", "confirm": "x"},
    )
    assert wrong.status_code == 200
    assert reload(db, officer).must_change_password is True

    new_password = "a fresh passphrase for the officer 42"
    changed = post_form(
        client,
        "/auth/password/first",
        {"current_password": PASSWORD, "new_password": new_password, "confirm": new_password},
    )
    assert changed.location == "/auth/two-factor/enrol"
    assert reload(db, officer).must_change_password is False
    assert client.get("/home").location.startswith("/auth/sign-in")  # still not signed in
    secret = _secret_on(client.get("/auth/two-factor/enrol").text)
    done = post_form(client, "/auth/two-factor/enrol", {"code": pyotp.TOTP(secret).now()})
    assert done.location == "/home"
    assert client.get("/home").status_code == 200  # no password page after enrolment
    with tx(db):
        actions = db.execute(select(AuditEvent.action).order_by(AuditEvent.id)).scalars().all()
    assert actions.index("user.change_password") < actions.index("user.totp_enrol")
    assert actions[-1] == "auth.sign_in"


def test_the_first_password_page_needs_a_pending_sign_in(client: FlaskClient) -> None:
    assert client.get("/auth/password/first").location == "/auth/sign-in"

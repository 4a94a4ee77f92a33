"""Idle timeout and the forced password change."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from ncen.accounts.models import Role
from ncen.audit import AuditEvent
from tests.functional.conftest import post_form, reload, sign_in
from tests.web_support import PASSWORD, make_user, tx
from web.auth.sessions import LAST_SEEN_KEY

NEW_PASSWORD = "a much better passphrase"


def test_idle_session_ends(make_app, db: Session) -> None:
    client = make_app(session_idle_minutes=5).test_client()
    user = make_user(db, Role.ANALYST)
    sign_in(client, user)
    assert client.get("/home").status_code == 200
    with client.session_transaction() as session:
        session[LAST_SEEN_KEY] = time.time() - 4 * 60  # still within the limit
    assert client.get("/home").status_code == 200
    with client.session_transaction() as session:
        session[LAST_SEEN_KEY] = time.time() - 6 * 60
    response = client.get("/auth/account")
    assert response.status_code == 302
    assert response.location == "/auth/sign-in?next=/auth/account"
    assert "without activity" in client.get(response.location).text
    assert client.get("/home").status_code == 302
    with tx(db):
        event = db.execute(
            select(AuditEvent).where(AuditEvent.action == "auth.sign_out")
        ).scalar_one()
    assert event.details["reason"] == "idle_timeout"


def test_cookie_lifetime_matches_idle_timeout(make_app, db: Session) -> None:
    client = make_app(session_idle_minutes=7).test_client()
    response = sign_in(client, make_user(db, Role.ANALYST))
    cookie = response.headers["Set-Cookie"]
    expires = parsedate_to_datetime(cookie.split("Expires=")[1].split(";")[0])
    assert abs((expires - datetime.now(UTC)).total_seconds() - 420) < 30


def test_password_must_be_changed_before_anything_else(client: FlaskClient, db: Session) -> None:
    user = make_user(db, Role.INVESTIGATOR, must_change_password=True)
    assert sign_in(client, user).location == "/home"
    assert client.get("/home").location == "/auth/password"
    assert client.get("/auth/account").location == "/auth/password"

    refused = post_form(
        client,
        "/auth/password",
        {"current_password": "not it at all", "new_password": "short", "confirm": "short"},
    )
    assert refused.status_code == 200
    assert "is not correct" in refused.text
    assert "must be at least 12 characters long" in refused.text

    mismatch = post_form(
        client,
        "/auth/password",
        {"current_password": PASSWORD, "new_password": NEW_PASSWORD, "confirm": "other"},
    )
    assert "Passwords differ." in mismatch.text

    done = post_form(
        client,
        "/auth/password",
        {"current_password": PASSWORD, "new_password": NEW_PASSWORD, "confirm": NEW_PASSWORD},
    )
    assert done.location == "/home"
    assert client.get("/home").status_code == 200
    assert reload(db, user).must_change_password is False
    post_form(client, "/auth/sign-out", {})
    assert sign_in(client, user).status_code == 200  # the old password no longer works
    assert sign_in(client, user, NEW_PASSWORD).location == "/home"

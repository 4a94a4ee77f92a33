"""Sign-in: password, generic failures, throttling by account and address, rotation, sign-out."""

from __future__ import annotations

from datetime import timedelta

from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from ncen.accounts.models import Role
from ncen.accounts.passwords import hash_password
from ncen.accounts.signin import MAX_FAILED_LOGINS
from ncen.accounts.throttle import ADDRESS_LIMIT
from ncen.audit import AuditEvent
from ncen.db import utcnow
from tests.functional.conftest import post_form, reload, sign_in
from tests.web_support import PASSWORD, make_user, tx

GENERIC = "Sign-in failed: check your username and password."


def _events(db: Session, action: str) -> list[AuditEvent]:
    with tx(db):
        db.expire_all()
        return list(db.execute(select(AuditEvent).where(AuditEvent.action == action)).scalars())


def test_home_redirects_to_sign_in(client: FlaskClient) -> None:
    response = client.get("/")
    assert response.status_code == 302
    assert response.location == "/auth/sign-in"


def test_sign_in_and_out_are_audited(client: FlaskClient, db: Session) -> None:
    user = make_user(db, Role.INVESTIGATOR)
    response = sign_in(client, user)
    assert response.status_code == 302
    assert response.location == "/home"
    page = client.get("/home")
    assert page.status_code == 200
    assert user.display_name in page.text
    assert reload(db, user).last_login_at is not None
    assert [e.actor_name for e in _events(db, "auth.sign_in")] == [user.username]

    response = post_form(client, "/auth/sign-out", {})
    assert response.status_code == 302
    assert response.location == "/auth/sign-in"
    assert client.get("/home").status_code == 302
    assert [e.details["reason"] for e in _events(db, "auth.sign_out")] == ["sign_out"]


def test_failure_message_does_not_reveal_whether_the_user_exists(
    client: FlaskClient, db: Session
) -> None:
    user = make_user(db, Role.ANALYST)
    wrong_password = post_form(
        client, "/auth/sign-in", {"username": user.username, "password": "wrong password!"}
    )
    no_such_user = post_form(
        client, "/auth/sign-in", {"username": "nobody-here", "password": "wrong password!"}
    )
    assert wrong_password.status_code == no_such_user.status_code == 200
    assert GENERIC in wrong_password.text
    assert GENERIC in no_such_user.text
    # The username is kept in the form; the password never comes back.
    assert f'value="{user.username}"' in wrong_password.text
    assert "wrong password!" not in wrong_password.text
    reasons = sorted(e.details["reason"] for e in _events(db, "auth.sign_in_failed"))
    assert reasons == ["credentials", "password"]


def test_account_locks_after_repeated_failures(client: FlaskClient, db: Session) -> None:
    user = make_user(db, Role.ANALYST)
    for _ in range(MAX_FAILED_LOGINS):
        post_form(client, "/auth/sign-in", {"username": user.username, "password": "nope" * 4})
    locked = reload(db, user)
    assert locked.locked_until is not None
    assert locked.locked_until > utcnow()
    # Even the right password is refused, with the same generic message.
    response = sign_in(client, user)
    assert response.status_code == 200
    assert GENERIC in response.text
    # Once the lock has expired the right password works again.
    with tx(db):
        locked.locked_until = utcnow() - timedelta(seconds=1)
        db.merge(locked)
    assert sign_in(client, user).status_code == 302


def test_address_is_throttled_across_accounts(client: FlaskClient, db: Session) -> None:
    user = make_user(db, Role.ANALYST)
    for n in range(ADDRESS_LIMIT):
        post_form(client, "/auth/sign-in", {"username": f"guess{n}", "password": "x" * 12})
    response = sign_in(client, user)
    assert response.status_code == 429
    assert "Too many failed sign-ins from your network address" in response.text
    assert len(_events(db, "auth.sign_in_throttled")) == 1


def test_session_is_rotated_at_sign_in(client: FlaskClient, db: Session) -> None:
    user = make_user(db, Role.SUPERVISOR)
    client.get("/auth/sign-in")
    with client.session_transaction() as before:
        before["planted"] = "by an attacker"
        old_csrf = before["csrf_token"]
    sign_in(client, user)
    with client.session_transaction() as after:
        assert "planted" not in after
        assert after.get("csrf_token") != old_csrf
        first_sid = after["ncen.sid"]
    post_form(client, "/auth/sign-out", {})
    sign_in(client, user)
    with client.session_transaction() as again:
        assert again["ncen.sid"] != first_sid


def test_cookie_flags(make_app, db: Session) -> None:
    user = make_user(db, Role.ANALYST)
    secure_client = make_app(secure_cookies=True).test_client()
    response = secure_client.get("/auth/sign-in", base_url="https://localhost")
    cookie = response.headers["Set-Cookie"]
    assert "Secure" in cookie
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie
    plain = make_app().test_client()
    response = sign_in(plain, user)
    assert "HttpOnly" in response.headers["Set-Cookie"]


def test_disabled_account_cannot_sign_in(client: FlaskClient, db: Session) -> None:
    user = make_user(db, Role.ANALYST)
    with tx(db):
        db.merge(user).active = False
    response = sign_in(client, user)
    assert response.status_code == 200
    assert "This account is disabled" in response.text


def test_inactive_account_is_disabled_at_next_sign_in(client: FlaskClient, db: Session) -> None:
    user = make_user(db, Role.ANALYST)
    with tx(db):
        db.merge(user).last_login_at = utcnow() - timedelta(days=91)
    response = sign_in(client, user)
    assert response.status_code == 200
    assert "not used for 90 days" in response.text
    assert reload(db, user).active is False
    assert len(_events(db, "user.disable_inactive")) == 1


def test_session_of_a_disabled_account_ends(client: FlaskClient, db: Session) -> None:
    user = make_user(db, Role.ANALYST)
    sign_in(client, user)
    with tx(db):
        db.merge(user).active = False
    response = client.get("/home")
    assert response.status_code == 302
    assert response.location.startswith("/auth/sign-in")


def test_password_reset_ends_other_sessions(client: FlaskClient, db: Session) -> None:
    user = make_user(db, Role.ANALYST)
    sign_in(client, user)
    assert client.get("/home").status_code == 200
    with tx(db):
        db.merge(user).password_hash = hash_password(PASSWORD + " changed")
    assert client.get("/home").status_code == 302


def test_next_parameter_is_kept_and_open_redirects_refused(
    client: FlaskClient, db: Session
) -> None:
    user = make_user(db, Role.ADMINISTRATOR, totp=False)
    make_user(db, Role.ANALYST)
    response = client.get("/admin/users")
    assert response.location == "/auth/sign-in?next=/admin/users"
    page = client.get(response.location)
    assert "Sign in to continue." in page.text
    response = post_form(
        client,
        "/auth/sign-in?next=https://evil.example/",
        {"username": user.username, "password": PASSWORD},
    )
    assert response.location == "/auth/two-factor/enrol"

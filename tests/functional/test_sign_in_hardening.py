"""Issue 12 items 11 and 12: sign-in behind a reverse proxy, failure counters shared in
PostgreSQL, an account lock that does not lock the owner out, and the second factor's limits
(failures are reset only by a whole sign-in, codes are not replayed, secrets never leave the
server in clear)."""

from __future__ import annotations

import re
from collections.abc import Callable

import pyotp
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from ncen.accounts.models import Role
from ncen.accounts.signin import MAX_FAILED_LOGINS
from ncen.accounts.throttle import ADDRESS_LIMIT
from tests.functional.conftest import post_form, reload, sign_in
from tests.web_support import PASSWORD, TOTP_SECRETS, make_user, totp_code, tx

GENERIC = "Sign-in failed: check your username and password."
THROTTLED = "Too many failed sign-ins from your network address"


def _from(address: str) -> dict[str, object]:
    """Request options of a client that the (trusted) reverse proxy saw at ``address``."""
    return {"headers": {"X-Forwarded-For": address, "X-Forwarded-Proto": "http"}}


def _try(client: FlaskClient, username: str, password: str, address: str | None = None):
    options = _from(address) if address else {}
    return post_form(
        client, "/auth/sign-in", {"username": username, "password": password}, **options
    )


# --- item 11 -----------------------------------------------------------------------------------


def test_failures_are_counted_in_the_database_for_every_process(
    make_app: Callable[..., Flask], db: Session
) -> None:
    """Two application processes (two apps) share the address count."""
    first, second = make_app().test_client(), make_app().test_client()
    user = make_user(db, Role.ANALYST)
    for n in range(ADDRESS_LIMIT):
        _try(first, f"guess{n}", "x" * 12)
    response = sign_in(second, user)
    assert response.status_code == 429
    assert THROTTLED in response.text


def test_trusted_proxy_keeps_clients_apart(make_app: Callable[..., Flask], db: Session) -> None:
    client = make_app(trusted_proxies=1).test_client()
    user = make_user(db, Role.ANALYST)
    for n in range(ADDRESS_LIMIT):
        _try(client, f"guess{n}", "x" * 12, address="203.0.113.5")
    assert THROTTLED in _try(client, user.username, PASSWORD, address="203.0.113.5").text
    assert _try(client, user.username, PASSWORD, address="198.51.100.7").status_code == 302


def test_forwarded_for_is_ignored_without_a_trusted_proxy(
    make_app: Callable[..., Flask], db: Session
) -> None:
    client = make_app().test_client()
    user = make_user(db, Role.ANALYST)
    for n in range(ADDRESS_LIMIT):
        _try(client, f"guess{n}", "x" * 12, address=f"203.0.113.{n}")
    assert _try(client, user.username, PASSWORD, address="198.51.100.7").status_code == 429


def test_hsts_is_sent_behind_a_trusted_tls_proxy(make_app: Callable[..., Flask]) -> None:
    https = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "198.51.100.7"}
    behind = make_app(trusted_proxies=1).test_client().get("/auth/sign-in", headers=https)
    assert "max-age=" in behind.headers["Strict-Transport-Security"]
    untrusted = make_app().test_client().get("/auth/sign-in", headers=https)
    assert "Strict-Transport-Security" not in untrusted.headers


def test_account_lock_is_no_lock_out_tool(make_app: Callable[..., Flask], db: Session) -> None:
    """An attacker who locks an account stays refused; its owner, from another address, still
    signs in with the right password; a new address that fails during the lock is refused."""
    client = make_app(trusted_proxies=1).test_client()
    user = make_user(db, Role.INVESTIGATOR)
    for _ in range(MAX_FAILED_LOGINS):
        _try(client, user.username, "wrong password!", address="203.0.113.5")
    assert reload(db, user).locked_until is not None
    assert GENERIC in _try(client, user.username, PASSWORD, address="203.0.113.5").text
    other = make_app(trusted_proxies=1).test_client()
    assert GENERIC in _try(other, user.username, "wrong again!!", address="192.0.2.9").text
    assert GENERIC in _try(other, user.username, PASSWORD, address="192.0.2.9").text
    owner = make_app(trusted_proxies=1).test_client()
    assert _try(owner, user.username, PASSWORD, address="198.51.100.7").status_code == 302
    # The owner's sign-in does not lift the lock for the attacker's address.
    assert GENERIC in _try(client, user.username, PASSWORD, address="203.0.113.5").text


def test_locked_account_owner_signs_in_with_the_second_factor(
    make_app: Callable[..., Flask], db: Session
) -> None:
    client = make_app(trusted_proxies=1).test_client()
    admin = make_user(db, Role.ADMINISTRATOR)
    for _ in range(MAX_FAILED_LOGINS):
        _try(client, admin.username, "wrong password!", address="203.0.113.5")
    owner = make_app(trusted_proxies=1).test_client()
    response = _try(owner, admin.username, PASSWORD, address="198.51.100.7")
    assert response.location == "/auth/two-factor"
    done = post_form(owner, "/auth/two-factor", {"code": totp_code(admin)}, **_from("198.51.100.7"))
    assert done.location == "/home"


# --- item 12 -----------------------------------------------------------------------------------


def test_correct_password_does_not_reset_second_factor_failures(app: Flask, db: Session) -> None:
    admin = make_user(db, Role.ADMINISTRATOR)
    for _ in range(MAX_FAILED_LOGINS):
        client = app.test_client()  # start the sign-in again, as a guesser would
        response = _try(client, admin.username, PASSWORD)
        assert response.location == "/auth/two-factor"
        post_form(client, "/auth/two-factor", {"code": "000000"})
    assert reload(db, admin).locked_until is not None
    response = _try(client, admin.username, PASSWORD)
    assert response.status_code == 200
    assert GENERIC in response.text


def test_a_code_is_not_accepted_twice(client: FlaskClient, db: Session) -> None:
    officer = make_user(db, Role.EXCHANGE_OFFICER)
    code = totp_code(officer)
    assert sign_in(client, officer, code=code).location == "/home"
    post_form(client, "/auth/sign-out", {})
    assert _try(client, officer.username, PASSWORD).location == "/auth/two-factor"
    replay = post_form(client, "/auth/two-factor", {"code": code})
    assert replay.status_code == 200
    assert "This code is not correct" in replay.text


def _secret_on(page: str) -> str:
    match = re.search(r'<p class="secret" id="totp-secret">([A-Z2-7 ]+)</p>', page)
    assert match is not None
    return match.group(1).replace(" ", "")


def test_enrolment_secret_stays_on_the_server_and_is_sealed(
    client: FlaskClient, db: Session
) -> None:
    admin = make_user(db, Role.ADMINISTRATOR, totp=False)
    assert sign_in(client, admin).location == "/auth/two-factor/enrol"
    secret = _secret_on(client.get("/auth/two-factor/enrol").text)
    with client.session_transaction() as session:
        assert secret not in repr(dict(session))
    pending = reload(db, admin).totp_pending_secret
    assert pending is not None
    assert secret not in pending
    done = post_form(client, "/auth/two-factor/enrol", {"code": pyotp.TOTP(secret).now()})
    assert done.location == "/home"
    stored = reload(db, admin)
    assert stored.totp_secret is not None
    assert stored.totp_secret.startswith("sb1:")
    assert secret not in stored.totp_secret
    assert stored.totp_pending_secret is None


def test_a_clear_secret_from_before_sealing_is_sealed_on_first_use(
    client: FlaskClient, db: Session
) -> None:
    """Revision 0011 cannot read the key file: a clear secret is sealed at its next sign-in."""
    officer = make_user(db, Role.EXCHANGE_OFFICER)
    secret = TOTP_SECRETS[officer.id]
    with tx(db):
        db.merge(officer).totp_secret = secret  # as stored before revision 0011
    assert sign_in(client, officer).location == "/home"
    stored = reload(db, officer).totp_secret
    assert stored is not None
    assert stored.startswith("sb1:")
    assert secret not in stored

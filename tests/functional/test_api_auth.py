"""The REST API's gatekeeping: tokens, scopes, roles, cookies, rate limits, problem details."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from ncen.accounts.actor import Actor
from ncen.accounts.models import Role
from ncen.accounts.services import set_active
from ncen.apitokens.models import ApiToken
from ncen.apitokens.services import digest, revoke_token
from ncen.db import utcnow
from tests import factories
from tests.api_support import call, make_token
from tests.functional.conftest import sign_in
from tests.web_support import make_user, tx

PROBLEM = "application/problem+json"


def _is_401(response: object) -> None:
    assert response.status_code == 401  # type: ignore[attr-defined]
    assert response.mimetype == PROBLEM  # type: ignore[attr-defined]
    assert response.headers["WWW-Authenticate"].startswith("Bearer")  # type: ignore[attr-defined]


def test_missing_malformed_and_unknown_tokens(client: FlaskClient, db: Session) -> None:
    user = make_user(db, Role.ANALYST)
    token = make_token(db, user, scope="read")
    _is_401(call(client, "GET", "/persons", None))
    _is_401(call(client, "GET", "/persons", "not-a-token"))
    _is_401(call(client, "GET", "/persons", token[:-1] + ("A" if token[-1] != "A" else "B")))
    _is_401(call(client, "GET", "/persons", None, headers={"Authorization": f"Basic {token}"}))
    assert call(client, "GET", "/persons", token).status_code == 200


def test_a_signed_in_session_is_no_api_credential(client: FlaskClient, db: Session) -> None:
    user = make_user(db, Role.ANALYST)
    assert sign_in(client, user).status_code == 302
    assert client.get("/persons").status_code == 200  # the pages work with the cookie
    response = client.get("/api/v1/persons")
    _is_401(response)
    assert "Set-Cookie" not in response.headers


def test_revoked_expired_and_disabled_tokens_stop_at_once(client: FlaskClient, db: Session) -> None:
    user = make_user(db, Role.ANALYST)
    revoked, expired, live = (make_token(db, user, scope="read") for _ in range(3))
    with tx(db):
        tokens = {t.secret_hash: t for t in db.execute(select(ApiToken)).scalars()}
        revoke_token(db, Actor.of(user), tokens[digest(revoked)].id)
        tokens[digest(expired)].expires_at = utcnow() - timedelta(seconds=1)
    _is_401(call(client, "GET", "/persons", revoked))
    _is_401(call(client, "GET", "/persons", expired))
    assert call(client, "GET", "/persons", live).status_code == 200
    with tx(db):
        set_active(db, Actor.system("test"), user.id, active=False)
    _is_401(call(client, "GET", "/persons", live))


def test_only_the_hash_is_stored(db: Session) -> None:
    user = make_user(db, Role.ANALYST)
    token = make_token(db, user, scope="read")
    with tx(db):
        stored = db.execute(select(ApiToken).where(ApiToken.user_id == user.id)).scalar_one()
    assert stored.secret_hash == digest(token)
    assert token not in {stored.prefix, stored.secret_hash, stored.name}
    assert token.startswith(f"ncen_{stored.prefix}_")


def test_scope_and_roles(client: FlaskClient, db: Session) -> None:
    reader = make_token(db, make_user(db, Role.INVESTIGATOR), scope="read")
    refused = call(client, "POST", "/persons", reader, json=factories.person_data())
    assert refused.status_code == 403
    assert refused.mimetype == PROBLEM
    analyst = make_token(db, make_user(db, Role.ANALYST))  # read_write, but no right to create
    assert (
        call(client, "POST", "/persons", analyst, json=factories.person_data()).status_code == 403
    )
    admin = make_token(db, make_user(db, Role.ADMINISTRATOR, totp=True))
    assert call(client, "GET", "/persons", admin).status_code == 403  # no nominal data


def test_rate_limit_answers_429_with_retry_after(
    make_app: Callable[..., Flask], db: Session
) -> None:
    client = make_app(api_rate_per_minute=2).test_client()
    token = make_token(db, make_user(db, Role.ANALYST), scope="read")
    assert call(client, "GET", "/persons", token).status_code == 200
    assert call(client, "GET", "/persons", token).status_code == 200
    limited = call(client, "GET", "/persons", token)
    assert limited.status_code == 429
    assert limited.mimetype == PROBLEM
    assert int(limited.headers["Retry-After"]) >= 1
    # Another token has its own bucket.
    other = make_token(db, make_user(db, Role.ANALYST), scope="read")
    assert call(client, "GET", "/persons", other).status_code == 200


def test_errors_are_problem_details(client: FlaskClient, db: Session) -> None:
    token = make_token(db, make_user(db, Role.ANALYST), scope="read")
    for method, path, status in (
        ("GET", "/nowhere", 404),
        ("DELETE", "/persons", 405),
        ("GET", "/persons/not-a-uuid", 404),
    ):
        response = call(client, method, path, token)
        assert response.status_code == status
        assert response.mimetype == PROBLEM
        body = response.get_json()
        assert body["status"] == status
        assert {"type", "title", "detail", "instance"} <= body.keys()


def test_a_flood_of_refused_tokens_is_throttled_per_address(
    client: FlaskClient, db: Session
) -> None:
    from web.api.routing import FAILURES_PER_MINUTE

    good = make_token(db, make_user(db, Role.ANALYST), scope="read")
    statuses = [
        call(client, "GET", "/persons", f"ncen_guessguessgu_{n:040d}").status_code
        for n in range(FAILURES_PER_MINUTE + 1)
    ]
    assert statuses[:FAILURES_PER_MINUTE] == [401] * FAILURES_PER_MINUTE
    assert statuses[-1] == 429
    assert call(client, "GET", "/persons", good).status_code == 200  # valid tokens still work

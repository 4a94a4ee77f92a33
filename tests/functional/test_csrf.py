"""CSRF: every state-changing route refuses a missing or wrong token with a clear 400 page."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from ncen.accounts.models import Role
from tests.functional.conftest import reload, sign_in
from tests.functional.test_role_matrix import routes, url_for_rule
from tests.web_support import make_user

STATE_CHANGING = {"POST", "PUT", "PATCH", "DELETE"}
# Called by other nodes, not browsers: no session, the signatures authenticate (web.exchange.api).
PEER_ENDPOINT = "/exchange/v1/"
# The REST API takes no cookie, only a bearer token, which a cross-site request cannot carry:
# it is exempt from CSRF, and a signed-in browser's request there is a 401 (checked below).
API = "/api/v1/"


@pytest.mark.parametrize("token", [None, "forged-token"])
def test_every_state_changing_route_needs_the_token(
    app: Flask, client: FlaskClient, db: Session, token: str | None
) -> None:
    target = make_user(db, Role.INVESTIGATOR)
    admin = make_user(db, Role.ADMINISTRATOR)
    assert sign_in(client, admin).status_code == 302
    checked = []
    for method, rule in routes(app):
        if method not in STATE_CHANGING or rule.rule.startswith(PEER_ENDPOINT):
            continue
        if rule.rule.startswith(API):
            response = client.open(url_for_rule(rule, target.id), method=method, json={})
            assert response.status_code == 401, rule.rule
            continue
        data = {} if token is None else {"csrf_token": token}
        response = client.open(url_for_rule(rule, target.id), method=method, data=data)
        assert response.status_code == 400, rule.rule
        assert "This form has expired or was not sent from this site" in response.text
        checked.append(rule.rule)
    assert "/auth/sign-out" in checked
    assert "/admin/users/<uuid:user_id>/disable" in checked
    # Nothing happened: the target is still active and the admin still signed in.
    assert reload(db, target).active is True
    assert client.get("/home").status_code == 200


def test_token_from_another_session_is_refused(app: Flask, db: Session) -> None:
    victim, attacker = app.test_client(), app.test_client()
    user = make_user(db, Role.ANALYST)
    sign_in(victim, user)
    attacker_page = attacker.get("/auth/sign-in").text
    token = attacker_page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    response = victim.post("/auth/sign-out", data={"csrf_token": token})
    assert response.status_code == 400
    assert victim.get("/home").status_code == 200

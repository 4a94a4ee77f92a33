"""Every route of the application under every role, against an explicit table of expectations.

The table must list exactly the routes of ``app.url_map``: a new route without an entry (or an
entry for a route that no longer exists) fails `test_table_covers_every_route`. Outcomes:

- ALLOW: the request is served (a page, or a redirect within the flow; never 403);
- DENY: 403, the role lacks the permission;
- LOGIN: a redirect to the sign-in page that remembers where to come back (``?next=``).

CSRF protection is switched off here because it is checked before authorisation and would
answer 400 to every POST; `test_csrf.py` proves it on every state-changing route.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from urllib.parse import parse_qs, urlsplit

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import Session
from werkzeug.routing import Rule
from werkzeug.test import TestResponse

from ncen.accounts.models import Role
from tests.functional.conftest import sign_in
from tests.web_support import make_user

ALLOW, DENY, LOGIN = "allow", "deny", "login"
ROLES = ("investigator", "analyst", "supervisor", "exchange_officer", "administrator")
ANONYMOUS = "anonymous"

PUBLIC = dict.fromkeys((*ROLES, ANONYMOUS), ALLOW)
SIGNED_IN = {**dict.fromkeys(ROLES, ALLOW), ANONYMOUS: LOGIN}
ADMINISTRATOR = {**dict.fromkeys(ROLES, DENY), "administrator": ALLOW, ANONYMOUS: LOGIN}

EXPECTED: dict[tuple[str, str], dict[str, str]] = {
    ("GET", "/static/<path:filename>"): PUBLIC,
    ("GET", "/vendor/<path:filename>"): PUBLIC,
    ("GET", "/"): PUBLIC,
    ("GET", "/home"): SIGNED_IN,
    ("GET", "/auth/sign-in"): PUBLIC,
    ("POST", "/auth/sign-in"): PUBLIC,
    ("GET", "/auth/two-factor"): PUBLIC,
    ("POST", "/auth/two-factor"): PUBLIC,
    ("GET", "/auth/two-factor/enrol"): PUBLIC,
    ("POST", "/auth/two-factor/enrol"): PUBLIC,
    ("POST", "/auth/language"): PUBLIC,
    ("GET", "/auth/account"): SIGNED_IN,
    ("GET", "/auth/password"): SIGNED_IN,
    ("POST", "/auth/password"): SIGNED_IN,
    ("POST", "/auth/sign-out"): SIGNED_IN,
    ("GET", "/admin/users"): ADMINISTRATOR,
    ("GET", "/admin/users/new"): ADMINISTRATOR,
    ("POST", "/admin/users/new"): ADMINISTRATOR,
    ("GET", "/admin/users/<uuid:user_id>"): ADMINISTRATOR,
    ("POST", "/admin/users/<uuid:user_id>/roles"): ADMINISTRATOR,
    ("POST", "/admin/users/<uuid:user_id>/disable"): ADMINISTRATOR,
    ("POST", "/admin/users/<uuid:user_id>/enable"): ADMINISTRATOR,
    ("POST", "/admin/users/<uuid:user_id>/reset-password"): ADMINISTRATOR,
    ("POST", "/admin/users/<uuid:user_id>/reset-two-factor"): ADMINISTRATOR,
    ("GET", "/admin/audit"): ADMINISTRATOR,
}

# Values for the URL variables of the rules (``target`` is replaced by a real user's id).
URL_VALUES: dict[tuple[str, str], str] = {
    ("static", "filename"): "app.css",
    ("assets.vendor", "filename"): "bootstrap.min.css",
    ("admin.*", "user_id"): "target",
}


def routes(app: Flask) -> list[tuple[str, Rule]]:
    """Every (method, rule) the application answers, HEAD and OPTIONS aside."""
    return sorted(
        (
            (method, rule)
            for rule in app.url_map.iter_rules()
            for method in rule.methods or ()
            if method not in {"HEAD", "OPTIONS"}
        ),
        key=lambda pair: (pair[1].rule, pair[0]),
    )


def url_for_rule(rule: Rule, target: uuid.UUID) -> str:
    """A concrete URL for ``rule``; fails for a variable without a value in `URL_VALUES`."""
    values = {}
    for argument in rule.arguments:
        blueprint = rule.endpoint.split(".")[0] + ".*"
        value = URL_VALUES.get((rule.endpoint, argument)) or URL_VALUES.get((blueprint, argument))
        assert value is not None, f"add a value for {rule.endpoint}:{argument} to URL_VALUES"
        values[argument] = target if value == "target" else value
    path = rule.rule
    for name, value in values.items():
        converter = next(part for part in path.split("<") if part.split(">")[0].endswith(name))
        path = path.replace("<" + converter.split(">")[0] + ">", str(value))
    return path


def outcome(response: TestResponse) -> str:
    """Classify a response as ALLOW, DENY or LOGIN."""
    assert response.status_code < 500, response.text
    if response.status_code == 403:
        return DENY
    if response.status_code in {301, 302, 303}:
        location = urlsplit(response.location)
        if location.path == "/auth/sign-in" and "next" in parse_qs(location.query):
            return LOGIN
    return ALLOW


def test_table_covers_every_route(app: Flask) -> None:
    actual = {(method, rule.rule) for method, rule in routes(app)}
    assert sorted(actual - EXPECTED.keys()) == [], "routes without an expected entry"
    assert sorted(EXPECTED.keys() - actual) == [], "expected entries for routes that are gone"


def _signed_in(client: FlaskClient) -> bool:
    with client.session_transaction() as session:
        return "_user_id" in session


@pytest.mark.parametrize("role", [*ROLES, ANONYMOUS])
def test_every_route_under_role(role: str, make_app: Callable[..., Flask], db: Session) -> None:
    app = make_app()
    app.config["WTF_CSRF_ENABLED"] = False
    target = make_user(db, Role.INVESTIGATOR, totp=True)
    user = None if role == ANONYMOUS else make_user(db, Role(role))
    client = app.test_client()
    observed: dict[tuple[str, str], str] = {}
    expected: dict[tuple[str, str], str] = {}
    for method, rule in routes(app):
        if user is not None and not _signed_in(client):
            assert sign_in(client, user).status_code == 302
        url = url_for_rule(rule, target.id)
        response = client.open(url, method=method, headers={"Referer": "http://localhost/home"})
        observed[(method, rule.rule)] = outcome(response)
        response.close()  # file responses (static, vendor) hold the file open until closed
        expected[(method, rule.rule)] = EXPECTED[(method, rule.rule)][role]
    assert observed == expected

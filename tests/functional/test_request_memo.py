"""`web.requestmemo`: each request gets a fresh memo, dropped at its teardown; outside a request
the memo is `flask.g`'s namespace. Nothing a request worked out reaches the next one."""

from __future__ import annotations

from flask import Flask, g
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from ncen.accounts.models import Role
from tests.functional.conftest import sign_in
from tests.web_support import make_user
from web.requestmemo import _MEMO, request_memo


def test_a_request_has_its_own_memo_until_its_teardown(app: Flask) -> None:
    with app.test_request_context("/auth/sign-in"):
        assert request_memo() is vars(g._get_current_object())  # no request hooks ran yet
        app.preprocess_request()
        memo = request_memo()
        assert memo == {}
        assert memo is not vars(g._get_current_object())
        memo["x"] = 1
        assert request_memo()["x"] == 1
        app.do_teardown_request()
        assert _MEMO.get() is None
    with app.test_request_context("/auth/sign-in"):
        app.preprocess_request()
        assert "x" not in request_memo()
        app.do_teardown_request()


def test_successive_requests_get_their_own_language(
    app: Flask, client: FlaskClient, db: Session
) -> None:
    french = make_user(db, Role.ANALYST, locale="fr")
    russian = make_user(db, Role.ANALYST, locale="ru")
    other = app.test_client()
    assert sign_in(client, french).status_code == 302
    assert sign_in(other, russian).status_code == 302
    for _ in range(2):
        assert '<html lang="fr"' in client.get("/auth/account").text
        assert '<html lang="ru"' in other.get("/auth/account").text
        assert _MEMO.get() is None  # dropped after each request
    with app.app_context():
        assert request_memo() is vars(g._get_current_object())

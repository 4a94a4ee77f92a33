"""Bad input gets a clear page, never a stack trace: unknown ids, oversized bodies, wrong verbs."""

from __future__ import annotations

import uuid

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from ncen.accounts.models import Role
from tests.functional.conftest import post_form, sign_in
from tests.web_support import make_user


def _no_trace(html: str) -> None:
    assert "Traceback" not in html
    assert "sqlalchemy" not in html.lower()


def test_unknown_page(client: FlaskClient) -> None:
    response = client.get("/nowhere")
    assert response.status_code == 404
    assert "does not exist, or you are not allowed to see it" in response.text
    _no_trace(response.text)


def test_unknown_record_id(client: FlaskClient, db: Session) -> None:
    sign_in(client, make_user(db, Role.ADMINISTRATOR))
    response = client.get(f"/admin/users/{uuid.uuid4()}")
    assert response.status_code == 404
    assert "does not exist" in response.text
    _no_trace(response.text)
    assert client.get("/admin/users/not-a-uuid").status_code == 404
    missing = post_form(client, f"/admin/users/{uuid.uuid4()}/reset-password", {})
    assert missing.status_code == 404


def test_forbidden_page_explains(client: FlaskClient, db: Session) -> None:
    sign_in(client, make_user(db, Role.ANALYST))
    response = client.get("/admin/users")
    assert response.status_code == 403
    assert "Your role does not allow this" in response.text


def test_oversized_body(app: Flask, client: FlaskClient) -> None:
    app.config["MAX_CONTENT_LENGTH"] = 1024 * 1024
    response = client.post(
        "/auth/sign-in", data={"username": "x" * (2 * 1024 * 1024), "password": "y"}
    )
    assert response.status_code == 413
    assert "the limit is 1 MB" in response.text


def test_wrong_method(client: FlaskClient) -> None:
    response = client.get("/auth/sign-out")
    assert response.status_code == 405
    assert "does not accept that kind of request" in response.text


def test_over_long_input_is_refused_next_to_the_field(client: FlaskClient) -> None:
    response = post_form(client, "/auth/sign-in", {"username": "u" * 500, "password": "p"})
    assert response.status_code == 200
    assert "Field cannot be longer than 64 characters." in response.text
    assert 'class="form-control is-invalid"' in response.text


def test_a_deliberate_503_stays_503(app: Flask, client: FlaskClient) -> None:
    from flask import abort

    from web.security import public

    @app.get("/test-unavailable")
    @public
    def unavailable() -> str:
        abort(503)

    response = client.get("/test-unavailable")
    assert response.status_code == 503
    assert "not available now" in response.text
    _no_trace(response.text)

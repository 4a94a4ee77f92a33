"""Security headers on every response, and pages free of inline script."""

from __future__ import annotations

import re

from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from ncen.accounts.models import Role
from tests.functional.conftest import sign_in
from tests.web_support import make_user


def test_headers_on_pages(client: FlaskClient) -> None:
    response = client.get("/auth/sign-in")
    headers = response.headers
    csp = headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert "unsafe-eval" not in csp
    assert "frame-ancestors 'none'" in csp
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Referrer-Policy"] == "same-origin"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Cache-Control"] == "no-store"
    assert "Strict-Transport-Security" not in headers  # plain HTTP: no HSTS


def test_hsts_only_over_tls(client: FlaskClient) -> None:
    response = client.get("/auth/sign-in", base_url="https://localhost")
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")


def test_headers_on_error_pages(client: FlaskClient) -> None:
    response = client.get("/no/such/page")
    assert response.status_code == 404
    assert "Content-Security-Policy" in response.headers


def test_no_inline_script_or_event_handlers(client: FlaskClient, db: Session) -> None:
    admin = make_user(db, Role.ADMINISTRATOR)
    sign_in(client, admin)
    for url in ["/home", "/auth/account", "/admin/users", "/admin/users/new", "/admin/audit"]:
        html = client.get(url).text
        for tag in re.findall(r"<script\b[^>]*>", html):
            assert "src=" in tag, (url, tag)
        assert not re.search(r"\son[a-z]+\s*=", html), url
        assert " style=" not in html, url


def test_static_and_vendor_assets_are_served_locally(client: FlaskClient) -> None:
    html = client.get("/auth/sign-in").text
    assert "http://" not in html.replace('xmlns="http://www.w3.org/2000/svg"', "")
    assert "https://" not in html
    response = client.get("/static/app.css")
    assert response.status_code == 200
    response.close()
    assert client.get("/vendor/../../package.json").status_code == 404
    assert client.get("/vendor/bootstrap/package.json").status_code == 404


def test_a_view_without_access_marker_stops_the_app(app) -> None:
    import pytest
    from flask import Blueprint

    from web.security import verify_access_markers

    forgotten = Blueprint("forgotten", __name__)
    forgotten.add_url_rule("/forgotten", "page", lambda: "open to all?")
    app.register_blueprint(forgotten)
    with pytest.raises(RuntimeError, match=r"forgotten\.page"):
        verify_access_markers(app)

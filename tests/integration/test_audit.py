"""The audit trail: hash chain verification and the append-only guard in the database."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from ncen.audit import AuditEvent, record_event, verify_chain
from ncen.errors import AuditChainError


def test_chain_verifies_and_links(session, system):
    with session.begin():
        first = record_event(session, system, "test.one", record_type="x", record_id="1")
        second = record_event(session, system, "test.two", details={"n": 2, "name": "Алиев"})
    assert second.prev_hash == first.hash
    assert verify_chain(session) >= 2


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE audit_events SET action = 'forged'",
        "DELETE FROM audit_events",
        "TRUNCATE audit_events",
    ],
)
def test_database_refuses_to_change_history(session, system, statement):
    with session.begin():
        record_event(session, system, "test.guarded")
    with pytest.raises(DBAPIError, match="append-only"), session.begin():
        session.execute(text(statement))


def test_tampering_is_detected(session, system):
    with session.begin():
        record_event(session, system, "test.a")
        target = record_event(session, system, "test.b", details={"qty": 10})
        record_event(session, system, "test.c")
    # Simulate a superuser who disabled the guard and edited a row.
    with session.begin():
        session.execute(text("ALTER TABLE audit_events DISABLE TRIGGER audit_events_no_update"))
        session.execute(
            text("UPDATE audit_events SET details = '{\"qty\": 1}' WHERE id = :id"),
            {"id": target.id},
        )
        session.execute(text("ALTER TABLE audit_events ENABLE TRIGGER audit_events_no_update"))
    session.expire_all()
    with pytest.raises(AuditChainError, match=str(target.id)):
        verify_chain(session)


def test_events_are_ordered_and_carry_the_actor(session, investigator):
    with session.begin():
        event = record_event(session, investigator, "person.read", record_id="abc")
    stored = session.get(AuditEvent, event.id)
    assert stored.actor_id == investigator.user_id
    assert stored.actor_name == investigator.username

"""The stored queue of duplicate candidates (`ncen.merging.queue`) on real PostgreSQL: a scan
ranks the node's pairs, best first; a rescan examines only changed records; "not the same"
and deleted records leave the page."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from ncen.accounts.models import Role
from ncen.audit import AuditEvent, flush_events
from ncen.errors import PermissionDeniedError
from ncen.merging.candidates import ordered
from ncen.merging.models import Decision
from ncen.merging.queue import last_scan, queued_pairs, reset_scan, scan_window, waiting
from ncen.merging.services import decide
from ncen.persons.services import create_person, delete_person, update_person
from tests.conftest import make_actor


def _person(session, actor, name, **data):
    return create_person(session, actor, {"names": [{"full_name": name}], "gender": "M", **data})


def _scan(session, actor, record_type="person") -> int:
    total = 0
    while examined := scan_window(session, actor, record_type, window=2):
        total += examined
    return total


@pytest.fixture
def people(session, investigator):
    born = {"birth_year": 1979, "birth_month": 5, "birth_day": 17}
    twin_a = _person(session, investigator, "Жумабаев Ерлан", **born)
    twin_b = _person(session, investigator, "Zhumabayev Yerlan", **born)
    namesake = _person(session, investigator, "Zhumabayev Yerlan", birth_year=1979)
    passport = [{"doc_type": "passport", "number": "N77120044"}]
    doc_a = _person(session, investigator, "Karimova Dilnoza", birth_year=1990, documents=passport)
    doc_b = _person(session, investigator, "Karimova Dilnaza", birth_year=1990, documents=passport)
    return twin_a, twin_b, namesake, doc_a, doc_b


def test_a_scan_ranks_every_pair_of_the_node(session, supervisor, people):
    twin_a, twin_b, _namesake, doc_a, doc_b = people
    assert last_scan(session, "person") is None
    assert _scan(session, supervisor) == 5
    assert waiting(session, "person", last_scan(session, "person")) == 0
    pairs, total = queued_pairs(session, "person")
    assert total == len(pairs) >= 2
    top = {ordered(p.record_id, p.other_id) for p in pairs[:2]}
    assert top == {ordered(twin_a.id, twin_b.id), ordered(doc_a.id, doc_b.id)}
    assert all(p.score >= 0.85 for p in pairs[:2])
    assert all(p.score < 0.85 for p in pairs[2:])
    doc_pair = next(p for p in pairs if {p.record_id, p.other_id} == {doc_a.id, doc_b.id})
    assert "same_document" in {e.code for e in doc_pair.evidence_for}
    assert {p.record_name for p in pairs} | {p.other_name for p in pairs} >= {"Karimova Dilnoza"}
    flush_events(session)
    scans = session.execute(
        select(AuditEvent.details).where(AuditEvent.action == "duplicates.scan")
    ).scalars()
    assert sum(d["records"] for d in scans) == 5


def test_a_rescan_examines_only_changed_records(session, supervisor, investigator, people):
    twin_a, twin_b, *_ = people
    _scan(session, supervisor)
    assert _scan(session, supervisor) == 0
    update_person(
        session, investigator, twin_b.id, twin_b.version,
        {"names": [{"full_name": "Zhumabayev Yerlan"}], "gender": "M", "birth_year": 1960},
    )  # fmt: skip
    assert waiting(session, "person", last_scan(session, "person")) == 1
    assert _scan(session, supervisor) == 1
    pairs, _ = queued_pairs(session, "person")
    twins = [p for p in pairs if {p.record_id, p.other_id} == {twin_a.id, twin_b.id}]
    assert not twins or twins[0].score < 0.85
    reset_scan(session, supervisor, "person")
    assert _scan(session, supervisor) == 5


def test_not_the_same_and_deleted_records_leave_the_queue(session, supervisor, people):
    twin_a, twin_b, _, _doc_a, doc_b = people
    _scan(session, supervisor)
    decide(session, supervisor, "person", twin_a.id, twin_b.id, decision=Decision.NOT_SAME)
    delete_person(session, supervisor, doc_b.id, doc_b.version)
    pairs, total = queued_pairs(session, "person")
    shown = {ordered(p.record_id, p.other_id) for p in pairs}
    assert ordered(twin_a.id, twin_b.id) not in shown
    assert all(doc_b.id not in pair for pair in shown)
    assert total == len(pairs)
    # A full rescan does not bring the rejected pair back.
    reset_scan(session, supervisor, "person")
    _scan(session, supervisor)
    again = {ordered(p.record_id, p.other_id) for p in queued_pairs(session, "person")[0]}
    assert ordered(twin_a.id, twin_b.id) not in again


@pytest.mark.parametrize("role", [Role.ANALYST, Role.INVESTIGATOR, Role.ADMINISTRATOR])
def test_only_supervisors_scan(session, role):
    with pytest.raises(PermissionDeniedError):
        scan_window(session, make_actor(session, role), "person")

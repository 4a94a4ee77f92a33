"""Duplicates and reversible merges on real PostgreSQL.

Covers: candidates scored by the search matcher, "not the same" pairs not proposed again,
merge moving every link (and dropping duplicates of the survivor's), unmerge restoring both
records and all their links exactly, the ledger, history, audit and permissions.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select

from ncen.accounts.models import Role
from ncen.audit import AuditEvent, flush_events
from ncen.companies.services import create_company, link_person_to_company
from ncen.errors import ConflictError, NotFoundError, PermissionDeniedError, ValidationError
from ncen.history import ChangeKind, list_versions
from ncen.merging.candidates import candidates_of, duplicate_candidates
from ncen.merging.models import Decision
from ncen.merging.services import (
    active_merge_of,
    decide,
    full_snapshot,
    list_decisions,
    merge,
    unmerge,
)
from ncen.persons.models import Person
from ncen.persons.services import create_person
from ncen.seizures.models import SeizurePerson
from ncen.seizures.services import record_seizure
from tests.conftest import make_actor
from tests.factories import company_data, person_data, seizure_data


@pytest.fixture
def twins(session, investigator):
    """Two records of one man, each with seizure and company links, one link shared."""
    a = create_person(session, investigator, person_data())
    b = create_person(
        session,
        investigator,
        person_data(names=[{"full_name": "Mukhamad Aliyev", "kind": "primary"}]),
    )
    company = create_company(session, investigator, company_data())
    s1 = record_seizure(session, investigator, seizure_data())
    s2 = record_seizure(session, investigator, seizure_data())
    session.add_all(
        [
            SeizurePerson(seizure_id=s1.id, person_id=a.id, role="offender"),
            SeizurePerson(seizure_id=s1.id, person_id=b.id, role="offender", note="dup"),
            SeizurePerson(seizure_id=s2.id, person_id=b.id, role="courier", note="moved"),
        ]
    )
    session.flush()
    link_person_to_company(
        session, investigator, person_id=b.id, company_id=company.id, role="director"
    )
    return a, b


def test_twins_are_candidates_with_an_explanation(session, twins):
    a, b = twins
    found = candidates_of(session, "person", a)
    assert [c.other_id for c in found][:1] == [b.id]
    assert found[0].score >= 0.8
    assert "matched" in found[0].explanation.summary()
    pairs = duplicate_candidates(session, "person")
    assert any({c.record_id, c.other_id} == {a.id, b.id} for c in pairs)


def test_not_same_pairs_are_not_proposed_again(session, twins, supervisor):
    a, b = twins
    decide(session, supervisor, "person", b.id, a.id, decision=Decision.NOT_SAME, score=0.9)
    pairs = duplicate_candidates(session, "person")
    assert not any({c.record_id, c.other_id} == {a.id, b.id} for c in pairs)
    [line] = list_decisions(session, "person")
    assert line.decision is Decision.NOT_SAME
    assert line.decided_by_name == supervisor.username


def test_merge_moves_links_and_unmerge_restores_exactly(session, twins, supervisor):
    a, b = twins
    before = (full_snapshot(session, "person", a.id), full_snapshot(session, "person", b.id))
    merged = merge(
        session,
        supervisor,
        "person",
        a.id,
        b.id,
        survivor_version=a.version,
        merged_version=b.version,
        score=0.93,
        evidence={"note": "same passport"},
    )
    survivor_links = full_snapshot(session, "person", a.id)["links"]
    assert len(survivor_links["seizure_persons"]) == 2  # one moved, one dropped as duplicate
    assert len(survivor_links["person_companies"]) == 1
    assert len(merged.moved_links) == 2
    assert len(merged.dropped_links) == 1
    assert session.get(Person, b.id).deleted_at is not None
    assert active_merge_of(session, b.id) == merged

    unmerge(session, supervisor, merged.id)
    after = (full_snapshot(session, "person", a.id), full_snapshot(session, "person", b.id))
    assert after == before
    assert active_merge_of(session, b.id) is None
    kinds = [v.kind for v in list_versions(session, "person", b.id)]
    assert ChangeKind.DELETE in kinds
    assert ChangeKind.RESTORE in kinds
    decisions = [d.decision for d in list_decisions(session, "person")]
    assert decisions == [Decision.UNMERGED, Decision.MERGED]
    flush_events(session)  # events are written at commit; read them back before it
    actions = set(session.execute(select(AuditEvent.action)).scalars())
    assert {"person.merge", "person.unmerge"} <= actions


def test_unmerge_twice_is_refused(session, twins, supervisor):
    a, b = twins
    merged = merge(session, supervisor, "person", a.id, b.id, survivor_version=1, merged_version=1)
    unmerge(session, supervisor, merged.id)
    with pytest.raises(NotFoundError):
        unmerge(session, supervisor, merged.id)


def test_merge_needs_current_versions_and_two_records(session, twins, supervisor):
    a, b = twins
    with pytest.raises(ConflictError):
        merge(session, supervisor, "person", a.id, b.id, survivor_version=7, merged_version=1)
    with pytest.raises(ValidationError):
        merge(session, supervisor, "person", a.id, a.id, survivor_version=1, merged_version=1)


@pytest.mark.parametrize("role", [Role.INVESTIGATOR, Role.ANALYST, Role.EXCHANGE_OFFICER])
def test_only_supervisors_merge_and_decide(session, twins, role):
    a, b = twins
    actor = make_actor(session, role)
    with pytest.raises(PermissionDeniedError):
        merge(session, actor, "person", a.id, b.id, survivor_version=1, merged_version=1)
    with pytest.raises(PermissionDeniedError):
        decide(session, actor, "person", a.id, b.id, decision=Decision.NOT_SAME)


def test_companies_merge_and_unmerge(session, investigator, supervisor):
    a = create_company(session, investigator, company_data())
    b = create_company(session, investigator, company_data(names=[{"name": "Silk Road Logistic"}]))
    assert b.id in [c.other_id for c in candidates_of(session, "company", a)]
    before = full_snapshot(session, "company", b.id)
    merged = merge(session, supervisor, "company", a.id, b.id, survivor_version=1, merged_version=1)
    unmerge(session, supervisor, merged.id)
    assert full_snapshot(session, "company", b.id) == before


def test_chained_merges_are_undone_in_reverse_order(session, twins, investigator, supervisor):
    a, b = twins
    c = create_person(session, investigator, person_data())
    first = merge(
        session, supervisor, "person", b.id, c.id, survivor_version=b.version, merged_version=1
    )
    before_b = full_snapshot(session, "person", b.id)
    second = merge(
        session, supervisor, "person", a.id, b.id, survivor_version=1, merged_version=b.version
    )
    with pytest.raises(ValidationError):
        unmerge(session, supervisor, first.id)
    unmerge(session, supervisor, second.id)
    assert full_snapshot(session, "person", b.id) == before_b
    unmerge(session, supervisor, first.id)
    assert session.get(Person, c.id).deleted_at is None

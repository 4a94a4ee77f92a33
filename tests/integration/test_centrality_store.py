"""Stored whole-graph centrality (issue 9): store, read back, deletions, audit, the lock."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, func, select, text
from sqlalchemy.orm import Session

from ncen.accounts.actor import Actor
from ncen.accounts.models import Role
from ncen.analysis import centrality_store
from ncen.analysis.centrality_store import (
    CENTRALITY_LOCK,
    compute_and_store_centrality,
    latest_centrality,
)
from ncen.analysis.centralitymodels import CentralityRun
from ncen.analysis.measures import whole_graph_centrality
from ncen.audit import AuditEvent, flush_events
from ncen.errors import PermissionDeniedError, ValidationError
from ncen.persons.models import Person
from ncen.persons.services import delete_person
from tests.conftest import make_actor
from tests.graph_support import Ring, plant_ring


@pytest.fixture
def ring(session: Session, supervisor: Actor) -> Ring:
    return plant_ring(session, supervisor)


def _runs(session: Session) -> int:
    return session.execute(select(func.count()).select_from(CentralityRun)).scalar_one()


def _events(session: Session, action: str) -> list[AuditEvent]:
    flush_events(session)
    query = select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)
    return list(session.execute(query).scalars())


def test_store_and_read_back(session: Session, analyst: Actor, ring: Ring):
    live = whole_graph_centrality(session, analyst, top=5)
    run = compute_and_store_centrality(session, analyst, top=50)
    assert run is not None
    assert run.node_count >= 9  # the ring's linked live records
    assert run.edge_count > 0
    assert run.seconds >= 0
    assert run.peak_rss_mib > 10  # a Python process with the graph loaded
    assert run.requested_by == analyst.username
    assert run.seizures_from is None
    stored = latest_centrality(session, analyst, top=5)
    assert stored is not None
    assert stored.run_id == str(run.id)
    assert stored.node_count == run.node_count
    # The stored run reads back exactly what the live computation shows.
    assert [(n.key, m) for n, m in stored.ranked] == [(n.key, m) for n, m in live]
    assert stored.ranked[0][0].key == ring.company
    assert stored.ranked[0][0].label  # the name is looked up at read time, not stored
    assert "Seitkali" not in str(run.top)
    read = _events(session, "analysis.centrality")[-1]
    assert read.details["run"] == str(run.id)
    assert read.details["shown"] == [str(n.key) for n, _ in stored.ranked]
    computed = _events(session, "analysis.centrality.computed")[-1]
    assert computed.record_id == str(run.id)
    assert computed.details["nodes"] == run.node_count


def test_a_record_deleted_after_the_run_is_dropped_at_read(
    session: Session, analyst: Actor, supervisor: Actor, ring: Ring
):
    assert compute_and_store_centrality(session, analyst) is not None
    before = latest_centrality(session, analyst, top=50)
    assert before is not None
    assert ring.a in [n.key for n, _ in before.ranked]
    person = session.get(Person, ring.a.id)
    assert person is not None
    delete_person(session, supervisor, ring.a.id, person.version)
    after = latest_centrality(session, analyst, top=50)
    assert after is not None
    assert after.run_id == before.run_id  # the same stored run...
    assert ring.a not in [n.key for n, _ in after.ranked]  # ...without the deleted record
    assert len(after.ranked) == len(before.ranked) - 1
    assert str(ring.a) not in _events(session, "analysis.centrality")[-1].details["shown"]


def test_latest_run_per_date_filter(session: Session, analyst: Actor, ring: Ring):
    from datetime import date

    assert latest_centrality(session, analyst) is None
    assert compute_and_store_centrality(session, analyst, seizures_from=date(2000, 1, 1))
    assert latest_centrality(session, analyst) is None  # a filtered run is not the whole graph
    filtered = latest_centrality(session, analyst, seizures_from=date(2000, 1, 1))
    assert filtered is not None
    assert filtered.seizures_from == date(2000, 1, 1)


def test_a_second_run_while_one_is_running_returns_at_once(
    engine: Engine, session: Session, analyst: Actor, ring: Ring, monkeypatch
):
    with Session(engine) as first, first.begin():
        # The first run holds the job's lock until its transaction ends.
        assert compute_and_store_centrality(first, Actor.system("first")) is not None

        def must_not_compute(*args: object, **kwargs: object) -> None:
            raise AssertionError("the second run computed the graph")

        with monkeypatch.context() as patch:
            patch.setattr(centrality_store, "rank_whole_graph", must_not_compute)
            assert compute_and_store_centrality(session, analyst) is None
        assert _runs(session) == 0  # the first run is not committed; the second wrote nothing
        first.rollback()
    assert compute_and_store_centrality(session, analyst) is not None  # lock released


def test_the_lock_is_shared_with_any_process(engine: Engine, session: Session, analyst: Actor):
    with engine.connect() as other, other.begin():
        other.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": CENTRALITY_LOCK})
        assert compute_and_store_centrality(session, analyst) is None
    assert _runs(session) == 0


def test_a_fresh_run_is_not_recomputed(session: Session, analyst: Actor, ring: Ring):
    assert compute_and_store_centrality(session, analyst, max_age_hours=24) is not None
    assert compute_and_store_centrality(session, analyst, max_age_hours=24) is None
    assert _runs(session) == 1
    assert compute_and_store_centrality(session, analyst, max_age_hours=0) is not None
    assert _runs(session) == 2


def test_policy_and_limits(session: Session, analyst: Actor):
    officer = make_actor(session, Role.EXCHANGE_OFFICER)
    with pytest.raises(PermissionDeniedError):
        compute_and_store_centrality(session, officer)
    with pytest.raises(PermissionDeniedError):
        latest_centrality(session, officer)
    with pytest.raises(ValidationError):
        compute_and_store_centrality(session, analyst, top=10**12)
    with pytest.raises(ValidationError):
        latest_centrality(session, analyst, top=0)

"""The entity graph service on PostgreSQL: references, nodes, expansion, caps, visibility."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from ncen.accounts.actor import Actor
from ncen.accounts.models import Role
from ncen.analysis.graph import (
    MAX_LIMIT,
    NodeKey,
    expand,
    expand_many,
    load_nodes,
    resolve_ref,
)
from ncen.audit import AuditEvent, flush_events
from ncen.errors import NotFoundError, PermissionDeniedError, ValidationError
from tests.conftest import make_actor
from tests.graph_support import Ring, plant_ring


@pytest.fixture
def ring(session: Session, supervisor: Actor) -> Ring:
    return plant_ring(session, supervisor, hub_seizures=300)


def test_node_key_round_trip_and_bad_text():
    key = NodeKey("person", uuid.uuid4())
    assert NodeKey.parse(str(key)) == key
    for bad in ("person", "robot:" + str(uuid.uuid4()), "person:not-a-uuid", None, "x" * 100):
        with pytest.raises(ValidationError):
            NodeKey.parse(bad)


def test_resolve_reference_uuid_and_kind(session: Session, analyst: Actor, ring: Ring):
    assert resolve_ref(session, analyst, ring.references["s1"]) == ring.s1
    assert resolve_ref(session, analyst, ring.references["s1"].lower()) == ring.s1
    assert resolve_ref(session, analyst, str(ring.a)) == ring.a
    assert resolve_ref(session, analyst, str(ring.company.id)) == ring.company
    with pytest.raises(NotFoundError):
        resolve_ref(session, analyst, str(ring.deleted))
    with pytest.raises(NotFoundError):
        resolve_ref(session, analyst, "NO-SUCH-REF")
    for bad in ("", "a\x00b", "x" * 500, "SZ\u202e-1"):
        with pytest.raises(ValidationError):
            resolve_ref(session, analyst, bad)


def test_load_nodes_drops_deleted_and_shows_origin(session: Session, analyst: Actor, ring: Ring):
    nodes = load_nodes(session, analyst, [ring.foreign, ring.deleted, ring.s1, ring.foreign])
    assert [n.key for n in nodes] == [ring.foreign, ring.s1]
    assert nodes[0].origin_node == "KZ-NODE-2"
    assert nodes[0].label == "Farid Karimov"
    assert nodes[1].reference == ring.references["s1"]
    assert nodes[1].when is not None


def test_expand_person_shows_every_edge_kind_with_evidence(
    session: Session, analyst: Actor, ring: Ring
):
    result = expand(session, analyst, ring.a)
    assert result.nodes[0].key == ring.a
    by_kind = {(e.kind, e.other(ring.a)): e for e in result.edges}
    participation = by_kind[("participation", ring.s1)]
    assert participation.label == "driver / owner"
    assert participation.evidence == f"driver / owner in {ring.references['s1']}"
    assert by_kind[("employment", ring.company)].evidence.startswith("director of ")
    phone = by_kind[("phone", ring.b)]
    assert phone.evidence == "same phone +77015551234"
    keys = {n.key for n in result.nodes}
    assert ring.deleted not in keys  # shared the phone, but deleted
    assert ring.namesake not in keys  # same name is no link
    assert result.more == {}


def test_expand_seizure_hides_deleted_and_shows_foreign(
    session: Session, analyst: Actor, ring: Ring
):
    s1 = expand(session, analyst, ring.s1)
    assert {n.key for n in s1.nodes} == {ring.s1, ring.a, ring.truck, ring.company}
    assert s1.more == {}  # the deleted passenger is not counted either
    s3 = expand(session, analyst, ring.s3)
    foreign = next(n for n in s3.nodes if n.key == ring.foreign)
    assert foreign.origin_node == "KZ-NODE-2"


def test_expand_same_edge_from_both_ends_is_equal(session: Session, analyst: Actor, ring: Ring):
    from_a = {e for e in expand(session, analyst, ring.a).edges if e.kind == "phone"}
    from_b = {e for e in expand(session, analyst, ring.b).edges if e.kind == "phone"}
    assert from_a == from_b
    assert len(from_a) == 1


def test_hub_is_capped_with_more_count(session: Session, analyst: Actor, ring: Ring):
    assert ring.hub is not None
    result = expand(session, analyst, ring.hub, edge_kinds=["participation"], limit=50)
    assert len(result.edges) == 50
    assert result.more == {"participation": 250}
    dates = [n.when for n in result.nodes[1:]]
    assert dates == sorted(dates, reverse=True)  # the most recent seizures first


def test_edge_kind_filter_and_bad_requests(session: Session, analyst: Actor, ring: Ring):
    only_phone = expand(session, analyst, ring.a, edge_kinds=["phone"])
    assert {e.kind for e in only_phone.edges} == {"phone"}
    with pytest.raises(ValidationError, match="between 1 and"):
        expand(session, analyst, ring.a, limit=10_000)
    with pytest.raises(ValidationError):
        expand(session, analyst, ring.a, edge_kinds=["telepathy"])
    with pytest.raises(NotFoundError):
        expand(session, analyst, ring.deleted)
    isolated = expand(session, analyst, ring.isolated)
    assert [n.key for n in isolated.nodes] == [ring.isolated]
    assert isolated.edges == []
    assert MAX_LIMIT < 10_000


def test_refused_without_analyse_network(session: Session, ring: Ring):
    officer = make_actor(session, Role.EXCHANGE_OFFICER)
    for call in (
        lambda: expand(session, officer, ring.a),
        lambda: load_nodes(session, officer, [ring.a]),
        lambda: resolve_ref(session, officer, str(ring.a)),
    ):
        with pytest.raises(PermissionDeniedError):
            call()


def test_expand_is_audited_with_the_records_shown(session: Session, analyst: Actor, ring: Ring):
    expand(session, analyst, ring.s1)
    flush_events(session)
    event = (
        session.execute(
            select(AuditEvent)
            .where(AuditEvent.action == "analysis.expand")
            .order_by(AuditEvent.id.desc())
        )
        .scalars()
        .first()
    )
    assert event is not None
    assert event.record_id == str(ring.s1.id)
    assert event.actor_id == analyst.user_id
    assert set(event.details["shown"]) == {
        str(k) for k in (ring.s1, ring.a, ring.truck, ring.company)
    }


def test_expand_many_two_hops_and_node_budget(session: Session, analyst: Actor, ring: Ring):
    two = expand_many(session, analyst, [ring.a], hops=2)
    keys = {n.key for n in two.nodes}
    # Hop 1: S1, the company, B (phone). Hop 2: the truck, S2 and S3 (company), D (e-mail).
    assert {ring.s1, ring.company, ring.b, ring.truck, ring.s2, ring.s3, ring.d} <= keys
    assert ring.deleted not in keys
    assert all(e.source in keys and e.target in keys for e in two.edges)
    small = expand_many(session, analyst, [ring.a], hops=2, max_nodes=3)
    assert len(small.nodes) == 3
    assert sum(small.more.values()) >= 4  # what did not fit is counted, not dropped silently
    with pytest.raises(ValidationError, match="between 1 and 2000"):
        expand_many(session, analyst, [ring.a], max_nodes=10_000)
    with pytest.raises(ValidationError):
        expand_many(session, analyst, [ring.a], hops=4)
    with pytest.raises(NotFoundError):
        expand_many(session, analyst, [ring.deleted])
    with pytest.raises(ValidationError, match="at most 5000"):
        load_nodes(session, analyst, [ring.a] * 10_000)


def test_hub_figure_without_recount_is_a_lower_bound(session: Session, analyst: Actor, ring: Ring):
    from ncen.analysis import edges

    assert ring.hub is not None
    hood = edges.neighbours(session, [ring.hub], cap=10, scan=100, count=False)
    assert hood.left_out[(ring.hub, "participation")] == 90
    assert (ring.hub, "participation") in hood.at_least
    counted = edges.neighbours(session, [ring.hub], cap=10, scan=100, count=True)
    assert counted.left_out[(ring.hub, "participation")] == 290
    assert counted.at_least == set()


def test_merged_away_person_follows_the_survivor(
    session: Session, supervisor: Actor, analyst: Actor, ring: Ring
):
    from ncen.merging.services import merge
    from ncen.persons.models import Person

    survivor = session.get(Person, ring.b.id)
    merged = session.get(Person, ring.d.id)
    assert survivor is not None
    assert merged is not None
    merge(
        session,
        supervisor,
        "person",
        ring.b.id,
        ring.d.id,
        survivor_version=survivor.version,
        merged_version=merged.version,
    )
    assert resolve_ref(session, analyst, str(ring.d)) == ring.b
    assert load_nodes(session, analyst, [ring.d]) == []
    s3 = {n.key for n in expand(session, analyst, ring.s3).nodes}
    assert ring.b in s3  # D's link moved to the survivor
    assert ring.d not in s3

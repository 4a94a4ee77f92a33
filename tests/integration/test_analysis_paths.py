"""Shortest paths, associates and measures over the planted ring, on PostgreSQL."""

from __future__ import annotations

import networkx
import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from ncen.accounts.actor import Actor
from ncen.accounts.models import Role
from ncen.analysis.associates import associates
from ncen.analysis.measures import measure, whole_graph_centrality
from ncen.analysis.paths import find_paths, shortest_paths
from ncen.audit import AuditEvent, flush_events
from ncen.errors import NotFoundError, PermissionDeniedError, ValidationError
from tests.conftest import make_actor
from tests.graph_support import Ring, plant_ring


@pytest.fixture
def ring(session: Session, supervisor: Actor) -> Ring:
    return plant_ring(session, supervisor)


def _audited(session: Session, action: str) -> AuditEvent:
    flush_events(session)
    event = (
        session.execute(
            select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id.desc())
        )
        .scalars()
        .first()
    )
    assert event is not None
    return event


def test_direct_and_multi_hop_paths_with_evidence(session: Session, analyst: Actor, ring: Ring):
    direct = shortest_paths(session, analyst, ring.a, ring.b)
    assert [[n.key for n in p.nodes] for p in direct] == [[ring.a, ring.b]]
    assert direct[0].edges[0].evidence == "same phone +77015551234"
    # D shares only an e-mail with B: A -> B -> D, two hops, one path.
    two = shortest_paths(session, analyst, ring.a, ring.d)
    assert {len(p.edges) for p in two} == {2}
    assert [n.key for n in two[0].nodes] in (
        [ring.a, ring.b, ring.d],
        [ring.a, ring.company, ring.d],
    )


def test_all_shortest_paths_through_a_cycle(session: Session, analyst: Actor, ring: Ring):
    # A and the truck: A -- S1 -- truck (2 hops); the cycle A-B-S2-truck is longer.
    paths = shortest_paths(session, analyst, ring.a, ring.truck, limit=5)
    assert [[n.key for n in p.nodes] for p in paths] == [[ring.a, ring.s1, ring.truck]]
    company_to_truck = shortest_paths(session, analyst, ring.company, ring.truck)
    middles = {p.nodes[1].key for p in company_to_truck}
    assert middles == {ring.s1, ring.s2}  # both shortest paths of the cycle


def test_no_path_isolated_and_bounds(session: Session, analyst: Actor, ring: Ring):
    search = find_paths(session, analyst, ring.a, ring.isolated)
    assert search.paths == []
    assert search.complete
    assert "no path of at most 6 hops" in search.message
    assert shortest_paths(session, analyst, ring.a, ring.namesake) == []
    same = shortest_paths(session, analyst, ring.a, ring.a)
    assert len(same) == 1
    assert same[0].edges == []
    with pytest.raises(ValidationError):
        shortest_paths(session, analyst, ring.a, ring.b, max_hops=7)
    with pytest.raises(NotFoundError):
        shortest_paths(session, analyst, ring.a, ring.deleted)
    # The deleted person shared A's phone: no path may run through it.
    assert shortest_paths(session, analyst, ring.a, ring.b, max_hops=1)[0].nodes[-1].key == ring.b
    event = _audited(session, "analysis.path")
    assert event.details["to"] == str(ring.b)


def test_associates_ranked_with_evidence(session: Session, analyst: Actor, ring: Ring):
    found = associates(session, analyst, ring.a)
    keys = [a.node.key for a in found]
    assert ring.company in keys
    assert ring.b in keys
    assert ring.truck in keys
    assert ring.deleted not in keys
    assert ring.namesake not in keys
    company = found[keys.index(ring.company)]
    assert keys[0] == ring.company  # a shared seizure and a directorship
    assert company.shared_seizures == 1
    assert company.last_seen is not None
    assert any(e.startswith("director of") for e in company.evidence)
    assert any(
        e == f"both in {ring.references['s1']} as driver / owner / importer"
        for e in company.evidence
    )
    b = found[keys.index(ring.b)]
    assert b.evidence == ["same phone +77015551234"]
    assert b.shared_seizures == 0
    event = _audited(session, "analysis.associates")
    assert set(event.details["shown"]) == {str(k) for k in keys}


def test_associates_of_company_include_foreign_with_origin(
    session: Session, analyst: Actor, ring: Ring
):
    found = associates(session, analyst, ring.company)
    foreign = next(a for a in found if a.node.key == ring.foreign)
    assert foreign.node.origin_node == "KZ-NODE-2"
    with pytest.raises(ValidationError):
        associates(session, analyst, ring.s1)
    assert associates(session, analyst, ring.isolated) == []


def test_refused_without_analyse_network(session: Session, ring: Ring):
    officer = make_actor(session, Role.EXCHANGE_OFFICER)
    with pytest.raises(PermissionDeniedError):
        associates(session, officer, ring.a)
    with pytest.raises(PermissionDeniedError):
        shortest_paths(session, officer, ring.a, ring.b)
    with pytest.raises(PermissionDeniedError):
        whole_graph_centrality(session, officer)


def test_measure_small_chart(ring: Ring):
    nodes = [ring.a, ring.s1, ring.truck, ring.s2, ring.b, ring.isolated]
    edges = [
        (ring.a, ring.s1),
        (ring.s1, ring.truck),
        (ring.truck, ring.s2),
        (ring.s2, ring.b),
        (ring.a, ring.s1),
        (ring.a, ring.namesake),
    ]
    result = measure(nodes, edges)
    # A path of five and an isolated node: 4 of the 10 pairs of others run through the truck.
    assert result[ring.truck].degree == 2
    assert result[ring.truck].betweenness == pytest.approx(0.4)
    reference = networkx.Graph([(str(x), str(y)) for x, y in edges[:4]])
    reference.add_node(str(ring.isolated))
    expected = networkx.closeness_centrality(reference)
    assert all(result[k].closeness == pytest.approx(expected[str(k)]) for k in nodes)
    assert result[ring.isolated].degree == 0
    assert result[ring.isolated].component == 1
    assert result[ring.a].component == 0
    assert result[ring.truck].closeness > result[ring.a].closeness
    assert max(result.values(), key=lambda m: m.eigenvector) == result[ring.truck]
    assert measure([], []) == {}


def test_whole_graph_centrality(session: Session, analyst: Actor, ring: Ring):
    top = whole_graph_centrality(session, analyst, top=5)
    keys = [n.key for n, _ in top]
    assert keys[0] == ring.company  # 3 seizures, a director: the most connected
    assert ring.deleted not in keys
    assert top[0][1].degree >= 4
    event = _audited(session, "analysis.centrality")
    assert event.details["shown"] == [str(k) for k in keys]


def test_whole_graph_snapshot_matches_the_edges(session: Session, ring: Ring):
    from datetime import UTC, datetime, timedelta

    from ncen.analysis.snapshot import load_graph

    graph = load_graph(session)
    nodes = set(graph.nodes())
    pairs = {frozenset((graph[a], graph[b])) for a, b in graph.edge_list()}
    assert frozenset((ring.a, ring.b)) in pairs  # same phone, written differently
    assert frozenset((ring.b, ring.d)) in pairs  # same e-mail, different case
    assert frozenset((ring.a, ring.company)) in pairs  # director
    assert frozenset((ring.truck, ring.s2)) in pairs
    assert ring.deleted not in nodes
    recent = load_graph(session, seizures_from=(datetime.now(UTC) - timedelta(days=15)).date())
    assert set(recent.nodes()) == {ring.s3, ring.d, ring.foreign, ring.company}


def test_path_through_a_hub_link_left_out_by_the_cap(
    session: Session, supervisor: Actor, analyst: Actor
):
    from ncen.analysis.paths import NODE_CAP
    from ncen.seizures.models import Seizure, SeizureCompany, SeizureConveyance, SeizurePerson
    from tests.graph_support import plant_hub

    hub = plant_hub(session, supervisor, NODE_CAP * 3)
    oldest = session.execute(
        select(Seizure.id)
        .join(SeizureCompany, SeizureCompany.seizure_id == Seizure.id)
        .where(SeizureCompany.company_id == hub.id)
        .order_by(Seizure.occurred_at)
        .limit(2)
    ).scalars()
    first, second = list(oldest)
    ring = plant_ring(session, supervisor)
    session.add(SeizurePerson(seizure_id=first, person_id=ring.isolated.id, role="courier"))
    session.add(SeizureConveyance(seizure_id=second, conveyance_id=ring.truck.id, role="trailer"))
    session.flush()
    # isolated -- old hub seizure -- hub -- other old hub seizure -- truck: both old seizures
    # are far beyond the hub's most recent links, yet the path is found from the small ends.
    search = find_paths(session, analyst, ring.isolated, ring.truck, max_hops=4)
    assert search.paths, search.message
    assert [n.key.kind for n in search.paths[0].nodes] == [
        "person",
        "seizure",
        "company",
        "seizure",
        "conveyance",
    ]
    assert search.paths[0].nodes[2].key == hub

"""Network measures without a database: `measure` on small charts and the whole-graph core."""

from __future__ import annotations

import uuid

import networkx
import pytest
import rustworkx

from ncen.analysis.entities import NodeKey, canonical
from ncen.analysis.measures import MAX_MEASURE_NODES, core_of, measure
from ncen.errors import ValidationError


def keys(count: int, kind: str = "person") -> list[NodeKey]:
    return [NodeKey(kind, uuid.UUID(int=n + 1)) for n in range(count)]


def test_two_triangles_joined_by_a_bridge():
    n = keys(6)
    edges = [(n[0], n[1]), (n[1], n[2]), (n[2], n[0]), (n[3], n[4]), (n[4], n[5]), (n[5], n[3])]
    edges.append((n[2], n[3]))
    result = measure(n, edges)
    reference = networkx.Graph([(str(a), str(b)) for a, b in edges])
    betweenness = networkx.betweenness_centrality(reference)
    eigenvector = networkx.eigenvector_centrality(reference, max_iter=500)
    for key in n:
        assert result[key].betweenness == pytest.approx(betweenness[str(key)])
        assert result[key].eigenvector == pytest.approx(eigenvector[str(key)], abs=1e-4)
    assert {result[k].component for k in n} == {0}
    # Louvain splits the two triangles.
    assert result[n[0]].community == result[n[1]].community == result[n[2]].community
    assert result[n[3]].community == result[n[4]].community == result[n[5]].community
    assert result[n[0]].community != result[n[3]].community


def test_cycle_isolated_and_bad_edges_are_answered():
    n = keys(5)
    cycle = [(n[0], n[1]), (n[1], n[2]), (n[2], n[0]), (n[0], n[0]), (n[1], n[0])]
    stray = NodeKey("company", uuid.uuid4())
    result = measure(n[:4], [*cycle, (n[0], stray)])
    assert result[n[0]].degree == 2  # the self-loop, the duplicate and the stray edge ignored
    assert result[n[3]].degree == 0
    assert result[n[3]].component == 1
    assert result[n[3]].closeness == 0
    assert stray not in result
    with pytest.raises(ValidationError, match="at most"):
        measure(keys(MAX_MEASURE_NODES + 1), [])


def test_core_holds_the_hubs_and_what_joins_them():
    graph = rustworkx.PyGraph()
    graph.add_nodes_from(range(60))
    # Two hubs (0 and 1) with 20 leaves each; leaf 2 is shared: it joins them.
    graph.add_edges_from_no_data([(0, leaf) for leaf in range(2, 22)])
    graph.add_edges_from_no_data([(1, leaf) for leaf in range(22, 42)])
    graph.add_edge(1, 2, None)
    core = core_of(graph, 20)  # two seeds, then leaf 2 first: it joins them
    assert len(core) == 20
    assert {0, 1, 2} <= set(core)
    assert core_of(graph, 100) == list(range(60))


def test_canonical_orientation():
    person, seizure = keys(1)[0], keys(1, "seizure")[0]
    assert canonical(seizure, person) == (person, seizure)
    a, b = keys(2)
    assert canonical(b, a) == canonical(a, b)

"""Network measures (i2 style) over a chart or over the whole graph.

`measure` computes, for every node of a chart, its degree, betweenness, closeness and
eigenvector centrality, its connected component and its community. The centralities and the
components come from rustworkx (native code: exact betweenness is O(n*m), far too slow in pure
Python past a few hundred nodes); the communities from networkx's Louvain method (rustworkx has
none; Louvain finds the dense groups an analyst calls "cells" and is deterministic with a fixed
seed). Components and communities are numbered from 0 by decreasing size.

`whole_graph_centrality` is the background-job version over every live record (or the
seizures since a date and their participants), loaded by `ncen.analysis.snapshot`. Degree,
eigenvector centrality and components are computed over the whole graph; betweenness,
closeness and communities, which no library computes exactly on millions of nodes in
reasonable time, over a core of `CORE_NODES` records (`core_of`: the most connected ones and
the records that join them). Nodes outside the core have betweenness and closeness 0 and
community -1.
When the whole graph is no larger than the core, every figure is exact.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import networkx as nx
import rustworkx as rx
from sqlalchemy.orm import Session

from ncen.accounts.actor import Actor
from ncen.analysis.entities import GraphNode, NodeKey
from ncen.analysis.graph import audit_read, check_limit
from ncen.analysis.nodes import fetch_nodes
from ncen.analysis.snapshot import load_graph
from ncen.errors import ValidationError
from ncen.policy import Action, require

MAX_MEASURE_NODES = 5000
MAX_MEASURE_EDGES = 50_000
CORE_NODES = 5000
MAX_TOP = 500
LOUVAIN_SEED = 9


@dataclass(frozen=True)
class Measures:
    """The measures of one node. Betweenness and closeness are normalised to 0..1;
    eigenvector centrality has unit Euclidean norm over the graph."""

    degree: int
    betweenness: float
    closeness: float
    eigenvector: float
    component: int
    community: int


def measure(
    nodes: Sequence[NodeKey], edges: Sequence[tuple[NodeKey, NodeKey]]
) -> dict[NodeKey, Measures]:
    """The measures of every node of a chart of ``nodes`` joined by ``edges`` (undirected;
    duplicates, self-loops and edges to nodes not in ``nodes`` are ignored). Pure: no database,
    no audit. Raises `ValidationError` past `MAX_MEASURE_NODES` nodes or `MAX_MEASURE_EDGES`."""
    if len(nodes) > MAX_MEASURE_NODES or len(edges) > MAX_MEASURE_EDGES:
        raise ValidationError(
            {
                "nodes": f"measure at most {MAX_MEASURE_NODES} nodes and {MAX_MEASURE_EDGES} "
                "edges; use the whole-graph centrality job for more"
            }
        )
    keys = list(dict.fromkeys(nodes))
    index = {key: i for i, key in enumerate(keys)}
    pairs = {
        (min(index[a], index[b]), max(index[a], index[b]))
        for a, b in edges
        if a in index and b in index and a != b
    }
    graph = rx.PyGraph(multigraph=False)
    graph.add_nodes_from(keys)
    graph.add_edges_from_no_data(sorted(pairs))
    measured = _centralities(graph, range(len(keys)))
    return {keys[i]: m for i, m in measured.items()}


def _centralities(
    graph: rx.PyGraph,
    core: Sequence[int],
    wanted: Sequence[int] | None = None,
    eigenvector: Mapping[int, float] | None = None,
) -> dict[int, Measures]:
    """The measures of the ``wanted`` nodes of ``graph`` (all by default); betweenness,
    closeness and communities within the subgraph induced by ``core`` (the whole graph when it
    is all of it). Per-node figures stay in rustworkx's native mappings: on millions of nodes
    only the wanted ones become Python objects."""
    count = graph.num_nodes()
    component = _numbered(rx.connected_components(graph), count)
    if eigenvector is None:
        eigenvector = _eigenvector(graph)
    whole = len(core) == count
    sub = graph if whole else graph.subgraph(list(core))
    # subgraph() numbers the nodes 0..k-1 in the order of ``core`` (sorted).
    to_graph = range(count) if whole else core
    betweenness = rx.betweenness_centrality(sub, normalized=True)
    closeness = rx.closeness_centrality(sub)
    louvain: nx.Graph[int] = nx.Graph()
    louvain.add_nodes_from(range(sub.num_nodes()))
    louvain.add_edges_from(sub.edge_list())
    groups = nx.community.louvain_communities(louvain, seed=LOUVAIN_SEED)
    community_sub = _numbered([set(g) for g in groups], sub.num_nodes())
    in_core = {to_graph[i]: i for i in range(sub.num_nodes())}
    result = {}
    for node in range(count) if wanted is None else wanted:
        local = in_core.get(node)
        result[node] = Measures(
            degree=graph.degree(node),
            betweenness=float(betweenness[local]) if local is not None else 0.0,
            closeness=float(closeness[local]) if local is not None else 0.0,
            eigenvector=float(eigenvector.get(node, 0.0)),
            component=component[node],
            community=community_sub[local] if local is not None else -1,
        )
    return result


def _eigenvector(graph: rx.PyGraph) -> Mapping[int, float]:
    """Eigenvector centrality, or an empty mapping (all 0) if it does not converge."""
    try:
        # CentralityMapping has no .get(): wrap it as a mapping that does, without copying.
        return _Scores(rx.eigenvector_centrality(graph, max_iter=500, tol=1e-6))
    except rx.FailedToConverge:
        return {}


class _Scores(Mapping[int, float]):
    """A read-only view of a rustworkx mapping with the full `Mapping` interface."""

    def __init__(self, scores: Any) -> None:
        self._scores = scores

    def __getitem__(self, node: int) -> float:
        return float(self._scores[node])

    def __iter__(self) -> Iterator[int]:
        return iter(self._scores.keys())

    def __len__(self) -> int:
        return len(self._scores)


def _numbered(groups: Sequence[set[int]], count: int) -> list[int]:
    """Each node's group number, groups numbered by decreasing size (ties by smallest node)."""
    numbers = [-1] * count
    ordered = sorted(groups, key=lambda g: (-len(g), min(g) if g else 0))
    for number, group in enumerate(ordered):
        for node in group:
            numbers[node] = number
    return numbers


def core_of(graph: rx.PyGraph, size: int) -> list[int]:
    """The ``size`` nodes on which betweenness, closeness and communities are computed: the
    most connected tenth as seeds, then their neighbours (most connected first), which join
    the seeds to each other (two companies meet through the seizures they share, which have
    a small degree themselves), then the most connected of the rest. Sorted node indices."""
    if graph.num_nodes() <= size:
        return list(graph.node_indices())
    ranked = sorted(graph.node_indices(), key=lambda i: (-graph.degree(i), i))
    core = dict.fromkeys(ranked[: max(1, size // 10)])
    around = {n for seed in core for n in graph.neighbors(seed)} - core.keys()
    for node in sorted(around, key=lambda i: (-graph.degree(i), i))[: size - len(core)]:
        core[node] = None
    for node in ranked:
        if len(core) >= size:
            break
        core.setdefault(node)
    return sorted(core)


@dataclass(frozen=True)
class Ranking:
    """The most connected records of a graph of ``node_count`` nodes and ``edge_count`` edges,
    best first, as keys (no names: see `whole_graph_centrality` for the audited read)."""

    node_count: int
    edge_count: int
    ranked: list[tuple[NodeKey, Measures]]


def rank_whole_graph(
    session: Session, *, seizures_from: date | None = None, top: int = 20
) -> Ranking:
    """The ``top`` most connected live records (by degree, then eigenvector centrality) of the
    whole graph, or of the seizures since ``seizures_from`` and their participants, with their
    measures. No policy check and no audit: the callers (`whole_graph_centrality`, the stored
    job) do both. Reads the whole graph: minutes and gigabytes on a large node."""
    check_limit(top, field="top", most=MAX_TOP)
    graph = load_graph(session, seizures_from=seizures_from)
    eigenvector = _eigenvector(graph)
    # Rank first (degree, then eigenvector centrality), measure only the candidates; twice as
    # many as asked, since a record deleted since the load is dropped below.
    ranked = heapq.nsmallest(
        top * 2,
        graph.node_indices(),
        key=lambda i: (-graph.degree(i), -eigenvector.get(i, 0.0), str(graph[i])),
    )
    measured = _centralities(graph, core_of(graph, CORE_NODES), ranked, eigenvector)
    live = fetch_nodes(session, (graph[i] for i in ranked))
    best = [(graph[i], measured[i]) for i in ranked if graph[i] in live][:top]
    return Ranking(graph.num_nodes(), graph.num_edges(), best)


def whole_graph_centrality(
    session: Session, actor: Actor, *, seizures_from: date | None = None, top: int = 20
) -> list[tuple[GraphNode, Measures]]:
    """The ``top`` most connected records (`rank_whole_graph`) with their nodes. Requires
    ``ANALYSE_NETWORK``; raises `ValidationError` for ``top`` outside 1..500. Reads the whole
    graph: never call it in a web request (the web reads the stored run,
    `ncen.analysis.centrality_store`). Audited as ``analysis.centrality`` with the records shown.
    """
    require(actor, Action.ANALYSE_NETWORK)
    ranking = rank_whole_graph(session, seizures_from=seizures_from, top=top)
    nodes = fetch_nodes(session, (key for key, _ in ranking.ranked))
    result = [(nodes[key], m) for key, m in ranking.ranked if key in nodes]
    details: dict[str, object] = {
        "seizures_from": seizures_from.isoformat() if seizures_from else None
    }
    audit_read(
        session, actor, "analysis.centrality", None, shown=(n for n, _ in result), details=details
    )
    return result

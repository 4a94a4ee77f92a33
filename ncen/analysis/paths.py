"""Shortest paths between two records: a bidirectional breadth-first search in bounded layers.

Each step expands the smaller of the two frontiers by one hop with the batched neighbour
queries of `ncen.analysis.edges` (one statement for the whole frontier), so a 4-hop search
costs about four rounds of indexed lookups. The cost is bounded three ways: every node
contributes at most `NODE_CAP` neighbours per edge kind (a hub company is walked through, not
loaded), each node's scan reads at most `NODE_SCAN` link rows, and the search stops once
`MAX_VISITED` records have been reached.

A hub followed only partly must not hide a path through one of its links left out: when a
side capped a hub, the other side walks on until it could reach the hub itself within the
hop limit (`_around_hubs`), so "person -- old seizure -- hub -- old seizure -- truck" is found
from the two small ends. A path whose middle is only reachable through two hubs' left-out
links can still be missed; `find_paths` then says that the search was bounded (``complete``
False), so "no path" is never claimed where the search did not look.

Paths are the shortest found (every path returned has the same, minimum length), up to
``limit``, each with its nodes in order and the edge (with evidence) between each pair.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from sqlalchemy.orm import Session

from ncen.accounts.actor import Actor
from ncen.analysis.edges import Neighbour, neighbours
from ncen.analysis.entities import GraphEdge, GraphNode, NodeKey
from ncen.analysis.graph import audit_read, check_limit, make_edges
from ncen.analysis.nodes import fetch_nodes
from ncen.errors import NotFoundError
from ncen.policy import Action, require

MAX_HOPS = 6
MAX_PATHS = 20
NODE_CAP = 100
NODE_SCAN = 500
MAX_VISITED = 20_000


@dataclass(frozen=True)
class GraphPath:
    """One path: ``nodes[0]`` is the start, ``nodes[-1]`` the end; ``edges[i]`` joins
    ``nodes[i]`` and ``nodes[i + 1]``."""

    nodes: list[GraphNode]
    edges: list[GraphEdge]


@dataclass(frozen=True)
class PathSearch:
    """The paths found and, when there are none, why: ``complete`` is False when a cap cut
    the search short (the answer is then "none found within the bounds")."""

    paths: list[GraphPath]
    complete: bool
    message: str


# For each node reached: its distance and the (previous node, edge) pairs at that distance.
_Parents = dict[NodeKey, list[tuple[NodeKey, Neighbour]]]


class _Side:
    def __init__(self, start: NodeKey) -> None:
        self.distance: dict[NodeKey, int] = {start: 0}
        self.parents: _Parents = {start: []}
        self.frontier: list[NodeKey] = [start]
        self.depth = 0
        # The depth of the nearest node whose neighbours a step capped (a hub), if any.
        self.hub_depth: int | None = None

    def step(self, session: Session) -> bool:
        """Expand the frontier one hop; False if it was empty."""
        if not self.frontier:
            return False
        hood = neighbours(session, self.frontier, cap=NODE_CAP, scan=NODE_SCAN, count=False)
        if hood.left_out and self.hub_depth is None:
            self.hub_depth = self.depth
        self.depth += 1
        reached: list[NodeKey] = []
        for n in hood.found:
            seen = self.distance.get(n.target)
            if seen is None:
                self.distance[n.target] = self.depth
                self.parents[n.target] = [(n.source, n)]
                reached.append(n.target)
            elif seen == self.depth:
                self.parents[n.target].append((n.source, n))
        self.frontier = reached
        return True

    def walks(self, node: NodeKey) -> Iterator[list[tuple[NodeKey, Neighbour | None]]]:
        """Every shortest walk from the start to ``node``: (node, edge into it) pairs."""
        if not self.parents[node]:
            yield [(node, None)]
            return
        for previous, edge in self.parents[node]:
            for walk in self.walks(previous):
                yield [*walk, (node, edge)]


def shortest_paths(
    session: Session, actor: Actor, a: NodeKey, b: NodeKey, *, max_hops: int = 6, limit: int = 5
) -> list[GraphPath]:
    """The shortest paths from ``a`` to ``b`` of at most ``max_hops`` edges (up to ``limit``
    of them; empty when there is none). See `find_paths` for errors, audit and bounds."""
    return find_paths(session, actor, a, b, max_hops=max_hops, limit=limit).paths


def find_paths(
    session: Session, actor: Actor, a: NodeKey, b: NodeKey, *, max_hops: int = 6, limit: int = 5
) -> PathSearch:
    """Search the shortest paths from ``a`` to ``b`` and say how complete the search was.

    Requires ``ANALYSE_NETWORK``. Raises `NotFoundError` (an end is not a live record) and
    `ValidationError` (``max_hops`` outside 1..6, ``limit`` outside 1..20). Audited as
    ``analysis.path`` on ``a`` with ``b`` and every node on a path shown.
    """
    require(actor, Action.ANALYSE_NETWORK)
    check_limit(max_hops, field="max_hops", most=MAX_HOPS)
    check_limit(limit, most=MAX_PATHS)
    ends = fetch_nodes(session, [a, b])
    for key in (a, b):
        if key not in ends:
            raise NotFoundError(key.kind, key.id)
    if a == b:
        search = PathSearch([GraphPath([ends[a]], [])], True, "both ends are the same record")
    else:
        search = _search(session, a, b, max_hops, limit)
    shown = {node.key: node for path in search.paths for node in path.nodes} or ends
    audit_read(session, actor, "analysis.path", a, shown=shown.values(), details={"to": str(b)})
    return search


def _search(session: Session, a: NodeKey, b: NodeKey, max_hops: int, limit: int) -> PathSearch:
    left, right = _Side(a), _Side(b)
    complete = True
    while left.depth + right.depth < max_hops:
        side = left if len(left.frontier) <= len(right.frontier) else right
        if not side.step(session):
            break
        meeting = _meeting(left, right, side.frontier, max_hops)
        if meeting:
            return _paths(session, left, right, meeting, limit)
        if len(left.distance) + len(right.distance) > MAX_VISITED:
            complete = False
            break
    if complete:
        found = _around_hubs(session, left, right, max_hops, limit)
        if found is not None:
            return found
    if not complete:
        message = (
            f"no path found among the {MAX_VISITED} records nearest to both ends; "
            "try fewer hops or start from less connected records"
        )
    elif left.hub_depth is not None or right.hub_depth is not None:
        complete = False
        message = (
            f"no path of at most {max_hops} hops found; records with very many links were "
            f"followed through their {NODE_CAP} most recent links only"
        )
    else:
        message = f"no path of at most {max_hops} hops between these records"
    return PathSearch([], complete, message)


def _around_hubs(
    session: Session, left: _Side, right: _Side, max_hops: int, limit: int
) -> PathSearch | None:
    """When one side followed a hub only partly, walk on from the other side until it could
    reach the hub itself within ``max_hops``: a path through one of the hub's many links left
    out is then found from the other end, where the hub is one neighbour among few."""
    for capped, other in ((left, right), (right, left)):
        if capped.hub_depth is None:
            continue
        while other.frontier and other.depth + 1 + capped.hub_depth <= max_hops:
            other.step(session)
            meeting = _meeting(left, right, other.frontier, max_hops)
            if meeting:
                return _paths(session, left, right, meeting, limit)
            if len(left.distance) + len(right.distance) > MAX_VISITED:
                return None
    return None


def _meeting(left: _Side, right: _Side, reached: list[NodeKey], max_hops: int) -> list[NodeKey]:
    """The nodes of ``reached`` that both sides know, on the shortest paths through them of
    at most ``max_hops`` hops."""
    both = [
        k
        for k in reached
        if k in left.distance
        and k in right.distance
        and left.distance[k] + right.distance[k] <= max_hops
    ]
    if not both:
        return []
    shortest = min(left.distance[k] + right.distance[k] for k in both)
    return [k for k in both if left.distance[k] + right.distance[k] == shortest]


def _paths(
    session: Session, left: _Side, right: _Side, meeting: list[NodeKey], limit: int
) -> PathSearch:
    walks: list[tuple[list[NodeKey], list[Neighbour]]] = []
    for middle in sorted(meeting):
        for head in left.walks(middle):
            for tail in right.walks(middle):
                keys = [k for k, _ in head] + [k for k, _ in reversed(tail)][1:]
                via = [e for _, e in head if e] + [e for _, e in reversed(tail) if e]
                walks.append((keys, via))
                if len(walks) >= limit:
                    break
            if len(walks) >= limit:
                break
        if len(walks) >= limit:
            break
    nodes = fetch_nodes(session, (k for keys, _ in walks for k in keys))
    paths = []
    for keys, via in walks:
        edges = make_edges(via, nodes)
        if len(edges) == len(via) and all(k in nodes for k in keys):
            paths.append(GraphPath([nodes[k] for k in keys], edges))
    hops = len(paths[0].edges) if paths else 0
    return PathSearch(paths, True, f"{len(paths)} shortest path(s) of {hops} hops")

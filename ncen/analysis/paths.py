"""Shortest paths between two records: a bidirectional breadth-first search in bounded layers.

Each step expands the smaller of the two frontiers by one hop with the batched neighbour
queries of `ncen.analysis.edges` (one statement per edge family for the whole frontier), so a
4-hop search costs about four rounds of indexed lookups. The cost is bounded three ways: every
node contributes at most `NODE_CAP` neighbours (a hub company is walked through, not loaded),
each node's scan reads at most `NODE_SCAN` link rows, and the search stops once `MAX_VISITED`
records have been reached. The price of these caps is that a path that only exists through a
hub's capped-off neighbours can be missed; `find_paths` says when the search was cut short, so
"no path" is never claimed where the search did not look.

Paths are all shortest ones (every path returned has the minimum length), up to ``limit``,
each with its nodes in order and the edge (with evidence) between each pair.
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

    def step(self, session: Session) -> bool:
        """Expand the frontier one hop; False if it was empty."""
        if not self.frontier:
            return False
        hood = neighbours(session, self.frontier, cap=NODE_CAP, scan=NODE_SCAN, count=False)
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
        meeting = [k for k in side.frontier if k in left.distance and k in right.distance]
        if meeting:
            shortest = min(left.distance[k] + right.distance[k] for k in meeting)
            meeting = [k for k in meeting if left.distance[k] + right.distance[k] == shortest]
            return _paths(session, left, right, meeting, limit)
        if len(left.distance) + len(right.distance) > MAX_VISITED:
            complete = False
            break
    if not complete:
        message = (
            f"no path found among the {MAX_VISITED} records nearest to both ends; "
            "try fewer hops or start from less connected records"
        )
    else:
        message = f"no path of at most {max_hops} hops between these records"
    return PathSearch([], complete, message)


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

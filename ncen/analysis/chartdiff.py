"""What a saved chart looked like, and what changed in the graph since it was saved.

`take_snapshot` records, for the nodes of a chart, each record's version and last change, the
edges among the nodes, and each node's number of neighbours. `compare` sets a snapshot against
the graph of today and reports what an analyst reopening the chart should know: nodes that are
gone (deleted, or no longer visible to them), records changed since, edges among the chart's
nodes that appeared or disappeared, and nodes with new neighbours outside the chart.

Both read the graph through `ncen.analysis.graph` (nodes, with the actor's rights and audit)
and `ncen.analysis.edges` (the neighbours of all the chart's nodes in one batch).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ncen.accounts.actor import Actor
from ncen.analysis.edges import neighbours
from ncen.analysis.graph import GraphEdge, GraphNode, NodeKey, load_nodes, make_edges
from ncen.companies.models import Company
from ncen.conveyances.models import Conveyance
from ncen.persons.models import Person
from ncen.records import RecordMixin
from ncen.seizures.models import Seizure

MODELS: dict[str, type[RecordMixin]] = {
    "person": Person,
    "company": Company,
    "conveyance": Conveyance,
    "seizure": Seizure,
}
# Neighbours fetched per node and edge kind to find the edges among a chart's nodes. An edge to
# another chart node beyond this cap of its kind is not seen (the graph keeps the most recent).
NEIGHBOUR_CAP = 200

EdgeTriple = tuple[str, str, str]


@dataclass
class GraphState:
    """The visible nodes of a chart now, the edges among them, and everyone's degree."""

    nodes: list[GraphNode]
    edges: list[GraphEdge]
    degrees: dict[str, int]
    records: dict[str, dict[str, Any]]


@dataclass
class ChartChanges:
    """What changed since a chart was saved; every list holds node keys or edge triples."""

    gone: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    new_edges: list[EdgeTriple] = field(default_factory=list)
    lost_edges: list[EdgeTriple] = field(default_factory=list)
    new_neighbours: dict[str, int] = field(default_factory=dict)

    @property
    def any(self) -> bool:
        """True when anything at all changed."""
        return bool(
            self.gone or self.changed or self.new_edges or self.lost_edges or self.new_neighbours
        )


def record_states(session: Session, keys: Sequence[NodeKey]) -> dict[str, dict[str, Any]]:
    """``{key: {"version", "updated_at"}}`` of the live records among ``keys``."""
    states: dict[str, dict[str, Any]] = {}
    for kind, model in MODELS.items():
        ids = [key.id for key in keys if key.kind == kind]
        if not ids:
            continue
        stmt = select(model.id, model.version, model.updated_at).where(
            model.id.in_(ids), model.deleted_at.is_(None)
        )
        for record_id, version, updated_at in session.execute(stmt):
            states[f"{kind}:{record_id}"] = {
                "version": version,
                "updated_at": updated_at.isoformat(),
            }
    return states


def graph_state(session: Session, actor: Actor, keys: Sequence[NodeKey]) -> GraphState:
    """Read the chart's nodes as ``actor`` sees them now (see `GraphState`).

    One batched neighbour query for all the nodes (not one expansion each), audited once as
    the read of the nodes shown (`load_nodes`); the degrees are counts, like the "and N more"
    of an expansion, and count only live records.
    """
    nodes = load_nodes(session, actor, list(keys))
    present = {node.key: node for node in nodes}
    hood = neighbours(session, list(present), cap=NEIGHBOUR_CAP)
    edges = make_edges(hood.found, present)
    targets: dict[NodeKey, set[NodeKey]] = {key: set() for key in present}
    for found in hood.found:
        targets[found.source].add(found.target)
    degrees = {str(key): len(seen) for key, seen in targets.items()}
    for (source, _kind), left in hood.left_out.items():
        degrees[str(source)] = degrees.get(str(source), 0) + left
    records = record_states(session, list(present))
    return GraphState(nodes, edges, degrees, records)


def triple(edge: GraphEdge) -> EdgeTriple:
    """An edge as stored in a snapshot: source key, target key, kind."""
    return (str(edge.source), str(edge.target), edge.kind)


def take_snapshot(state: GraphState) -> dict[str, Any]:
    """The JSON kept with a saved chart."""
    return {
        "records": state.records,
        "edges": sorted(triple(edge) for edge in state.edges),
        "degrees": state.degrees,
    }


def compare(saved: dict[str, Any], keys: Sequence[str], state: GraphState) -> ChartChanges:
    """What differs between the ``saved`` snapshot of the chart with ``keys`` and ``state``."""
    changes = ChartChanges()
    present = {str(node.key) for node in state.nodes}
    changes.gone = [key for key in keys if key not in present]
    records = saved.get("records", {})
    for key, now in state.records.items():
        then = records.get(key)
        if then is not None and then.get("version") != now["version"]:
            changes.changed.append(key)
    before: set[EdgeTriple] = {(s, t, k) for s, t, k in saved.get("edges", [])}
    after = {triple(edge) for edge in state.edges}
    changes.new_edges = sorted(after - before)
    # An edge to a node that is gone is reported with the node, not again as a lost edge.
    changes.lost_edges = sorted(
        edge for edge in before - after if edge[0] in present and edge[1] in present
    )
    degrees = saved.get("degrees", {})
    for key, degree in state.degrees.items():
        if key in degrees and degree > degrees[key]:
            changes.new_neighbours[key] = degree - int(degrees[key])
    return changes


def parse_keys(raw: Sequence[str]) -> list[NodeKey]:
    """Stored keys back as `NodeKey` (they were validated when saved)."""
    return [NodeKey(text.partition(":")[0], uuid.UUID(text.partition(":")[2])) for text in raw]

"""The vocabulary of the entity graph: node keys, nodes, edges and one expansion.

Persons, companies, conveyances and seizures are the nodes; a `NodeKey` names one by kind and id
and prints as ``"person:<uuid>"``. Edges are undirected but each has one canonical orientation
(`canonical`): an entity points at the seizure it took part in, a person at the company it works
for, and two records of the same kind are ordered by key. So the same edge reached from either
end compares equal, and a client can de-duplicate edges by value. These types are pure data:
`ncen.analysis.graph` reads them from the database.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from ncen.errors import ValidationError

NODE_KINDS: tuple[str, ...] = ("person", "company", "conveyance", "seizure")
EDGE_KINDS: tuple[str, ...] = (
    "participation",  # an entity in a seizure, with its role(s)
    "employment",  # person -- company (director, employee, owner, ...)
    "document",  # two persons with the same identity document number
    "address",  # two persons, or a person and a company, at the same address
    "phone",  # two persons with the same phone number
    "email",  # two persons with the same e-mail address
    "conveyance",  # two conveyance records with the same identifier (VIN, IMO, plate, ...)
)

# Where an edge between two kinds points, so that both ends produce the same edge.
_ORIENTATION = {"person": 1, "company": 2, "conveyance": 3, "seizure": 4}


@dataclass(frozen=True, order=True)
class NodeKey:
    """One node: ``kind`` (one of `NODE_KINDS`) and the record's id."""

    kind: str
    id: uuid.UUID

    def __str__(self) -> str:
        return f"{self.kind}:{self.id}"

    @classmethod
    def parse(cls, text: object) -> NodeKey:
        """Read ``"kind:uuid"``; raises `ValidationError` for anything else."""
        if not isinstance(text, str) or ":" not in text or len(text) > 64:
            raise ValidationError({"node": "give a node as kind:id, e.g. person:<uuid>"})
        kind, _, raw_id = text.strip().partition(":")
        if kind not in NODE_KINDS:
            raise ValidationError({"node": f"the kind must be one of {', '.join(NODE_KINDS)}"})
        try:
            return cls(kind, uuid.UUID(raw_id))
        except ValueError as exc:
            raise ValidationError({"node": "the id after the kind is not a UUID"}) from exc


@dataclass(frozen=True)
class GraphNode:
    """A node as shown: its label, the seizure reference (seizures only), the node it was
    received from (None for national records), and the seizure's date (seizures only)."""

    key: NodeKey
    label: str
    reference: str | None
    origin_node: str | None
    when: date | None

    def as_json(self) -> dict[str, Any]:
        """The node as JSON (CLI ``--json``, chart data)."""
        return {
            "key": str(self.key),
            "kind": self.key.kind,
            "id": str(self.key.id),
            "label": self.label,
            "reference": self.reference,
            "origin_node": self.origin_node,
            "date": self.when.isoformat() if self.when else None,
        }


@dataclass(frozen=True)
class GraphEdge:
    """An undirected edge in canonical orientation. ``label`` is short (a role, "same phone");
    ``evidence`` is the sentence an analyst reads ("driver in DEMO-2026-0000343")."""

    source: NodeKey
    target: NodeKey
    kind: str
    label: str
    evidence: str

    def as_json(self) -> dict[str, Any]:
        """The edge as JSON (CLI ``--json``, chart data)."""
        return {
            "source": str(self.source),
            "target": str(self.target),
            "kind": self.kind,
            "label": self.label,
            "evidence": self.evidence,
        }

    def other(self, key: NodeKey) -> NodeKey:
        """The end of the edge that is not ``key``."""
        return self.target if self.source == key else self.source


@dataclass(frozen=True)
class Expansion:
    """The neighbours of one node. ``more`` maps an edge kind to how many neighbours the cap
    left out; a kind in ``more_at_least`` was only counted up to a bound (a hub), so its
    figure is a lower bound."""

    nodes: list[GraphNode]
    edges: list[GraphEdge]
    more: dict[str, int]
    more_at_least: frozenset[str] = field(default_factory=frozenset)


def canonical(a: NodeKey, b: NodeKey) -> tuple[NodeKey, NodeKey]:
    """The two ends in the orientation every edge between them uses (see module docstring)."""
    rank_a, rank_b = _ORIENTATION[a.kind], _ORIENTATION[b.kind]
    if rank_a < rank_b or (rank_a == rank_b and str(a) <= str(b)):
        return a, b
    return b, a

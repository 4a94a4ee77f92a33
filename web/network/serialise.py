"""Graph objects as the JSON the chart script reads (plain dicts; the page escapes labels)."""

from __future__ import annotations

from typing import Any

from flask import url_for

from ncen.analysis.graph import Expansion, GraphEdge, GraphNode, NodeKey
from ncen.analysis.measures import Measures
from web.network.sentences import sentence

RECORD_PAGES = {
    "person": ("persons.show", "person_id"),
    "company": ("companies.show", "company_id"),
    "conveyance": ("conveyances.show", "conveyance_id"),
    "seizure": ("seizures.show", "seizure_id"),
}


def record_url(key: NodeKey) -> str:
    """The record page of a node."""
    endpoint, argument = RECORD_PAGES[key.kind]
    # Any: the type of url_for's **values (mypy would otherwise match them against its typed
    # _external, _anchor... options; no key here starts with _).
    values: dict[str, Any] = {argument: key.id}
    return url_for(endpoint, **values)


def node_json(node: GraphNode) -> dict[str, Any]:
    """A node: key, kind, label, seizure reference and date, origin (None: national), page."""
    return {
        "id": str(node.key),
        "kind": node.key.kind,
        "label": node.label,
        "reference": node.reference,
        "origin": node.origin_node,
        "when": node.when.isoformat() if node.when else None,
        "url": record_url(node.key),
    }


def edge_id(edge: GraphEdge) -> str:
    """A stable id: the same edge reached from either end has the same id."""
    return f"{edge.source}|{edge.target}|{edge.kind}"


def edge_json(edge: GraphEdge) -> dict[str, Any]:
    """An edge with its short label and the evidence sentence (roles in the reader's language)."""
    # ncen.analysis builds both as Messages with the role and document codes as values.
    label, evidence = sentence(edge.label), sentence(edge.evidence)
    return {
        "id": edge_id(edge),
        "source": str(edge.source),
        "target": str(edge.target),
        "kind": edge.kind,
        "label": label,
        "evidence": evidence,
    }


def expansion_json(key: NodeKey, expansion: Expansion) -> dict[str, Any]:
    """An expansion: the neighbours, the edges, and per edge kind how many were left out."""
    return {
        "node": str(key),
        "nodes": [node_json(node) for node in expansion.nodes],
        "edges": [edge_json(edge) for edge in expansion.edges],
        "more": dict(expansion.more),
        "more_at_least": sorted(getattr(expansion, "more_at_least", ())),
    }


def measures_json(key: NodeKey, measures: Measures) -> dict[str, Any]:
    """One node's measures."""
    return {
        "id": str(key),
        "degree": measures.degree,
        "betweenness": measures.betweenness,
        "closeness": measures.closeness,
        "eigenvector": measures.eigenvector,
        "component": measures.component,
        "community": measures.community,
    }

"""Graph objects as the JSON the chart script reads (plain dicts; the page escapes labels)."""

from __future__ import annotations

from typing import Any

from flask import url_for
from flask_babel import gettext

from ncen.analysis.graph import Expansion, GraphEdge, GraphNode, NodeKey
from ncen.analysis.measures import Measures
from web.codes import code_label

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


# The role list of a link, by the kind of the end that is not the seizure (participation) or of
# the person-company link (employment).
ROLE_LISTS = {
    "person": "person_roles",
    "company": "company_roles",
    "conveyance": "conveyance_roles",
}


def _roles(list_name: str, codes: str) -> str:
    """Role codes joined by " / " (an edge aggregates a record's roles), each named."""
    return " / ".join(code_label(list_name, code) for code in codes.split(" / "))


def _role_label_and_evidence(edge: GraphEdge) -> tuple[str, str]:
    """The edge's label and evidence with its role code named in the reader's language.

    `ncen.analysis.graph` writes "<roles> in <seizure>" / "<roles> of <company>" with the
    roles' codes (several joined by " / ", `ncen.analysis.edges`); the record label after them
    is kept as written.
    """
    if edge.kind == "participation":
        other = edge.source if edge.source.kind != "seizure" else edge.target
        role = _roles(ROLE_LISTS.get(other.kind, "person_roles"), edge.label)
        prefix = f"{edge.label} in "
        if edge.evidence.startswith(prefix):
            record = edge.evidence[len(prefix) :]
            return role, gettext("%(role)s in %(record)s", role=role, record=record)
        return role, edge.evidence
    if edge.kind == "employment":
        role = _roles("person_company_roles", edge.label)
        prefix = f"{edge.label} of "
        if edge.evidence.startswith(prefix):
            record = edge.evidence[len(prefix) :]
            return role, gettext("%(role)s of %(record)s", role=role, record=record)
        return role, edge.evidence
    return edge.label, edge.evidence


def edge_id(edge: GraphEdge) -> str:
    """A stable id: the same edge reached from either end has the same id."""
    return f"{edge.source}|{edge.target}|{edge.kind}"


def edge_json(edge: GraphEdge) -> dict[str, Any]:
    """An edge with its short label and the evidence sentence (roles in the reader's language)."""
    label, evidence = _role_label_and_evidence(edge)
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

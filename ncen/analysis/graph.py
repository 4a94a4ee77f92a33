"""The entity graph service: find a record, load nodes, and expand a node by edge kind.

Nodes are persons, companies, conveyances and seizures (`ncen.analysis.entities`); edges are
seizure participation with the role, employment (person -- company), shared identity document
numbers, addresses, phones and e-mails (person -- person, or person -- company at the same
address), and conveyance records sharing an identifier. The neighbour queries live in
`ncen.analysis.edges`.

Contract of every public function here: it requires ``Action.ANALYSE_NETWORK``
(`PermissionDeniedError` otherwise), shows only live records (deleted and merged-away records
never appear and are never counted), lets received records take part with their
``origin_node``, and writes one audit event naming the records shown. A hub is capped: an
expansion returns at most ``limit`` neighbours per edge kind and says in ``more`` how many it
left out, at a cost bounded by `ncen.analysis.edges.SCAN_CAP` link rows per edge family
whatever the hub's size. A request for more than `MAX_LIMIT` neighbours per kind is refused
with a `ValidationError` that says so.
"""

from __future__ import annotations

import uuid
from collections.abc import Collection, Iterable, Sequence

from sqlalchemy.orm import Session

from ncen.accounts.actor import Actor
from ncen.analysis.edges import Neighbour, neighbours
from ncen.analysis.entities import (
    EDGE_KINDS,
    NODE_KINDS,
    Expansion,
    GraphEdge,
    GraphNode,
    NodeKey,
    canonical,
)
from ncen.analysis.nodes import fetch_nodes, follow_merges, seizure_by_reference
from ncen.audit import record_event
from ncen.errors import Codes, Message, NotFoundError, ValidationError
from ncen.policy import Action, require
from ncen.text import text_problem

__all__ = [
    "EDGE_KINDS",
    "MAX_LIMIT",
    "NODE_KINDS",
    "Expansion",
    "GraphEdge",
    "GraphNode",
    "NodeKey",
    "expand",
    "expand_many",
    "load_nodes",
    "make_edges",
    "resolve_ref",
]

# Neighbours per edge kind one expansion may ask for; a chart of thousands of nodes is
# unreadable and its cost unbounded, so a larger request is refused, not silently cut.
MAX_LIMIT = 500
# Keys one `load_nodes` call may ask for (a saved chart is far smaller).
MAX_LOAD = 5000
# Nodes one `expand_many` may return: past a few thousand a chart is unreadable, so a request
# for more (a 10,000-node expansion) is refused; within it, what does not fit is in ``more``.
MAX_NODES = 2000
MAX_HOPS = 3
MAX_REF_CHARS = 128

# The role list of a record's part in a seizure, by the record's kind (a reference list).
ROLE_LISTS = {
    "person": "person_roles",
    "company": "company_roles",
    "conveyance": "conveyance_roles",
}
EMPLOYMENT_ROLES = "person_company_roles"

# An identifier edge's short label, and its evidence: `Message`s, so that the web names them in
# the reader's language (their templates are catalogue message ids, see web/network/sentences.py).
_SAME_LABEL = {
    "document": "same document",
    "phone": "same phone",
    "email": "same e-mail",
    "address": "same address",
    "conveyance": "same identifier",
}
_SAME_EVIDENCE = {
    "phone": "same phone %(value)s",
    "email": "same e-mail %(value)s",
    "address": "same address %(value)s",
}


def check_edge_kinds(edge_kinds: Collection[str] | None) -> frozenset[str] | None:
    """``edge_kinds`` as a set, or None for all; `ValidationError` for an unknown kind."""
    if edge_kinds is None:
        return None
    unknown = sorted(set(edge_kinds) - set(EDGE_KINDS))
    if unknown:
        raise ValidationError(
            {"edge_kinds": f"unknown edge kind {unknown[0]!r}; use {', '.join(EDGE_KINDS)}"}
        )
    return frozenset(edge_kinds)


def check_limit(limit: int, *, field: str = "limit", most: int = MAX_LIMIT) -> int:
    """``limit`` if it is between 1 and ``most``; `ValidationError` with the bound otherwise."""
    if isinstance(limit, bool) or not isinstance(limit, int) or not 1 <= limit <= most:
        raise ValidationError(
            {field: f"ask for between 1 and {most} records at a time; expand further step by step"}
        )
    return limit


def resolve_ref(session: Session, actor: Actor, ref: str) -> NodeKey:
    """The node ``ref`` names: a seizure reference number, ``"kind:uuid"``, or a bare uuid of
    any kind. A merged-away person or company resolves to its survivor. Raises
    `ValidationError` (malformed), `NotFoundError` (no live record). Reads ids only: no audit."""
    require(actor, Action.ANALYSE_NETWORK)
    if not isinstance(ref, str) or not ref.strip() or len(ref) > MAX_REF_CHARS:
        raise ValidationError(
            {"ref": f"give a reference or an id of at most {MAX_REF_CHARS} characters"}
        )
    problem = text_problem(ref)
    if problem:
        raise ValidationError({"ref": f"the reference {problem}"})
    text = ref.strip()
    candidates: list[NodeKey]
    if text.partition(":")[0] in NODE_KINDS:
        candidates = [NodeKey.parse(text)]
    else:
        try:
            record_id = uuid.UUID(text)
        except ValueError:
            found = seizure_by_reference(session, text)
            candidates = [found] if found else []
        else:
            candidates = [NodeKey(kind, record_id) for kind in NODE_KINDS]
    for candidate in candidates:
        key = follow_merges(session, candidate)
        if fetch_nodes(session, [key]):
            return key
    raise NotFoundError("record", text)


def load_nodes(session: Session, actor: Actor, keys: Sequence[NodeKey]) -> list[GraphNode]:
    """The live nodes among ``keys``, in the order given, without duplicates; unknown, deleted
    and merged-away keys are silently dropped. Audited as ``analysis.nodes`` with the keys
    shown. Raises `ValidationError` past `MAX_LOAD` keys."""
    require(actor, Action.ANALYSE_NETWORK)
    if len(keys) > MAX_LOAD:
        raise ValidationError({"keys": f"load at most {MAX_LOAD} nodes at a time"})
    found = fetch_nodes(session, keys)
    nodes = [found[key] for key in dict.fromkeys(keys) if key in found]
    audit_read(session, actor, "analysis.nodes", None, shown=nodes)
    return nodes


def expand(
    session: Session,
    actor: Actor,
    key: NodeKey,
    *,
    edge_kinds: Collection[str] | None = None,
    limit: int = 50,
) -> Expansion:
    """The node ``key`` (first in ``nodes``) and its neighbours through ``edge_kinds`` (all by
    default): at most ``limit`` per edge kind, seizures most recent first; ``more`` counts the
    rest. Raises `NotFoundError` (not a live record), `ValidationError` (bad kind or limit).
    Audited as ``analysis.expand`` with the node and every node shown."""
    require(actor, Action.ANALYSE_NETWORK)
    kinds = check_edge_kinds(edge_kinds)
    check_limit(limit)
    start = fetch_nodes(session, [key])
    if key not in start:
        raise NotFoundError(key.kind, key.id)
    hood = neighbours(session, [key], edge_kinds=kinds, cap=limit)
    found = fetch_nodes(session, (n.target for n in hood.found))
    found.update(start)
    edges = make_edges(hood.found, found)
    shown = [start[key], *(found[k] for k in dict.fromkeys(e.other(key) for e in edges))]
    more: dict[str, int] = {}
    for (_, kind), left in hood.left_out.items():
        more[kind] = more.get(kind, 0) + left
    at_least = frozenset(kind for _, kind in hood.at_least)
    audit_read(session, actor, "analysis.expand", key, shown=shown, details={"more": more})
    return Expansion(nodes=shown, edges=edges, more=more, more_at_least=at_least)


def expand_many(
    session: Session,
    actor: Actor,
    keys: Sequence[NodeKey],
    *,
    hops: int = 1,
    edge_kinds: Collection[str] | None = None,
    limit: int = 50,
    max_nodes: int = 500,
) -> Expansion:
    """The live ``keys`` and everything within ``hops`` (1..3) of them: each node contributes at
    most ``limit`` neighbours per edge kind, and the whole answer at most ``max_nodes`` nodes
    (1..`MAX_NODES`), nearest first; ``more`` counts every neighbour left out by either cap.
    The neighbours of a hop are read in one batch per edge family, so a 2-hop expansion is
    two rounds of queries whatever the number of nodes. Raises `NotFoundError` when no key is
    live, `ValidationError` for bad arguments (a 10,000-node request among them). Audited as
    ``analysis.expand`` with every node shown."""
    require(actor, Action.ANALYSE_NETWORK)
    kinds = check_edge_kinds(edge_kinds)
    check_limit(limit)
    check_limit(hops, field="hops", most=MAX_HOPS)
    check_limit(max_nodes, field="max_nodes", most=MAX_NODES)
    if len(keys) > max_nodes:
        raise ValidationError({"keys": f"start from at most {max_nodes} records"})
    nodes = fetch_nodes(session, keys)
    if not nodes:
        raise NotFoundError("record", ", ".join(str(k) for k in keys[:3]))
    frontier = list(nodes)
    found: list[Neighbour] = []
    more: dict[str, int] = {}
    at_least: set[str] = set()
    for hop in range(hops):
        hood = neighbours(session, frontier, edge_kinds=kinds, cap=limit, count=hop == 0)
        for (_, kind), left in hood.left_out.items():
            more[kind] = more.get(kind, 0) + left
        at_least.update(kind for _, kind in hood.at_least)
        fresh = list(dict.fromkeys(n.target for n in hood.found if n.target not in nodes))
        room = max(0, max_nodes - len(nodes))
        kind_of = {n.target: n.kind for n in hood.found}
        for dropped in fresh[room:]:
            more[kind_of[dropped]] = more.get(kind_of[dropped], 0) + 1
        nodes.update(fetch_nodes(session, fresh[:room]))
        found.extend(hood.found)
        frontier = [k for k in fresh[:room] if k in nodes]
        if not frontier:
            break
    edges = make_edges(found, nodes)
    shown = list(nodes.values())
    audit_read(
        session, actor, "analysis.expand", None, shown=shown, details={"hops": hops, "more": more}
    )
    return Expansion(nodes=shown, edges=edges, more=more, more_at_least=frozenset(at_least))


def make_edges(found: Iterable[Neighbour], nodes: dict[NodeKey, GraphNode]) -> list[GraphEdge]:
    """Graph edges for the neighbours whose both ends are in ``nodes`` (a record deleted
    between two queries is dropped), canonical and without duplicates, in input order."""
    edges: dict[tuple[NodeKey, NodeKey, str], GraphEdge] = {}
    for n in found:
        if n.source not in nodes or n.target not in nodes:
            continue
        a, b = canonical(n.source, n.target)
        if (a, b, n.kind) not in edges:
            edges[(a, b, n.kind)] = _edge(nodes[a], nodes[b], n.kind, n.detail)
    return list(edges.values())


def roles(kind: str, detail: str) -> Codes:
    """The role codes of an edge's ``detail`` (several joined by " / ", `ncen.analysis.edges`)
    for a record of ``kind`` (``employment`` for a person's part in a company)."""
    vocabulary = EMPLOYMENT_ROLES if kind == "employment" else ROLE_LISTS.get(kind, "person_roles")
    return Codes(vocabulary, *detail.split(" / "))


def _edge(a: GraphNode, b: GraphNode, kind: str, detail: str) -> GraphEdge:
    """The edge between ``a`` and ``b`` (canonical: a seizure or a company is ``b``), with its
    label and evidence as `Message`s ("driver in DEMO-2026-0000343", "same phone +7...")."""
    if kind in {"participation", "employment"}:
        role = roles(a.key.kind if kind == "participation" else kind, detail)
        template = "%(role)s in %(record)s" if kind == "participation" else "%(role)s of %(record)s"
        label = Message("%(role)s", role=role)
        return GraphEdge(a.key, b.key, kind, label, Message(template, role=role, record=b.label))
    if kind in _SAME_EVIDENCE:
        evidence = Message(_SAME_EVIDENCE[kind], value=detail)
    else:
        # "passport N1234567", "vin WVWZZZ...": the document type or identifier kind (underscores
        # written as spaces by the query) is a code the reader sees named in their language.
        words, _, value = detail.rpartition(" ")
        vocabulary = "document_type" if kind == "document" else "identifier_kind"
        evidence = Message(
            "same %(what)s %(value)s", what=Codes(vocabulary, words.replace(" ", "_")), value=value
        )
    return GraphEdge(a.key, b.key, kind, Message(_SAME_LABEL[kind]), evidence)


def audit_read(
    session: Session,
    actor: Actor,
    action: str,
    key: NodeKey | None,
    *,
    shown: Iterable[GraphNode],
    details: dict[str, object] | None = None,
) -> None:
    """One audit event for a graph read: the node asked about and every node shown."""
    record_event(
        session,
        actor,
        action,
        record_type=key.kind if key else None,
        record_id=key.id if key else None,
        details={**(details or {}), "shown": [str(node.key) for node in shown]},
    )

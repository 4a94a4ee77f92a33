"""JSON reads of the entity graph for the chart page: find, load, expand, paths, measures.

Each view reads checked parameters (`web.network.params`), calls one `ncen.analysis` service
(which requires ``Action.ANALYSE_NETWORK`` and audits what it shows), and returns JSON.
"""

from __future__ import annotations

from datetime import date

from flask import jsonify
from flask.typing import ResponseReturnValue
from flask_babel import format_datetime, format_decimal
from flask_babel import gettext as _

from ncen.analysis.centrality_store import StoredCentrality, latest_centrality
from ncen.analysis.chartdiff import graph_state
from ncen.analysis.graph import GraphNode, NodeKey, expand, load_nodes, resolve_ref
from ncen.analysis.measures import Measures, measure
from ncen.analysis.paths import find_paths
from ncen.errors import NotFoundError, ValidationError
from ncen.policy import Action
from web.db import get_session
from web.network import api
from web.network.params import (
    edge_kinds,
    json_body,
    node_key,
    node_keys,
    one_line,
    query_keys,
    whole_number,
)
from web.network.serialise import edge_json, expansion_json, measures_json, node_json
from web.security import current_web_user, requires
from web.seizures.participants import search as find_records

MAX_EXPAND = 100
SEARCH_LIMIT = 8


@api.get("/search")
@requires(Action.ANALYSE_NETWORK)
def search() -> ResponseReturnValue:
    """Records to start a chart from: the one a reference or id names, else name matches."""
    text = one_line("q")
    if not text:
        return jsonify({"nodes": []})
    actor = current_web_user().actor
    db = get_session()
    with db.begin():
        try:
            keys = [resolve_ref(db, actor, text)]
        except (NotFoundError, ValidationError):
            keys = [
                NodeKey(kind, candidate.id)
                for kind in ("person", "company", "conveyance")
                for candidate in find_records(db, actor, kind, text, SEARCH_LIMIT)
            ]
        nodes = load_nodes(db, actor, keys) if keys else []
        return jsonify({"nodes": [node_json(node) for node in nodes]})


@api.get("/resolve")
@requires(Action.ANALYSE_NETWORK)
def resolve() -> ResponseReturnValue:
    """The node a reference (seizure reference, record id, ``kind:id``) names; 404 if none."""
    text = one_line("ref")
    if not text:
        raise ValidationError({"ref": "give a reference or an id"})
    actor = current_web_user().actor
    db = get_session()
    with db.begin():
        key = resolve_ref(db, actor, text)
        nodes = load_nodes(db, actor, [key])
        if not nodes:
            raise NotFoundError("node", text)
        return jsonify({"node": node_json(nodes[0])})


@api.get("/nodes")
@requires(Action.ANALYSE_NETWORK)
def nodes() -> ResponseReturnValue:
    """The nodes ``nodes=kind:id,...`` that exist and the user may see (others left out)."""
    keys = query_keys("nodes")
    actor = current_web_user().actor
    db = get_session()
    with db.begin():
        found = load_nodes(db, actor, keys)
        return jsonify({"nodes": [node_json(node) for node in found]})


@api.get("/expand")
@requires(Action.ANALYSE_NETWORK)
def expand_node() -> ResponseReturnValue:
    """The neighbours of ``node`` by edge ``kinds`` (all by default), at most ``limit`` per kind."""
    key = node_key("node")
    kinds = edge_kinds("kinds")
    limit = whole_number("limit", 25, 1, MAX_EXPAND)
    actor = current_web_user().actor
    db = get_session()
    with db.begin():
        expansion = expand(db, actor, key, edge_kinds=kinds, limit=limit)
        return jsonify(expansion_json(key, expansion))


@api.get("/paths")
@requires(Action.ANALYSE_NETWORK)
def paths() -> ResponseReturnValue:
    """The shortest paths between nodes ``a`` and ``b`` (at most ``max_hops``, up to 6), and
    whether the search looked everywhere within that (``complete``, with its ``message``)."""
    first, second = node_key("a"), node_key("b")
    if first == second:
        raise ValidationError({"b": "choose two different nodes"})
    hops = whole_number("max_hops", 6, 1, 6)
    limit = whole_number("limit", 5, 1, 10)
    actor = current_web_user().actor
    db = get_session()
    with db.begin():
        search = find_paths(db, actor, first, second, max_hops=hops, limit=limit)
        # ``complete`` False: a cap stopped the search, so "no path" must not be claimed.
        return jsonify(
            {
                "paths": [
                    {
                        "nodes": [node_json(node) for node in path.nodes],
                        "edges": [edge_json(edge) for edge in path.edges],
                    }
                    for path in search.paths
                ],
                "complete": search.complete,
                "message": search.message,
            }
        )


@api.post("/measures")
@requires(Action.ANALYSE_NETWORK)
def chart_measures() -> ResponseReturnValue:
    """Network measures over the chart ``{"nodes": [...]}``: the graph among those nodes as
    the server sees it now (the client's edges are not trusted). POST only for the body size."""
    keys = node_keys(json_body().get("nodes"))
    actor = current_web_user().actor
    db = get_session()
    with db.begin():
        state = graph_state(db, actor, keys)
        result = measure(
            [node.key for node in state.nodes],
            [(edge.source, edge.target) for edge in state.edges],
        )
        return jsonify(
            {
                "measures": [measures_json(key, values) for key, values in result.items()],
                "edges": [edge_json(edge) for edge in state.edges],
            }
        )


@api.get("/central")
@requires(Action.ANALYSE_NETWORK)
def most_connected() -> ResponseReturnValue:
    """The most connected entities of the whole graph (``top``, seizures since ``from``) as of
    the latest stored run. Never computes: measuring the whole graph takes minutes, so
    ``ncen serve`` does it in the background (or ``ncen analyse centrality --store``); with no
    stored run the answer says so (``run`` null, ``message``)."""
    top = whole_number("top", 20, 1, 100)
    raw = one_line("from", max_len=10)
    try:
        since = date.fromisoformat(raw) if raw else None
    except ValueError:
        raise ValidationError({"from": "give a date as YYYY-MM-DD"}) from None
    actor = current_web_user().actor
    db = get_session()
    with db.begin():
        stored = latest_centrality(db, actor, seizures_from=since, top=top)
        if stored is None:
            command = "ncen analyse centrality --store" + (
                f" --seizures-from {since.isoformat()}" if since else ""
            )
            message = _(
                "No whole-graph centrality has been computed yet. The node computes it in the "
                "background while it serves; an operator can run it now with: %(command)s",
                command=command,
            )
            return jsonify({"run": None, "ranked": [], "message": message})
        return jsonify(
            {
                "run": _run_json(stored),
                "ranked": [_ranked_json(entry) for entry in stored.ranked],
                "message": None,
            }
        )


def _run_json(stored: StoredCentrality) -> dict[str, object]:
    return {
        "id": stored.run_id,
        "computed_at": stored.computed_at.isoformat(),
        "seizures_from": stored.seizures_from.isoformat() if stored.seizures_from else None,
        "nodes": stored.node_count,
        "edges": stored.edge_count,
        "seconds": stored.seconds,
        "summary": _(
            "As of %(time)s, %(nodes)s nodes, computed in %(seconds)s s",
            time=format_datetime(stored.computed_at, "short"),
            nodes=format_decimal(stored.node_count),
            seconds=format_decimal(round(stored.seconds, 1)),
        ),
    }


def _ranked_json(entry: tuple[GraphNode, Measures]) -> dict[str, object]:
    node, values = entry
    return {"node": node_json(node), **measures_json(node.key, values)}

"""JSON for saved charts (list, save, reopen with changes, update, delete) and timelines.

Writes are POSTs with the CSRF token; a chart of another user is a 404. Saving names the
version edited: a stale save is a 409 the script shows ("saved meanwhile").
"""

from __future__ import annotations

import uuid
from datetime import UTC
from typing import Any

from flask import jsonify, request
from flask.typing import ResponseReturnValue

from ncen.analysis import charts
from ncen.analysis.chartdiff import ChartChanges
from ncen.analysis.chartmodels import AnalysisChart
from ncen.analysis.timeline import (
    PartialDate,
    Precision,
    Timeline,
    TimelineEvent,
    build_timeline,
)
from ncen.policy import Action
from web.db import get_session
from web.network import api
from web.network.exchangeevents import exchange_events
from web.network.params import json_body, query_keys
from web.network.sentences import sentence
from web.network.serialise import edge_json, node_json
from web.security import current_web_user, requires

CHART = "/charts/<uuid:chart_id>"


def chart_summary(chart: AnalysisChart) -> dict[str, Any]:
    """A chart in the list: no node labels, so listing is not a read of nominal data."""
    return {
        "id": str(chart.id),
        "name": chart.name,
        "nodes": len(chart.nodes),
        "version": chart.version,
        "created_at": chart.created_at.isoformat(),
        "updated_at": chart.updated_at.isoformat(),
    }


def changes_json(changes: ChartChanges) -> dict[str, Any]:
    """What changed since the save, for the banner of the reopened chart."""
    return {
        "any": changes.any,
        "gone": changes.gone,
        "changed": changes.changed,
        "new_edges": [list(edge) for edge in changes.new_edges],
        "lost_edges": [list(edge) for edge in changes.lost_edges],
        "new_neighbours": changes.new_neighbours,
    }


@api.get("/charts")
@requires(Action.ANALYSE_NETWORK)
def list_charts() -> ResponseReturnValue:
    """The user's charts, most recently saved first."""
    db = get_session()
    with db.begin():
        found = charts.list_charts(db, current_web_user().actor)
        return jsonify({"charts": [chart_summary(chart) for chart in found]})


@api.post("/charts")
@requires(Action.ANALYSE_NETWORK)
def save_chart() -> ResponseReturnValue:
    """Save a new chart ``{"name", "nodes": [...], "layout": {key: {x, y, pinned}}}``."""
    body = json_body()
    db = get_session()
    with db.begin():
        chart = charts.save_chart(
            db, current_web_user().actor, name=body.get("name"), nodes=body.get("nodes"),
            layout=body.get("layout"),
        )  # fmt: skip
        return jsonify({"chart": chart_summary(chart)}), 201


@api.get(CHART)
@requires(Action.ANALYSE_NETWORK)
def open_chart(chart_id: uuid.UUID) -> ResponseReturnValue:
    """Reopen a chart: its nodes and edges now, its layout, and what changed since the save."""
    db = get_session()
    with db.begin():
        opened = charts.open_chart(db, current_web_user().actor, chart_id)
        return jsonify(
            {
                "chart": chart_summary(opened.chart),
                "layout": opened.chart.layout,
                "nodes": [node_json(node) for node in opened.state.nodes],
                "edges": [edge_json(edge) for edge in opened.state.edges],
                "changes": changes_json(opened.changes),
            }
        )


@api.post(CHART)
@requires(Action.ANALYSE_NETWORK)
def update_chart(chart_id: uuid.UUID) -> ResponseReturnValue:
    """Save over a chart ``{"version", "name", "nodes", "layout"}``; 409 when stale."""
    body = json_body()
    db = get_session()
    with db.begin():
        chart = charts.update_chart(
            db, current_web_user().actor, chart_id, version=body.get("version"),
            name=body.get("name"), nodes=body.get("nodes"), layout=body.get("layout"),
        )  # fmt: skip
        return jsonify({"chart": chart_summary(chart)})


@api.post(f"{CHART}/delete")
@requires(Action.ANALYSE_NETWORK)
def delete_chart(chart_id: uuid.UUID) -> ResponseReturnValue:
    """Delete a chart of the user."""
    db = get_session()
    with db.begin():
        charts.delete_chart(db, current_web_user().actor, chart_id)
    return jsonify({"deleted": str(chart_id)})


def event_label(event: TimelineEvent) -> str:
    """The event's label in the reader's language (`ncen.analysis.timeline` writes it as a
    `ncen.errors.Message`: "born", "<role> in <reference>", "<change> v2 by <who>"...)."""
    return sentence(event.label)


def event_json(event: TimelineEvent) -> dict[str, Any]:
    """An event for vis-timeline: a partial date becomes a range spanning what it may mean."""
    item: dict[str, Any] = {
        "group": event.group,
        "kind": event.kind,
        "label": event_label(event),
        "precision": event.precision.value,
        "start": event.start.isoformat(),
    }
    when = event.when
    if isinstance(when, PartialDate):
        item["date"] = when.label()
        if event.precision in {Precision.YEAR, Precision.MONTH}:
            item["end"] = when.end().isoformat()
    else:
        item["date"] = when.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")
    return item


def timeline_json(timeline: Timeline) -> dict[str, Any]:
    """Groups (one per record, in order) and events, oldest first."""
    return {
        "groups": [node_json(node) for node in timeline.groups],
        "events": [event_json(event) for event in timeline.events],
        "truncated": timeline.truncated,
    }


@api.get("/timeline")
@requires(Action.ANALYSE_NETWORK)
def timeline() -> ResponseReturnValue:
    """The timeline of ``nodes=kind:id,...`` or of the user's chart ``chart=<id>``."""
    actor = current_web_user().actor
    db = get_session()
    with db.begin():
        if request.args.get("chart"):
            keys = charts.chart_keys(db, actor, request.args["chart"])
        else:
            keys = query_keys("nodes")
        built = build_timeline(db, actor, keys, extra_events=exchange_events(db, keys))
        return jsonify(timeline_json(built))

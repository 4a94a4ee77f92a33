"""The pages: the link chart, the user's saved charts, and the timeline.

The pages carry no nominal data themselves: the scripts load nodes through `network_api`,
whose reads are audited. Without JavaScript the chart page says so; the saved-charts list
still lists and deletes.
"""

from __future__ import annotations

import uuid

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from ncen.analysis import charts
from ncen.analysis.graph import EDGE_KINDS, NodeKey
from ncen.errors import ValidationError
from ncen.policy import Action
from web.db import get_session
from web.network import bp
from web.network.params import MAX_NODES, node_keys
from web.security import current_web_user, requires


def _start_nodes() -> list[NodeKey]:
    raw = request.args.getlist("node")
    return node_keys(",".join(raw), "node", limit=MAX_NODES) if raw else []


def _chart_id() -> str:
    raw = request.args.get("chart", "")
    if not raw:
        return ""
    try:
        return str(uuid.UUID(raw))
    except ValueError:
        raise ValidationError({"chart": "choose one of your charts"}) from None


@bp.get("/network")
@requires(Action.ANALYSE_NETWORK)
def chart() -> str:
    """The chart page, started from ``node=kind:id`` (repeatable) or a saved ``chart``."""
    return render_template(
        "analysis/network.html",
        start=[str(key) for key in _start_nodes()],
        chart_id=_chart_id(),
        edge_kinds=EDGE_KINDS,
    )


@bp.get("/network/charts")
@requires(Action.ANALYSE_NETWORK)
def saved_charts() -> str:
    """The user's saved charts."""
    db = get_session()
    with db.begin():
        found = charts.list_charts(db, current_web_user().actor)
        return render_template("analysis/charts.html", charts=found)


@bp.post("/network/charts/<uuid:chart_id>/delete")
@requires(Action.ANALYSE_NETWORK)
def delete_chart(chart_id: uuid.UUID) -> Response:
    """Delete one of the user's charts (404 for anybody else's)."""
    db = get_session()
    with db.begin():
        charts.delete_chart(db, current_web_user().actor, chart_id)
    flash(_("Chart deleted."), "success")
    return redirect(url_for("network.saved_charts"))


@bp.get("/timeline")
@requires(Action.ANALYSE_NETWORK)
def timeline() -> str:
    """The timeline page of ``node=kind:id`` (repeatable) or of a saved ``chart``."""
    start = [str(key) for key in _start_nodes()]
    chart_id = _chart_id()
    if not start and not chart_id:
        raise ValidationError({"node": "choose a record or a chart for the timeline"})
    return render_template("analysis/timeline.html", start=start, chart_id=chart_id)

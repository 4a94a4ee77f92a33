"""The statistics page (blueprint ``statistics``, ``/analysis/statistics``) and its CSV export.

The page refreshes the statistics tables (at most `PAGE_REFRESH_LIMIT` queued seizures, in a
transaction of its own so that readers do not queue behind each other's rendering), then draws
six fixed panels and an optional cross-tabulation of any two dimensions, all under one filter
bar. Tables are server-rendered and every number links to its seizures; charts are drawn by
``static/statistics.js`` from the tables. Aggregates are not nominal: nothing is audited here
(each drill-down is, by the seizure list).
"""

from __future__ import annotations

from flask import Blueprint, Flask, Response, render_template, request
from flask.typing import ResponseReturnValue
from flask_babel import lazy_gettext as _l

from ncen.analysis.dimensions import DIMENSIONS
from ncen.analysis.filters import parse_by
from ncen.analysis.rollups import PAGE_REFRESH_LIMIT, refresh_statistics, statistics_freshness
from ncen.analysis.statistics import tabulate, tabulate_panels
from ncen.errors import ValidationError
from ncen.policy import Action
from web.analysis.labels import DIMENSION_LABELS
from web.analysis.statsview import PANELS, SHORTHANDS, csv_url, read_request, shown_table
from web.codes import options
from web.csvexport import statistics_rows, to_csv
from web.db import get_session
from web.fielderrors import translate_message
from web.security import current_web_user, requires

bp = Blueprint("statistics", __name__, url_prefix="/analysis/statistics")


def _refresh() -> None:
    db = get_session()
    with db.begin():
        # Never wait behind a rebuild: the page then says as of when it is current.
        refresh_statistics(db, limit=PAGE_REFRESH_LIMIT, wait=False)


@bp.get("")
@requires(Action.READ_STATISTICS)
def index() -> ResponseReturnValue:
    """Six panels and an optional cross-tabulation, under one filter bar; 400 on bad input."""
    dimensions = [(name, str(DIMENSION_LABELS[name])) for name in DIMENSIONS]
    try:
        query = read_request()
    except ValidationError as exc:
        return render_template(
            "analysis/statistics.html", errors=exc.errors, dimensions=dimensions, panels=[]
        ), 400
    _refresh()
    actor = current_web_user().actor
    db = get_session()
    with db.begin():
        tables = tabulate_panels(db, actor, query.filters, [panel.by for panel in PANELS])
        panels = [(panel, shown_table(table)) for panel, table in zip(PANELS, tables, strict=True)]
        crosstab = None
        if query.crosstab:
            crosstab = shown_table(tabulate(db, actor, query.filters, query.crosstab))
        freshness = statistics_freshness(db)
        choices = _filter_choices()
        return render_template(
            "analysis/statistics.html",
            errors={},
            query=query,
            panels=panels,
            crosstab=crosstab,
            freshness=freshness,
            dimensions=dimensions,
            choices=choices,
            shorthands=SHORTHANDS,
            total=panels[0][1].total,
            total_url=panels[0][1].total_url,
            stats_csv_url=csv_url,
        )


def _filter_choices() -> dict[str, list[tuple[str, str]]]:
    """Options of the filter bar's selects (active codes of each list)."""
    lists = {
        "commodity": "commodity_groups",
        "country": "countries",
        "office": "customs_offices",
        "transport": "transport_modes",
    }
    out = {
        name: [(str(c.value), str(c.label)) for c in options(codes, blank=None)]
        for name, codes in lists.items()
    }
    out["provenance"] = [("national", str(_l("National"))), ("received", str(_l("Received")))]
    return out


@bp.get("/export.csv")
@requires(Action.READ_STATISTICS)
def export_csv() -> ResponseReturnValue:
    """One table as CSV: ``by`` (one or two dimensions) under the page's filters."""
    try:
        query = read_request()
        by = parse_by(request.args.get("by", ""))
    except ValidationError as exc:
        message = "; ".join(f"{k}: {translate_message(v)}" for k, v in exc.errors.items())
        return Response(message + "\n", status=400, mimetype="text/plain")
    _refresh()
    db = get_session()
    with db.begin():
        table = tabulate(db, current_web_user().actor, query.filters, by)
        # Codes beside labels in the user's language, numbers as their spreadsheet reads
        # them (the rule: web.csvexport).
        body = to_csv(statistics_rows(table))
        as_of = statistics_freshness(db).as_of
    name = "seizures-by-" + "-".join(by) + f"-{as_of:%Y%m%dT%H%M%SZ}.csv"
    return Response(
        body,
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


def init_app(app: Flask) -> None:
    """Register the blueprint and its navigation entry ("Analysis")."""
    from web.navigation import add_nav_item

    app.register_blueprint(bp)
    add_nav_item(app, "statistics.index", _l("Analysis"), Action.READ_STATISTICS, order=45)

"""Link charts and timelines (blueprints ``network`` and ``network_api``, under /analysis).

``network`` serves the pages: the chart an analyst builds (``/analysis/network``), their saved
charts, and the timeline (``/analysis/timeline``). ``network_api`` serves the JSON the pages'
scripts (``static/network.js``, ``static/timeline.js``) call: every read is a GET, every write a
POST carrying the CSRF token in the ``X-CSRFToken`` header. Its errors are JSON too
(``{"error": ..., "fields": {...}}`` with 400/403/404/409), so a script can show them; nothing
here computes: the views call `ncen.analysis` (graph, paths, measures, charts, timeline).

No navigation entry: the statistics blueprint registers "Analysis"; the record pages and the
analysis pages link here.
"""

from __future__ import annotations

from flask import Blueprint, Flask, jsonify
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError

from ncen.errors import (
    ConflictError,
    NcenError,
    NotFoundError,
    PermissionDeniedError,
    ValidationError,
)

# Edge kinds of `ncen.analysis.graph.EDGE_KINDS`, as the expand menu shows them.
EDGE_KIND_LABELS = {
    "participation": _l("seizures (participation)"),
    "employment": _l("employment"),
    "document": _l("same identity document"),
    "address": _l("same address"),
    "phone": _l("same phone"),
    "email": _l("same e-mail"),
    "conveyance": _l("same conveyance"),
}

bp = Blueprint("network", __name__, url_prefix="/analysis")
api = Blueprint("network_api", __name__, url_prefix="/analysis/api")


def _json_error(
    status: int, message: str, fields: dict[str, str] | None = None
) -> ResponseReturnValue:
    return jsonify({"error": message, "fields": fields or {}}), status


@api.errorhandler(ValidationError)
def _validation(exc: ValidationError) -> ResponseReturnValue:
    return _json_error(400, _("Input not accepted"), {k: _(v) for k, v in exc.errors.items()})


@api.errorhandler(PermissionDeniedError)
def _forbidden(_exc: PermissionDeniedError) -> ResponseReturnValue:
    return _json_error(403, _("Your role does not allow this."))


@api.errorhandler(NotFoundError)
def _not_found(_exc: NotFoundError) -> ResponseReturnValue:
    return _json_error(404, _("This record does not exist, or you are not allowed to see it."))


@api.errorhandler(ConflictError)
def _conflict(exc: ConflictError) -> ResponseReturnValue:
    return _json_error(
        409,
        _(
            "This chart was saved meanwhile (you edited version %(expected)s, it is now at "
            "version %(actual)s). Reopen it, or save yours under another name.",
            expected=exc.expected,
            actual=exc.actual,
        ),
    )


@api.errorhandler(CSRFError)
def _csrf(_exc: CSRFError) -> ResponseReturnValue:
    # The same words as the form pages (web.errors): the page's token expired or is missing.
    return _json_error(
        400,
        _(
            "This form has expired or was not sent from this site. Go back, reload the page "
            "and submit it again."
        ),
    )


@api.errorhandler(NcenError)
def _other(_exc: NcenError) -> ResponseReturnValue:
    return _json_error(400, _("The request could not be carried out."))


def init_app(app: Flask) -> None:
    """Register both blueprints (the API's JSON error handlers are declared on it)."""
    from web.network import api_charts, api_graph, pages  # noqa: F401  (routes attach to bp)

    app.register_blueprint(bp)
    app.register_blueprint(api)
    app.jinja_env.globals["edge_kind_label"] = edge_kind_label
    app.jinja_env.globals["edge_kind_labels"] = edge_kind_labels


def edge_kind_label(kind: str) -> object:
    """The label of an edge kind in the user's language."""
    return EDGE_KIND_LABELS.get(kind, kind)


def edge_kind_labels() -> dict[str, str]:
    """Every edge kind's label in the user's language (for the chart script)."""
    return {kind: str(label) for kind, label in EDGE_KIND_LABELS.items()}

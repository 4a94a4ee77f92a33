"""Conveyances (blueprint ``conveyances``): list, record page with seizures, history, edit."""

from __future__ import annotations

from flask import Blueprint, Flask
from flask_babel import lazy_gettext as _l

from ncen.policy import Action

bp = Blueprint("conveyances", __name__, url_prefix="/conveyances")


def init_app(app: Flask) -> None:
    """Register the blueprint and its navigation entry."""
    from web.conveyances import views  # noqa: F401  (the module attaches its routes to bp)
    from web.navigation import add_nav_item

    app.register_blueprint(bp)
    add_nav_item(app, "conveyances.index", _l("Conveyances"), Action.READ_RECORDS, order=50)

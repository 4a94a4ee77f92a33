"""Companies (blueprint ``companies``): list, record page with linked seizures, history, edit."""

from __future__ import annotations

from flask import Blueprint, Flask
from flask_babel import lazy_gettext as _l

from ncen.policy import Action

bp = Blueprint("companies", __name__, url_prefix="/companies")


def init_app(app: Flask) -> None:
    """Register the blueprint and its navigation entry."""
    from web.companies import views  # noqa: F401  (the module attaches its routes to bp)
    from web.navigation import add_nav_item

    app.register_blueprint(bp)
    add_nav_item(app, "companies.index", _l("Companies"), Action.READ_RECORDS, order=40)

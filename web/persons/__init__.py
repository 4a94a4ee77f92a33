"""Persons (blueprint ``persons``): list, record page with linked seizures, history, edit."""

from __future__ import annotations

from flask import Blueprint, Flask
from flask_babel import lazy_gettext as _l

from ncen.policy import Action

bp = Blueprint("persons", __name__, url_prefix="/persons")


def init_app(app: Flask) -> None:
    """Register the blueprint and its navigation entry."""
    from web.navigation import add_nav_item
    from web.persons import views  # noqa: F401  (the module attaches its routes to bp)

    app.register_blueprint(bp)
    add_nav_item(app, "persons.index", _l("Persons"), Action.READ_RECORDS, order=30)

"""Retention review (blueprint ``retention``): the supervisor's queue of records due for review,
keep or delete, and the tombstones of deletions. Every route needs ``Action.REVIEW_RETENTION``.
"""

from __future__ import annotations

from flask import Blueprint, Flask
from flask_babel import lazy_gettext as _l

from ncen.policy import Action

bp = Blueprint("retention", __name__, url_prefix="/retention")


def init_app(app: Flask) -> None:
    """Register the blueprint and its navigation entry (for supervisors)."""
    from web.navigation import add_nav_item
    from web.retention import views  # noqa: F401  (the module attaches its routes to bp)

    app.register_blueprint(bp)
    add_nav_item(app, "retention.review", _l("Retention review"), Action.REVIEW_RETENTION, order=78)

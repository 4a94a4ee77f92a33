"""Risk profiles and hits (blueprint ``targeting``, pages under ``/targeting``).

Analysts and supervisors (``MANAGE_PROFILES``) write profiles in a form or as text, back-test,
activate and compare versions, and keep lookup lists; the hits queue (``READ_HITS``) is the
team's for them and an investigator's own assigned hits otherwise. The domain is
`ncen.targeting`; views read forms and render.
"""

from __future__ import annotations

from flask import Blueprint, Flask
from flask_babel import format_percent
from flask_babel import lazy_gettext as _l

from ncen.policy import Action

bp = Blueprint("targeting", __name__, url_prefix="/targeting")

STATUS_LABELS = {
    "draft": _l("draft"),
    "active": _l("active"),
    "suspended": _l("suspended"),
    "expired": _l("expired"),
    "new": _l("new"),
    "confirmed": _l("confirmed"),
    "dismissed": _l("dismissed"),
    "high": _l("high"),
    "medium": _l("medium"),
    "low": _l("low"),
}


def targeting_label(value: object) -> object:
    """The label of a profile or hit status or lane, in the user's language."""
    key = str(getattr(value, "value", value))
    return STATUS_LABELS.get(key, key)


def init_app(app: Flask) -> None:
    """Register the blueprint, its navigation entries and template helpers."""
    from web.navigation import add_nav_item
    from web.targeting import (  # noqa: F401 (attach routes)
        foreign_views,
        hit_cases,
        hits_views,
        list_views,
        views,
    )

    app.register_blueprint(bp)
    add_nav_item(app, "targeting.index", _l("Risk profiles"), Action.MANAGE_PROFILES, order=72)
    add_nav_item(app, "targeting.hits", _l("Hits"), Action.READ_HITS, order=73)
    app.jinja_env.globals.update(targeting_label=targeting_label, format_percent=format_percent)

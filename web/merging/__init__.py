"""Duplicates (blueprint ``merging``): candidate pairs, compare and merge, unmerge, the ledger.

Reading candidates and the ledger needs ``Action.SEARCH`` (they show nominal data as search
does); merging, unmerging and judging pairs need ``Action.MERGE_RECORDS`` (supervisors).
"""

from __future__ import annotations

from flask import Blueprint, Flask
from flask_babel import lazy_gettext as _l

from ncen.policy import Action

bp = Blueprint("merging", __name__, url_prefix="/duplicates")

DECISIONS = {
    "same": _l("same"),
    "not_same": _l("not the same"),
    "merged": _l("merged"),
    "unmerged": _l("unmerged"),
}


def decision_label(value: object) -> object:
    """The label of a ledger decision, in the user's language."""
    key = str(getattr(value, "value", value))
    return DECISIONS.get(key, key)


def init_app(app: Flask) -> None:
    """Register the blueprint and its navigation entry (for supervisors)."""
    from web.merging import views  # noqa: F401  (the module attaches its routes to bp)
    from web.navigation import add_nav_item

    app.register_blueprint(bp)
    app.jinja_env.globals.update(decision_label=decision_label)
    add_nav_item(app, "merging.index", _l("Duplicates"), Action.MERGE_RECORDS, order=75)

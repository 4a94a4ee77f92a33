"""Watch-lists (blueprint ``watch``): watches, alerts, and the unread badge in the menu.

Analysts and supervisors (``Action.MANAGE_WATCHLISTS``) watch records, names and identifiers;
the domain (`ncen.watch`) raises the alerts. ``unread_alerts()`` in templates gives the badge.
"""

from __future__ import annotations

import uuid

from flask import Blueprint, Flask
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from ncen.policy import Action, is_allowed
from ncen.watch.services import unread_count, watch_of_record
from web.db import get_session
from web.security import current_web_user

bp = Blueprint("watch", __name__, url_prefix="/watch")

WATCH_KINDS = {"record": _l("Record"), "name": _l("Name"), "identifier": _l("Identifier")}
EVENTS = {
    "create": _l("created"),
    "update": _l("changed"),
    "import": _l("received from another node"),
    "bulk_import": _l("bulk import"),
    "restore": _l("restored"),
    "link": _l("linked"),
    "status": _l("status changed"),
    "saved_search": _l("new search result"),
}


def watch_label(kind: str, value: object) -> object:
    """The label of a watch kind or alert event, in the user's language."""
    key = str(getattr(value, "value", value))
    table = WATCH_KINDS if kind == "kind" else EVENTS
    return table.get(key, key)


def unread_alerts() -> int | None:
    """The unread alert count of the signed-in user, or None for users without watch-lists."""
    if not current_user.is_authenticated:
        return None
    user = current_web_user()
    if not is_allowed(user.actor, Action.MANAGE_WATCHLISTS) or user.actor.user_id is None:
        return None
    if user.unread_alerts is not None:  # read with the account at the start of the request
        return user.unread_alerts
    db = get_session()
    if db.in_transaction():
        return unread_count(db, user.actor.user_id)
    with db.begin():
        return unread_count(db, user.actor.user_id)


def record_watch(record_id: uuid.UUID) -> uuid.UUID | None:
    """The id of the signed-in user's watch on a record (for the Watch / Stop watching button)."""
    user = current_web_user()
    db = get_session()
    if db.in_transaction():
        watch = watch_of_record(db, user.actor, record_id)
    else:
        with db.begin():
            watch = watch_of_record(db, user.actor, record_id)
    return watch.id if watch is not None else None


def init_app(app: Flask) -> None:
    """Register the blueprint, its navigation entry and template helpers."""
    from web.navigation import add_nav_item
    from web.watch import views  # noqa: F401  (the module attaches its routes to bp)

    app.register_blueprint(bp)
    add_nav_item(app, "watch.index", _l("Watch-list"), Action.MANAGE_WATCHLISTS, order=70)
    app.jinja_env.globals.update(
        unread_alerts=unread_alerts, watch_label=watch_label, record_watch=record_watch
    )

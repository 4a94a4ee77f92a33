"""Administration: user accounts, reference lists and the audit trail (blueprint ``admin``).

Administrators manage users (`Action.MANAGE_USERS`), extend the reference code lists
(`Action.MANAGE_REFERENCE`) and read the audit trail (`Action.READ_AUDIT`); by default they
read no nominal data.
"""

from __future__ import annotations

from flask import Blueprint, Flask
from flask_babel import lazy_gettext as _l

from ncen.policy import Action

bp = Blueprint("admin", __name__, url_prefix="/admin")


def init_app(app: Flask) -> None:
    """Register the blueprint and its navigation entries."""
    from web.admin import audit, reference, users  # noqa: F401  (the modules attach their routes to bp)
    from web.navigation import add_nav_item

    app.register_blueprint(bp)
    add_nav_item(app, "admin.users", _l("Users"), Action.MANAGE_USERS, order=900)
    add_nav_item(
        app, "admin.reference_lists", _l("Reference lists"), Action.MANAGE_REFERENCE, order=905
    )
    add_nav_item(app, "admin.audit", _l("Audit trail"), Action.READ_AUDIT, order=910)

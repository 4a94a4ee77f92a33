"""Administration and oversight: accounts, reference lists, the audit trail (blueprint ``admin``).

Administrators manage users (`Action.MANAGE_USERS`), extend the reference code lists
(`Action.MANAGE_REFERENCE`) and read the audit trail without its nominal details
(`Action.READ_AUDIT`); they read no nominal data. Auditors read the whole audit trail
(`Action.READ_AUDIT_DETAILS`) and the alerts about accounts (`Action.REVIEW_ACCOUNT_ALERTS`).
"""

from __future__ import annotations

from flask import Blueprint, Flask
from flask_babel import lazy_gettext as _l

from ncen.policy import Action

bp = Blueprint("admin", __name__, url_prefix="/admin")


def init_app(app: Flask) -> None:
    """Register the blueprint and its navigation entries."""
    from web.admin import alerts, audit, reference, users  # noqa: F401  (they attach routes to bp)
    from web.navigation import add_nav_item

    app.register_blueprint(bp)
    add_nav_item(app, "admin.users", _l("Users"), Action.MANAGE_USERS, order=900)
    add_nav_item(
        app, "admin.reference_lists", _l("Reference lists"), Action.MANAGE_REFERENCE, order=905
    )
    add_nav_item(app, "admin.audit", _l("Audit trail"), Action.READ_AUDIT, order=910)
    add_nav_item(
        app, "admin.account_alerts", _l("Account alerts"), Action.REVIEW_ACCOUNT_ALERTS, order=915
    )

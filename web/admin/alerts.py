"""Account alerts: the auditor's list of accounts given access to nominal data.

Creating, resetting or granting an account that reads nominal data raises an alert
(`ncen.accounts.alerts`); an auditor checks that it was asked for and acknowledges it. The
list shows open alerts first, then the latest acknowledged ones.
"""

from __future__ import annotations

import uuid

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from ncen.accounts import alerts
from ncen.policy import Action
from web.admin import bp
from web.db import get_session
from web.security import current_web_user, requires


@bp.get("/account-alerts")
@requires(Action.REVIEW_ACCOUNT_ALERTS)
def account_alerts() -> str:
    """Open alerts, then acknowledged ones, newest first."""
    db = get_session()
    with db.begin():
        rows = alerts.list_alerts(db, current_web_user().actor, include_acknowledged=True)
        open_rows = [a for a in rows if a.acknowledged_at is None]
        done_rows = [a for a in rows if a.acknowledged_at is not None]
        return render_template(
            "admin/account_alerts.html", open_alerts=open_rows, done_alerts=done_rows
        )


@bp.post("/account-alerts/<uuid:alert_id>/acknowledge")
@requires(Action.REVIEW_ACCOUNT_ALERTS)
def acknowledge_account_alert(alert_id: uuid.UUID) -> Response:
    """Mark the alert as checked (audited)."""
    db = get_session()
    with db.begin():
        alerts.acknowledge_alert(db, current_web_user().actor, alert_id)
    flash(_("Alert acknowledged."), "success")
    return redirect(url_for("admin.account_alerts"))

"""The front door: ``/`` sends people to sign in, or to their dashboard once signed in.

The dashboard is a desk: besides the pages the user may open, it says what waits for them (for
an auditor, the open alerts about accounts given access to nominal data).
"""

from __future__ import annotations

from flask import Blueprint, Flask, redirect, render_template, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from ncen.accounts.alerts import count_open_alerts
from ncen.policy import Action, is_allowed
from web.db import get_session
from web.security import current_web_user, public, signed_in

bp = Blueprint("home", __name__)


@bp.get("/")
@public
def index() -> Response:
    """Redirect to the dashboard when signed in, otherwise to the sign-in page."""
    if current_user.is_authenticated:
        return redirect(url_for("home.dashboard"))
    return redirect(url_for("auth.sign_in"))


@bp.get("/home")
@signed_in
def dashboard() -> str:
    """The signed-in user's start page: what they may do, as links, and what waits for them."""
    actor = current_web_user().actor
    open_alerts = None
    if is_allowed(actor, Action.REVIEW_ACCOUNT_ALERTS):
        db = get_session()
        with db.begin():
            open_alerts = count_open_alerts(db, actor)
    return render_template("home/dashboard.html", open_account_alerts=open_alerts)


def init_app(app: Flask) -> None:
    """Register the blueprint."""
    app.register_blueprint(bp)

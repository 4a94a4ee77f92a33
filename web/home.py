"""The front door: ``/`` sends people to sign in, or to their dashboard once signed in.

The dashboard is a desk: for each role the user holds, panels of what waits for them, each
linking to its full list (`web.desk`); for an auditor, the open alerts about accounts given
access to nominal data; and the pages the user may open.
"""

from __future__ import annotations

from flask import Blueprint, Flask, redirect, render_template, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from ncen.accounts.alerts import count_open_alerts
from ncen.policy import Action, is_allowed
from ncen.targeting.hits import new_hits_count
from ncen.targeting.profiles import reviews_due
from web.db import get_session
from web.desk import build_desk
from web.search.saved import search_url
from web.security import current_web_user, public, signed_in
from web.watch.views import record_url

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
    """The signed-in user's start page: what waits for them, and what they may do, as links.

    All panels are read in one transaction: the read audit events of the nominal panels are
    written together (one chain lock).
    """
    actor = current_web_user().actor
    db = get_session()
    with db.begin():
        panels = build_desk(db, actor)
        open_alerts = None
        if is_allowed(actor, Action.REVIEW_ACCOUNT_ALERTS):
            open_alerts = count_open_alerts(db, actor)
        # Targeting: new hits of the user's profiles or assigned to them, and the profiles
        # whose review date has come (flagged to their owner).
        new_hits = reviews = None
        if is_allowed(actor, Action.READ_HITS) and actor.user_id is not None:
            new_hits = new_hits_count(db, actor)
            if is_allowed(actor, Action.MANAGE_PROFILES):
                reviews = reviews_due(db, actor.user_id)
        return render_template(
            "home/dashboard.html",
            panels=panels,
            open_account_alerts=open_alerts,
            new_hits=new_hits,
            reviews_due=reviews,
            record_url=record_url,
            search_url=search_url,
        )


def init_app(app: Flask) -> None:
    """Register the blueprint."""
    app.register_blueprint(bp)

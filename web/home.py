"""The front door: ``/`` sends people to sign in, or to their dashboard once signed in."""

from __future__ import annotations

from flask import Blueprint, Flask, redirect, render_template, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from web.security import public, signed_in

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
    """The signed-in user's start page: what they may do, as links."""
    return render_template("home/dashboard.html")


def init_app(app: Flask) -> None:
    """Register the blueprint."""
    app.register_blueprint(bp)

"""Sign-in, second factor, password change, language choice and sign-out (blueprint ``auth``)."""

from __future__ import annotations

from flask import Blueprint, Flask
from flask_babel import lazy_gettext as _l

bp = Blueprint("auth", __name__, url_prefix="/auth")


def init_app(app: Flask) -> None:
    """Register the blueprint, the per-request session rules and the secret box (TOTP)."""
    from ncen.secretbox import SecretBox
    from web.auth import account, apitokens, views  # noqa: F401  (the modules attach their routes to bp)
    from web.auth.forms import language_buttons, language_form, language_hidden_fields
    from web.auth.guards import enforce_session_rules
    from web.auth.sessions import send_to_sign_in
    from web.extensions import login_manager
    from web.navigation import add_nav_item

    app.register_blueprint(bp)
    app.before_request(enforce_session_rules)
    # Seals TOTP secrets in the database; reads (or creates) its key file on first use only.
    app.extensions["ncen.secretbox"] = SecretBox.for_settings(app.extensions["ncen.settings"])
    login_manager.unauthorized_handler(send_to_sign_in)
    app.jinja_env.globals["language_form"] = language_form
    app.jinja_env.globals["language_hidden_fields"] = language_hidden_fields
    app.jinja_env.globals["language_buttons"] = language_buttons
    add_nav_item(app, "home.dashboard", _l("Home"), order=0)

"""Flask extensions, attached to an application by `init_extensions` (the ``init_app`` pattern).

`login_manager` and `csrf` are created unbound here so that views can use their decorators
(``csrf.exempt`` for the future peer endpoint); they hold no application state until bound.
Babel is made per application because its translation cache lives on the instance.
"""

from __future__ import annotations

from flask import Flask
from flask_babel import Babel
from flask_login import LoginManager
from flask_wtf.csrf import CSRFProtect

from ncen.settings import Settings

login_manager = LoginManager()
csrf = CSRFProtect()


def init_extensions(app: Flask, settings: Settings) -> None:
    """Bind login, CSRF protection and Babel to ``app`` (configuration comes from ``settings``).

    Flask-Login's ``strong`` session protection drops a session whose client fingerprint
    (address and user agent) changes. There is no "remember me" cookie: a session ends when the
    browser closes or after ``settings.session_idle_minutes`` without activity.
    """
    from web.i18n import RequestDomain, select_locale
    from web.security import load_user

    login_manager.login_view = "auth.sign_in"
    login_manager.session_protection = "strong"
    login_manager.user_loader(load_user)
    login_manager.init_app(app)

    csrf.init_app(app)

    babel = Babel()
    babel.init_app(
        app,
        locale_selector=select_locale,
        default_locale=settings.default_locale,
        default_timezone="UTC",
    )
    # The domain every gettext and lazy string goes through: one catalogue look-up per request
    # instead of one per string (see `RequestDomain`).
    babel.domain_instance = RequestDomain(domain=app.config.get("BABEL_DOMAIN", "messages"))

"""The ncen web application: the composition root of the Flask side of a node.

`create_app(settings)` builds everything (engine, session factory, extensions, blueprints, error
handlers, security headers) from the settings passed in; nothing is configured at import time.

Adding an area (seizures, persons, search…): create ``web/<area>/`` with a blueprint whose views
carry `web.security.requires`, give it an ``init_app(app)`` that registers the blueprint and its
`web.navigation.add_nav_item` entries, list it in `_BLUEPRINTS`, and add its routes to the
expected table of ``tests/functional/test_role_matrix.py``.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from datetime import timedelta

from flask import Flask
from sqlalchemy.orm import Session
from werkzeug.middleware.proxy_fix import ProxyFix

from ncen.db import make_engine, make_session_factory
from ncen.settings import Settings

# Modules with an ``init_app(app)``, in registration order.
_BLUEPRINTS = (
    "web.assets",
    "web.codes",
    "web.labels",
    "web.formatting",
    "web.fielderrors",
    "web.home",
    "web.auth",
    "web.seizures",
    "web.persons",
    "web.companies",
    "web.conveyances",
    "web.pictures",
    "web.exchange",
    "web.admin",
    "web.search",
    "web.explanations",
    "web.merging",
    "web.imports",
    "web.watch",
    "web.targeting",
    "web.investigations",
    "web.retention",
    "web.network",
    "web.analysis.statistics",
    "web.api",
    "web.exports",
)


def create_app(
    settings: Settings,
    *,
    session_factory: Callable[[], Session] | None = None,
    deferred_audit: bool = False,
) -> Flask:
    """Build the Flask application for ``settings``.

    ``settings.database_url`` must be set unless ``session_factory`` is given (tests pass one
    bound to a connection whose outer transaction is rolled back). ``settings.secret_key`` signs
    the session cookie and CSRF tokens; it must be set (see `ncen.settings.ensure_secret_key`).
    With ``deferred_audit`` (``ncen serve``, which runs the chainer) the requests' audit events
    go to the audit queue without the chain lock (`ncen.audit.events`).
    Raises `ValueError` on missing settings and `RuntimeError` if a view has no access marker.
    """
    if not settings.secret_key:
        raise ValueError("create_app needs settings.secret_key (see ensure_secret_key)")
    engine = None
    if session_factory is None:
        if not settings.database_url:
            raise ValueError("create_app needs settings.database_url (start the database first)")
        engine = make_engine(settings.database_url)
        session_factory = make_session_factory(engine, deferred_audit=deferred_audit)

    app = Flask(__name__, instance_path=str(settings.instance_path))
    if settings.trusted_proxies:
        # Behind ``trusted_proxies`` reverse proxies, take the client's address and scheme from
        # X-Forwarded-For/-Proto, counting that many hops from the right so a client cannot
        # choose its own. The sign-in throttle keys on the address and HSTS needs the scheme
        # (issue 12 item 11). X-Forwarded-Host stays untrusted: the documented nginx passes
        # Host itself and would forward a client's X-Forwarded-Host unchanged.
        hops = settings.trusted_proxies
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=hops, x_proto=hops, x_host=0
        )
    # The engine made here (None when a session factory was given); whoever stops the server
    # may ``dispose()`` it to close its pooled connections.
    app.extensions["ncen.engine"] = engine
    app.config.update(_flask_config(settings))
    app.extensions["ncen.settings"] = settings
    app.jinja_env.globals["node_id"] = settings.node_id
    from web.pagination import link_args

    app.jinja_env.globals["link_args"] = link_args

    from web import db, errors, i18n, navigation, requestmemo, security
    from web.extensions import init_extensions
    from web.forms import install_html_params

    install_html_params()  # WTForms' attribute writer, same output, a fraction of the CPU

    i18n.configure(app, settings)
    requestmemo.init_app(app)
    init_extensions(app, settings)
    db.init_app(app, session_factory)
    security.init_app(app)
    errors.init_app(app)
    i18n.init_app(app)
    navigation.init_app(app)
    for name in _BLUEPRINTS:
        importlib.import_module(name).init_app(app)
    security.verify_access_markers(app)
    return app


def _flask_config(settings: Settings) -> dict[str, object]:
    """Flask and extension configuration derived from ``settings``."""
    return {
        "SECRET_KEY": settings.secret_key,
        "SESSION_COOKIE_NAME": "ncen_session",
        "SESSION_COOKIE_SECURE": settings.secure_cookies,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",  # Strict would drop the session on links from mail
        "PERMANENT_SESSION_LIFETIME": timedelta(minutes=settings.session_idle_minutes),
        "SESSION_REFRESH_EACH_REQUEST": True,
        "MAX_CONTENT_LENGTH": settings.max_upload_mb * 1024 * 1024,
        "WTF_CSRF_TIME_LIMIT": None,  # the token lives as long as the session (idle timeout)
        "WTF_CSRF_SSL_STRICT": settings.secure_cookies,
        "BABEL_DEFAULT_LOCALE": settings.default_locale,
    }

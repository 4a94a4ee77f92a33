"""The REST API, ``/api/v1``: JSON over the same services, policy, versions and audit as the UI.

One module per idea: `routing` (the view decorator: token authentication, scope, policy, rate
limit, OpenAPI description), `problems` (RFC 9457 errors), `bodies` (strict JSON bodies),
`versions` (ETag/If-Match), `paging` (signed keyset cursors), `ratelimit`, and one module per
resource (`persons`, `seizures`, `catalog`, `pictures`, `imports`), plus `openapi` and `docs`.

The API takes no cookies: it authenticates by personal token only, so it is exempt from CSRF
(a cross-site request cannot carry the token). Import jobs (`imports`) upload a spreadsheet with
its mapping and run it through the wizard's services.
"""

from __future__ import annotations

from flask import Blueprint, Flask

from ncen.settings import Settings
from web.api import catalog, docs, imports, persons, pictures, seizures
from web.api.nocookies import ApiAwareSessionInterface
from web.api.ratelimit import RateLimiter
from web.api.routing import FAILURES_KEY, FAILURES_PER_MINUTE, LIMITER_KEY
from web.extensions import csrf

bp = Blueprint("api", __name__, url_prefix="/api/v1")
for _module in (persons, seizures, catalog, pictures, imports, docs):
    _module.register(bp)


def init_app(app: Flask) -> None:
    """Register the API blueprint (CSRF-exempt: token auth) and its per-process rate limiter."""
    settings: Settings = app.extensions["ncen.settings"]
    app.extensions[LIMITER_KEY] = RateLimiter(settings.api_rate_per_minute)
    app.extensions[FAILURES_KEY] = RateLimiter(FAILURES_PER_MINUTE)
    app.session_interface = ApiAwareSessionInterface()
    csrf.exempt(bp)
    app.register_blueprint(bp)

"""Rules checked before every request of a signed-in user.

1. Idle timeout: a session unused for ``settings.session_idle_minutes`` ends (audited) and the
   user is asked to sign in again, then returned to the page they asked for.
2. A user who must change their password can reach only the password page (and sign-out).
3. A user whose roles require a second factor but who has none (a role was granted during the
   session) can reach only the enrolment page.
"""

from __future__ import annotations

import time

from flask import current_app, flash, redirect, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from ncen.accounts.signin import record_sign_out
from ncen.accounts.totp import totp_required
from ncen.settings import Settings
from web.auth.sessions import LAST_SEEN_KEY, client_address, end, safe_next
from web.db import get_session
from web.security import current_web_user

# Endpoints that never touch the session rules (assets) or must stay reachable.
_UNGUARDED = frozenset({"static", "assets.vendor"})
_ALWAYS_REACHABLE = frozenset({"auth.sign_out", "auth.language"})


def enforce_session_rules() -> Response | None:
    """A ``before_app_request`` hook: returns a redirect when a rule applies, else None."""
    if request.endpoint is None or request.endpoint in _UNGUARDED:
        return None
    if request.blueprint == "api":  # token-authenticated: the session cookie is never read
        return None
    if not current_user.is_authenticated:
        return None
    if _idle_too_long():
        return _expire()
    session[LAST_SEEN_KEY] = time.time()
    return None if request.endpoint in _ALWAYS_REACHABLE else _pending_obligation()


def _idle_too_long() -> bool:
    settings: Settings = current_app.extensions["ncen.settings"]
    last_seen = session.get(LAST_SEEN_KEY)
    if not isinstance(last_seen, float | int):
        return True
    return time.time() - last_seen > settings.session_idle_minutes * 60


def _pending_obligation() -> Response | None:
    """Send the user to the page they must complete first, if any."""
    user = current_web_user()
    endpoint = request.endpoint
    if user.must_change_password and endpoint != "auth.change_password":
        return redirect(url_for("auth.change_password"))
    if totp_required(user.roles) and not user.totp_enabled and endpoint != "auth.enrol_totp":
        return redirect(url_for("auth.enrol_totp"))
    return None


def _expire() -> Response:
    actor = current_web_user().actor
    db = get_session()
    with db.begin():
        record_sign_out(db, actor, address=client_address(), reason="idle_timeout")
    end()
    flash(_("Your session ended after a period without activity. Sign in again."), "warning")
    target = safe_next(request.full_path.rstrip("?")) if request.method == "GET" else None
    return redirect(url_for("auth.sign_in", next=target))

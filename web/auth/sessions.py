"""The browser session across sign-in: the pending second-factor step, rotation and sign-out.

Flask keeps the session in a signed cookie. At sign-in it is cleared and refilled, so nothing
from before (CSRF token, pending state) survives and the cookie and its random ``sid`` are new
(session rotation). The stored user id carries a credential epoch (see `web.security`) so a
password change or reset ends the account's other sessions. Limit: a cookie copied before
sign-out stays valid until the idle timeout because there is no server-side session table.
"""

from __future__ import annotations

import secrets
import time
import uuid
from dataclasses import dataclass
from urllib.parse import urlsplit

from flask import flash, redirect, request, session, url_for
from flask_babel import gettext as _
from flask_login import login_user, logout_user
from werkzeug.wrappers import Response

from ncen.accounts.models import User
from web.security import WebUser

PENDING_KEY = "ncen.pending"
LAST_SEEN_KEY = "ncen.last_seen"
SID_KEY = "ncen.sid"
PENDING_SECONDS = 5 * 60


@dataclass(frozen=True)
class Pending:
    """A sign-in whose password was right and which waits for the second factor."""

    user_id: uuid.UUID
    # "totp" (verify a code), "enrol" (set up the authenticator first) or "password" (a first
    # sign-in replaces its one-time password, then enrols)
    step: str
    next_url: str | None


def client_address() -> str:
    """The client's address: the peer of this process, or, behind ``NCEN_TRUSTED_PROXIES``
    reverse proxies, the address they forwarded (``ProxyFix`` in `web.create_app`)."""
    return request.remote_addr or "unknown"


def safe_next(target: str | None) -> str | None:
    """``target`` if it is a path on this site, else None (no open redirects)."""
    if not target or not target.startswith("/") or target.startswith(("//", "/\\")):
        return None
    parts = urlsplit(target)
    return target if not parts.scheme and not parts.netloc else None


def begin_pending(user: User, step: str, next_url: str | None) -> None:
    """Start the second-factor step for ``user`` in a fresh session."""
    session.clear()
    session[PENDING_KEY] = {
        "uid": str(user.id),
        "step": step,
        "at": time.time(),
        "next": next_url,
    }


def pending() -> Pending | None:
    """The pending sign-in of this browser, unless absent or older than `PENDING_SECONDS`."""
    data = session.get(PENDING_KEY)
    if not isinstance(data, dict) or time.time() - float(data.get("at", 0)) > PENDING_SECONDS:
        return None
    return Pending(uuid.UUID(data["uid"]), str(data["step"]), data.get("next"))


def clear_pending() -> None:
    """Forget the pending sign-in (an enrolment in progress waits on the user's row)."""
    session.pop(PENDING_KEY, None)


def establish(user: User) -> None:
    """Sign ``user`` in with a brand-new session (rotation); Flask-Login's fresh login."""
    session.clear()
    login_user(WebUser.of(user), remember=False, fresh=True)
    session[SID_KEY] = secrets.token_urlsafe(24)
    session[LAST_SEEN_KEY] = time.time()
    session.permanent = True  # the cookie expires after the idle period too


def end() -> None:
    """Sign out and empty the session."""
    logout_user()
    session.clear()


def send_to_sign_in() -> Response:
    """Flask-Login's unauthorised handler: ask to sign in, then come back here."""
    flash(_("Sign in to continue."), "info")
    if request.method == "GET":
        target = safe_next(request.full_path.rstrip("?"))
    else:  # come back to the page the form was on, not to the POST-only address
        referrer = urlsplit(request.referrer or "")
        same_site = referrer.netloc == request.host
        target = safe_next(referrer.path) if same_site else None
    return redirect(url_for("auth.sign_in", next=target))

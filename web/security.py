"""Who is signed in, what they may do, and the HTTP security headers of every response.

- `WebUser` is the request's snapshot of the signed-in account (Flask-Login's user object).
- `requires(action)`, `signed_in` and `public` are the only authorisation checks views make.
  `requires` asks `ncen.policy.is_allowed`: there are no role checks anywhere else in `web`.
  Every view carries one of these markers; `verify_access_markers` makes `create_app` refuse to
  start when a view has none, so a new route is denied by default rather than forgotten.
- `set_security_headers` adds CSP (scripts only from 'self', no inline script), framing and
  referrer rules, ``nosniff``, ``no-store`` caching, and HSTS when the request came over TLS
  (directly, or as reported by a trusted reverse proxy: ``NCEN_TRUSTED_PROXIES``, ProxyFix).
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import uuid
from collections.abc import Callable
from contextlib import nullcontext
from dataclasses import dataclass
from typing import Any, ClassVar, ParamSpec

from flask import Flask, current_app, request
from flask.typing import ResponseReturnValue
from flask_login import current_user
from sqlalchemy import Select, String, bindparam, cast, func, select
from werkzeug.wrappers import Response

from ncen.accounts.actor import Actor
from ncen.accounts.models import Role, User, UserRole
from ncen.errors import PermissionDeniedError
from ncen.policy import Action, is_allowed
from ncen.reference.models import ReferenceStamp
from ncen.watch.services import unread_count_statement
from web.codes import remember_stamp
from web.db import get_session
from web.extensions import login_manager

P = ParamSpec("P")
View = Callable[P, ResponseReturnValue]
ACCESS_ATTR = "_ncen_access"
PUBLIC = "public"
SIGNED_IN = "signed_in"

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


@dataclass(frozen=True)
class WebUser:
    """The signed-in account as seen by one request; never written back to the database."""

    id: uuid.UUID
    username: str
    display_name: str
    roles: frozenset[Role]
    locale: str
    must_change_password: bool
    totp_enabled: bool
    epoch: str

    is_authenticated: ClassVar[bool] = True
    is_active: ClassVar[bool] = True
    is_anonymous: ClassVar[bool] = False

    # The unread alert count read with the account at the start of the request (the menu's
    # badge; see `load_user`), None when not read that way.
    unread_alerts: int | None = None

    @classmethod
    def of(cls, user: User) -> WebUser:
        """Snapshot ``user`` (call inside the transaction that loaded it)."""
        return cls(
            id=user.id,
            username=user.username,
            display_name=user.display_name,
            roles=user.roles,
            locale=user.locale,
            must_change_password=user.must_change_password,
            totp_enabled=user.totp_secret is not None,
            epoch=session_epoch(user),
        )

    @functools.cached_property
    def actor(self) -> Actor:
        """The acting user handed to services (made once per request: pages ask for it for
        every link they may show)."""
        return Actor(user_id=self.id, username=self.username, roles=self.roles)

    def get_id(self) -> str:
        """What Flask-Login keeps in the session: the id plus the credential epoch."""
        return f"{self.id}:{self.epoch}"


def session_epoch(user: User) -> str:
    """A keyed digest of the credentials; changing the password or second factor changes it.

    A session remembers the epoch it was opened with, so a password change or reset ends every
    other session of that account at its next request.
    """
    return _epoch(user.password_hash, user.totp_secret)


def _epoch(password_hash: str, totp_secret: str | None) -> str:
    material = f"{password_hash}|{totp_secret or ''}".encode()
    return hmac.new(current_app.secret_key.encode(), material, hashlib.sha256).hexdigest()[:24]  # type: ignore[union-attr]


@functools.cache
def _user_statement() -> Select[Any]:
    """One statement for what every signed-in request needs first: the account's columns the
    snapshot keeps, its roles, the reference data's stamp (the code-list cache's version:
    `web.codes.remember_stamp`) and the unread alert count (the menu's badge). Three round
    trips and an ORM entity with its role rows were one query each per request before.
    Built once (its construction cost half of the user's loading); the id is bound as
    ``uid``."""
    roles = (
        select(func.array_agg(cast(UserRole.role, String)))
        .where(UserRole.user_id == User.id)
        .scalar_subquery()
    )
    stamp = select(ReferenceStamp.stamp).where(ReferenceStamp.id == 1).scalar_subquery()
    statement: Select[Any] = select(
        User.username,
        User.display_name,
        User.locale,
        User.must_change_password,
        User.active,
        User.password_hash,
        User.totp_secret,
        roles.label("roles"),
        stamp.label("stamp"),
        unread_count_statement(User.id).scalar_subquery().label("unread"),
    ).where(User.id == bindparam("uid"))
    return statement


def load_user(user_id: str) -> WebUser | None:
    """Flask-Login's loader: the account if it exists, is active and its epoch still matches."""
    raw_id, _, epoch = user_id.partition(":")
    try:
        uid = uuid.UUID(raw_id)
    except ValueError:
        return None
    session = get_session()
    with nullcontext() if session.in_transaction() else session.begin():
        # On the session's connection, in its transaction: the ORM session's own execute adds
        # about 70 us of CPU to every signed-in request for this plain column select.
        row = session.connection().execute(_user_statement(), {"uid": uid}).one_or_none()
    if row is None or not row.active:
        return None
    remember_stamp(row.stamp)
    snapshot = WebUser(
        id=uid,
        username=row.username,
        display_name=row.display_name,
        roles=frozenset(Role(r) for r in row.roles or ()),
        locale=row.locale,
        must_change_password=row.must_change_password,
        totp_enabled=row.totp_secret is not None,
        epoch=_epoch(row.password_hash, row.totp_secret),
        unread_alerts=row.unread,
    )
    return snapshot if hmac.compare_digest(snapshot.epoch, epoch) else None


def current_web_user() -> WebUser:
    """The signed-in user; only call from views marked `requires` or `signed_in`."""
    user = current_user._get_current_object()
    if not isinstance(user, WebUser):
        raise PermissionDeniedError("sign-in", "you are not signed in")
    return user


def can(action: Action | str) -> bool:
    """True if the current user may do ``action`` (templates show only what is allowed)."""
    # One look-up of the request's user, not two: a page asks this for every link it shows.
    user = current_user._get_current_object()
    if not isinstance(user, WebUser):
        return False
    return is_allowed(user.actor, Action(action))


def _ask_to_sign_in() -> Response:
    response: Response = login_manager.unauthorized()  # web.auth.sessions.send_to_sign_in
    return response


def _mark(view: Callable[P, ResponseReturnValue], access: str) -> None:
    setattr(view, ACCESS_ATTR, access)


def requires(action: Action) -> Callable[[View[P]], View[P]]:
    """Allow the view only to signed-in users whose roles allow ``action``.

    Anonymous users are sent to sign in; others get `PermissionDeniedError` (a 403 page).
    Record-level rules (own drafts…) are enforced by the services with ``ncen.policy.require``.
    """

    def decorate(view: View[P]) -> View[P]:
        @functools.wraps(view)
        def wrapped(*args: P.args, **kwargs: P.kwargs) -> ResponseReturnValue:
            user = current_user._get_current_object()
            if not isinstance(user, WebUser):
                return _ask_to_sign_in()
            if not is_allowed(user.actor, action):
                raise PermissionDeniedError(str(action))
            return view(*args, **kwargs)

        _mark(wrapped, str(action))
        return wrapped

    return decorate


def signed_in(view: View[P]) -> View[P]:
    """Allow the view to any signed-in user (their own account pages, the dashboard)."""

    @functools.wraps(view)
    def wrapped(*args: P.args, **kwargs: P.kwargs) -> ResponseReturnValue:
        if not current_user.is_authenticated:
            return _ask_to_sign_in()
        return view(*args, **kwargs)

    _mark(wrapped, SIGNED_IN)
    return wrapped


def public(view: View[P]) -> View[P]:
    """Allow the view to everyone, signed in or not (sign-in steps, language, assets)."""
    _mark(view, PUBLIC)
    return view


def access_of(app: Flask, endpoint: str) -> str | None:
    """The access marker of ``endpoint`` (an `Action` value, ``signed_in`` or ``public``)."""
    if endpoint == "static":
        return PUBLIC
    return getattr(app.view_functions[endpoint], ACCESS_ATTR, None)


def verify_access_markers(app: Flask) -> None:
    """Raise `RuntimeError` naming every view without an access marker (default deny)."""
    missing = sorted(e for e in app.view_functions if access_of(app, e) is None)
    if missing:
        raise RuntimeError(f"views without requires/signed_in/public: {', '.join(missing)}")


def set_security_headers(response: Response) -> Response:
    """Add the security headers to ``response`` (an ``after_request`` hook)."""
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Referrer-Policy", "same-origin")
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
    if request.endpoint not in {"static", "assets.vendor"}:
        # Pages carry nominal data: no browser or proxy may keep a copy.
        headers["Cache-Control"] = "no-store"
    if request.is_secure:
        headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
    return response


def init_app(app: Flask) -> None:
    """Install the headers hook and the ``can`` template helper."""
    app.after_request(set_security_headers)
    app.jinja_env.globals["can"] = can
    app.jinja_env.globals["Action"] = Action

"""The user's own account: overview, password change, and enrolling the second factor.

A first sign-in that must both choose its own password and enrol a second factor does them in
that order, before the sign-in completes: the one-time password an administrator handed over
is replaced first (`first_password`, a pending step "password"), then the authenticator is
enrolled under the user's own password (pending step "enrol").

Enrolment serves two cases with one page: a sign-in waiting for its first second factor
(administrators and exchange officers must have one), and a signed-in user who chooses to add
one. The secret being enrolled waits on the user's row, sealed (`ncen.accounts.totp`), never in
the session cookie, until a code proves the app has it; then it becomes the second factor.
"""

from __future__ import annotations

import uuid

import segno
from flask import current_app, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup

from ncen.accounts.models import User
from ncen.accounts.signin import change_password as change_own_password
from ncen.accounts.signin import complete_sign_in, may_continue, register_failure
from ncen.accounts.totp import enrol_totp as store_totp
from ncen.accounts.totp import pending_secret, provisioning_uri
from ncen.errors import ValidationError
from ncen.settings import Settings
from web.auth import bp
from web.auth.forms import ChangePasswordForm, CodeForm
from web.auth.sessions import (
    begin_pending,
    clear_pending,
    client_address,
    establish,
    pending,
    safe_next,
)
from web.auth.views import secret_box
from web.db import get_session
from web.forms import apply_errors
from web.security import current_web_user, public, signed_in


@bp.get("/account")
@signed_in
def account() -> ResponseReturnValue:
    """The user's account: roles, language, second factor, password, API tokens."""
    from web.auth.apitokens import render_account

    return render_account()


@bp.route("/password", methods=["GET", "POST"])
@signed_in
def change_password() -> ResponseReturnValue:
    """Change one's own password (required after an administrator set or reset it)."""
    form = ChangePasswordForm()
    if form.validate_on_submit():
        db = get_session()
        try:
            with db.begin():
                user = db.get(User, current_web_user().id)
                if user is None:  # deleted meanwhile; the loader will sign the session out
                    return redirect(url_for("auth.sign_in"))
                change_own_password(
                    db, user, current=form.current_password.data, new=form.new_password.data
                )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            establish(user)  # the credential epoch changed: a fresh session for this browser
            flash(_("Your password has been changed."), "success")
            return redirect(url_for("home.dashboard"))
    return render_template("auth/change_password.html", form=form)


@bp.route("/password/first", methods=["GET", "POST"])
@public
def first_password() -> ResponseReturnValue:
    """During a first sign-in (password proven, nothing else yet): replace the one-time
    password, then go on to enrol the second factor. Without that pending step: sign in."""
    state = pending()
    if state is None or state.step != "password":
        return redirect(url_for("auth.sign_in"))
    form = ChangePasswordForm()
    if form.validate_on_submit():
        db = get_session()
        try:
            with db.begin():
                user = db.get(User, state.user_id)
                if user is None or not may_continue(db, user, address=client_address()):
                    clear_pending()
                    flash(_("Sign-in failed. Sign in again."), "danger")
                    return redirect(url_for("auth.sign_in"))
                change_own_password(
                    db, user, current=form.current_password.data, new=form.new_password.data
                )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            begin_pending(user, "enrol", state.next_url)
            flash(_("Your password has been changed. Now set up two-step sign-in."), "success")
            return redirect(url_for("auth.enrol_totp"))
    return render_template("auth/change_password.html", form=form, first_sign_in=True)


def _enrolling_user_id() -> uuid.UUID | None:
    state = pending()
    if state is not None and state.step == "enrol":
        return state.user_id
    if current_user.is_authenticated and not current_web_user().totp_enabled:
        return current_web_user().id
    return None


def qr_svg(uri: str) -> Markup:
    """The QR code of ``uri`` as inline SVG, drawn on this server (nothing fetched)."""
    svg = segno.make(uri, error="m").svg_inline(scale=5, border=2, dark="#000", light="#fff")
    return Markup(svg)  # noqa: S704  (segno's own markup around our URI, which it escapes)


@bp.route("/two-factor/enrol", methods=["GET", "POST"])
@public
def enrol_totp() -> ResponseReturnValue:
    """Show a new secret (QR code and text); store it once a code from the app matches."""
    user_id = _enrolling_user_id()
    if user_id is None:
        if current_user.is_authenticated:
            return redirect(url_for("auth.account"))
        return redirect(url_for("auth.sign_in"))
    form = CodeForm()
    if form.validate_on_submit():
        outcome = _check_enrolment(user_id, form.code.data)
        if outcome == "refused":
            clear_pending()
            flash(_("Sign-in failed. Sign in again."), "danger")
            return redirect(url_for("auth.sign_in"))
        if outcome == "ok":
            state = pending()
            clear_pending()
            _finish(user_id)
            flash(_("Two-step sign-in is now on for your account."), "success")
            target = safe_next(state.next_url if state else None)
            return redirect(target or url_for("home.dashboard"))
        form.code.errors = [_("This code is not correct. Enter the code your app shows now.")]
    settings: Settings = current_app.extensions["ncen.settings"]
    username, secret = _pending(user_id)
    if not secret:
        clear_pending()
        return redirect(url_for("auth.sign_in"))
    uri = provisioning_uri(secret, username, issuer=f"ncen {settings.node_id}")
    grouped = " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))
    return render_template("auth/enrol_totp.html", form=form, qr=qr_svg(uri), secret=grouped)


def _check_enrolment(user_id: uuid.UUID, code: str) -> str:
    """Store the pending secret if ``code`` matches: ``ok``, ``wrong`` or ``refused`` (start
    again). During a sign-in, wrong codes count towards the account's lock like wrong
    passwords."""
    finishing_sign_in = not current_user.is_authenticated
    address = client_address()
    db = get_session()
    with db.begin():
        user = db.get(User, user_id)
        if user is None or (finishing_sign_in and not may_continue(db, user, address=address)):
            return "refused"
        try:
            store_totp(db, user, secret_box(), code=code)
        except ValidationError:
            if finishing_sign_in and register_failure(db, user, address=address, factor="totp"):
                return "refused"
            return "wrong"
        if finishing_sign_in:
            complete_sign_in(db, user, address=address, second_factor=True)
    return "ok"


def _finish(user_id: uuid.UUID) -> None:
    """Open a fresh session: the secret is part of the credential epoch, so the old one ends."""
    db = get_session()
    with db.begin():
        user = db.get(User, user_id)
        if user is not None:
            establish(user)


def _pending(user_id: uuid.UUID) -> tuple[str, str]:
    """The username and the clear secret being enrolled (made now if none), or ("", "")."""
    db = get_session()
    with db.begin():
        user = db.get(User, user_id)
        if user is None:
            return "", ""
        return user.username, pending_secret(db, user, secret_box())

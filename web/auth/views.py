"""Sign-in (password, then the second factor), sign-out and the language switch.

Every credential failure shows one generic message, whether the account exists, the password is
wrong or the account is locked; only after a correct password does the page say that an account
is disabled. Failures are counted per address, per account and per (account, address) in the
database (`ncen.accounts.signin`); the address is the one `web.auth.sessions.client_address`
trusts (``NCEN_TRUSTED_PROXIES``).
"""

from __future__ import annotations

from datetime import timedelta

from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from ncen.accounts.models import User
from ncen.accounts.signin import (
    Refusal,
    address_blocked,
    attempt_sign_in,
    complete_sign_in,
    may_continue,
    record_sign_out,
    record_throttled,
    register_failure,
)
from ncen.accounts.totp import check_code, totp_required
from ncen.secretbox import SecretBox
from ncen.settings import Settings
from web.auth import bp
from web.auth.forms import LANGUAGE_PREFIX, CodeForm, LanguageForm, SignInForm
from web.auth.sessions import (
    begin_pending,
    clear_pending,
    client_address,
    end,
    establish,
    pending,
    safe_next,
)
from web.db import get_session
from web.i18n import languages
from web.security import current_web_user, public, signed_in


def _generic_failure() -> str:
    return str(
        _(
            "Sign-in failed: check your username and password. After several failed attempts, "
            "wait 15 minutes before trying again."
        )
    )


def secret_box() -> SecretBox:
    """The node's box for secrets at rest (set up by `web.auth.init_app`)."""
    box: SecretBox = current_app.extensions["ncen.secretbox"]
    return box


def _throttled(form: SignInForm) -> ResponseReturnValue:
    form.form_errors.append(
        _("Too many failed sign-ins from your network address. Wait 15 minutes.")
    )
    return render_template("auth/sign_in.html", form=form), 429


def _name_key() -> bytes:
    # The node's secret key keys the audit's digests of names that match no account.
    return str(current_app.config["SECRET_KEY"]).encode()


def _after_sign_in(next_url: str | None) -> Response:
    return redirect(safe_next(next_url) or url_for("home.dashboard"))


@bp.route("/sign-in", methods=["GET", "POST"])
@public
def sign_in() -> ResponseReturnValue:
    """Check the password; then sign in, or continue to the second factor."""
    next_url = safe_next(request.args.get("next"))
    if current_user.is_authenticated:
        return _after_sign_in(next_url)
    form = SignInForm()
    if not form.validate_on_submit():
        return render_template("auth/sign_in.html", form=form)
    address = client_address()
    db = get_session()
    with db.begin():
        blocked = address_blocked(db, address)
        if blocked:
            record_throttled(db, form.username.data, address=address, name_key=_name_key())
    if blocked:
        return _throttled(form)
    settings: Settings = current_app.extensions["ncen.settings"]
    with db.begin():
        outcome = attempt_sign_in(
            db,
            form.username.data,
            form.password.data,
            address=address,
            inactive_after=timedelta(days=settings.inactive_account_days),
            name_key=_name_key(),
        )
        user = outcome.user
        second_factor = user is not None and (
            user.totp_secret is not None or totp_required(user.roles)
        )
        if user is not None and not second_factor:
            complete_sign_in(db, user, address=address, second_factor=False)
    if user is None:
        if outcome.refusal in {Refusal.CREDENTIALS, Refusal.LOCKED}:
            form.form_errors.append(_generic_failure())
        elif outcome.refusal is Refusal.INACTIVE:
            form.form_errors.append(
                _(
                    "This account was disabled because it was not used for %(days)s days. "
                    "Ask an administrator to enable it.",
                    days=settings.inactive_account_days,
                )
            )
        else:
            form.form_errors.append(
                _("This account is disabled. Ask an administrator to enable it.")
            )
        return render_template("auth/sign_in.html", form=form)
    if second_factor:
        # A first sign-in replaces the handed-over password before it enrols the second
        # factor (web.auth.account.first_password); a user with a second factor proves it first.
        step = "totp" if user.totp_secret is not None else "enrol"
        if step == "enrol" and user.must_change_password:
            step = "password"
        begin_pending(user, step, next_url)
        return redirect(url_for(_PENDING_PAGES[step]))
    establish(user)
    return _after_sign_in(next_url)


_PENDING_PAGES = {
    "totp": "auth.second_factor",
    "enrol": "auth.enrol_totp",
    "password": "auth.first_password",
}


@bp.route("/two-factor", methods=["GET", "POST"])
@public
def second_factor() -> ResponseReturnValue:
    """Verify the authenticator code of a sign-in whose password was right."""
    if current_user.is_authenticated:
        return redirect(url_for("home.dashboard"))
    state = pending()
    if state is None or state.step != "totp":
        clear_pending()
        return redirect(url_for("auth.sign_in"))
    form = CodeForm()
    if not form.validate_on_submit():
        return render_template("auth/second_factor.html", form=form)
    address = client_address()
    db = get_session()
    with db.begin():
        user = db.get(User, state.user_id)
        if user is None or not may_continue(db, user, address=address):
            outcome = "refused"
        elif check_code(db, user, secret_box(), form.code.data):
            complete_sign_in(db, user, address=address, second_factor=True)
            outcome = "ok"
        else:
            # A wrong code counts like a wrong password: the right password before it reset
            # nothing (issue 12 item 12), so codes cannot be guessed without limit.
            locked_out = register_failure(db, user, address=address, factor="totp")
            outcome = "refused" if locked_out else "wrong"
    if outcome == "ok" and user is not None:
        establish(user)
        return _after_sign_in(state.next_url)
    if outcome == "refused":
        clear_pending()
        flash(_generic_failure(), "danger")
        return redirect(url_for("auth.sign_in"))
    form.code.errors = [_("This code is not correct. Enter the code your app shows now.")]
    return render_template("auth/second_factor.html", form=form)


@bp.post("/sign-out")
@signed_in
def sign_out() -> Response:
    """End the session (audited) and return to the sign-in page."""
    # CSRFProtect has checked the token: no link or image can sign a user out.
    db = get_session()
    with db.begin():
        record_sign_out(db, current_web_user().actor, address=client_address(), reason="sign_out")
    end()
    flash(_("You have signed out."), "success")
    return redirect(url_for("auth.sign_in"))


@bp.post("/language")
@public
def language() -> Response:
    """Switch the interface language (kept on the account when signed in)."""
    form = LanguageForm(prefix=LANGUAGE_PREFIX)
    if form.validate_on_submit() and form.locale.data in languages():
        if current_user.is_authenticated:
            db = get_session()
            with db.begin():
                user = db.get(User, current_web_user().id)
                if user is not None:
                    user.locale = form.locale.data
        else:
            session["locale"] = form.locale.data
    return redirect(safe_next(form.next.data) or url_for("home.index"))

"""The user's personal API tokens on the account page: create (shown once), list, revoke.

A token is made only in a signed-in session of an account with two-step sign-in on: the API
asks for no second factor, so the token inherits the one proven when it was made. Its text is
rendered once in the answer to the POST (never flashed: the session cookie is signed, not
encrypted) and only its digest is kept (`ncen.apitokens`).
"""

from __future__ import annotations

import uuid

from flask import current_app, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from ncen.apitokens.models import ApiToken
from ncen.apitokens.services import create_token, list_tokens, revoke_token
from ncen.db import utcnow
from ncen.errors import ValidationError
from ncen.settings import Settings
from web.auth import bp
from web.auth.forms import ApiTokenForm
from web.db import get_session
from web.forms import Form, apply_errors
from web.security import WebUser, current_web_user, signed_in


def tokens_of(user: WebUser) -> list[ApiToken]:
    """The user's tokens, newest first (for the account page)."""
    db = get_session()
    with db.begin():
        tokens = list_tokens(db, user.id)
        db.expunge_all()
    return tokens


def render_account(
    form: ApiTokenForm | None = None, new_token: str | None = None, status: int = 200
) -> ResponseReturnValue:
    """The account page with the token list, the creation form, and a new token once."""
    user = current_web_user()
    settings: Settings = current_app.extensions["ncen.settings"]
    html = render_template(
        "auth/account.html",
        user=user,
        tokens=tokens_of(user),
        token_form=form or ApiTokenForm(formdata=None),
        revoke_form=Form(formdata=None),
        new_token=new_token,
        max_days=settings.api_token_max_days,
        now=utcnow(),
    )
    return html, status


@bp.post("/api-tokens")
@signed_in
def create_api_token() -> ResponseReturnValue:
    """Create a token for oneself; its text is shown on this answer only."""
    user = current_web_user()
    form = ApiTokenForm()
    if not user.totp_enabled:
        form.form_errors.append(_("Set up two-step sign-in before you create an API token."))
        return render_account(form, status=400)
    if not form.validate():
        return render_account(form, status=400)
    settings: Settings = current_app.extensions["ncen.settings"]
    db = get_session()
    try:
        with db.begin():
            issued = create_token(
                db,
                user.actor,
                user_id=user.id,
                name=form.name.data,
                scope=form.scope.data,
                days=form.days.data,
                max_days=settings.api_token_max_days,
            )
            text = issued.text
    except ValidationError as exc:
        apply_errors(form, exc)
        return render_account(form, status=400)
    return render_account(new_token=text)


@bp.post("/api-tokens/<uuid:token_id>/revoke")
@signed_in
def revoke_api_token(token_id: uuid.UUID) -> Response:
    """Revoke one of one's own tokens; it stops working at once."""
    form = Form()
    if form.validate_on_submit():
        db = get_session()
        with db.begin():
            revoke_token(db, current_web_user().actor, token_id)
        flash(_("Token revoked."), "success")
    return redirect(url_for("auth.account"))

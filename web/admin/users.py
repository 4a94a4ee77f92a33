"""User administration: list, create, show, change roles, disable/enable, reset credentials.

Views stay thin: they validate the form, call `ncen.accounts.services` (which checks the policy
again and audits) inside one transaction, and show the service's errors next to the fields.
A generated one-time password is shown once, on the response page itself (never in a redirect
or flash message, which would keep it in the session cookie).
"""

from __future__ import annotations

import uuid

from flask import flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from ncen.accounts import services
from ncen.accounts.passwords import generate_password
from ncen.accounts.totp import reset_totp
from ncen.errors import ValidationError
from ncen.policy import Action
from web.admin import bp
from web.admin.forms import CreateUserForm, RolesForm, TeamForm
from web.db import get_session
from web.forms import apply_errors
from web.pagination import page_number, paginate_list
from web.security import current_web_user, requires

PER_PAGE = 50


@bp.get("/users")
@requires(Action.MANAGE_USERS)
def users() -> str:
    """All accounts, by username, one page at a time."""
    db = get_session()
    with db.begin():
        page = paginate_list(
            services.list_users(db, current_web_user().actor), page_number(), PER_PAGE
        )
    return render_template("admin/users.html", page=page)


@bp.route("/users/new", methods=["GET", "POST"])
@requires(Action.MANAGE_USERS)
def create_user() -> ResponseReturnValue:
    """Create an account with roles and a one-time password."""
    form = CreateUserForm()
    if form.validate_on_submit():
        password = form.password.data or generate_password()
        db = get_session()
        try:
            with db.begin():
                user = services.create_user(
                    db,
                    current_web_user().actor,
                    username=form.username.data,
                    display_name=form.display_name.data,
                    email=form.email.data or None,
                    password=password,
                    roles=form.roles.data,
                    locale=form.locale.data,
                )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            shown = None if form.password.data else password
            return render_template("admin/password_issued.html", user=user, password=shown)
    return render_template("admin/user_new.html", form=form)


def _detail(
    user_id: uuid.UUID, roles_form: RolesForm | None = None, team_form: TeamForm | None = None
) -> str:
    db = get_session()
    with db.begin():
        user = services.get_user(db, user_id)
        form = roles_form or RolesForm(formdata=None, roles=[r.value for r in user.roles])
        team = team_form or TeamForm(formdata=None, team=user.team or "")
        return render_template("admin/user_detail.html", user=user, roles_form=form, team_form=team)


@bp.get("/users/<uuid:user_id>")
@requires(Action.MANAGE_USERS)
def user_detail(user_id: uuid.UUID) -> str:
    """One account: details, roles form and actions."""
    return _detail(user_id)


@bp.post("/users/<uuid:user_id>/roles")
@requires(Action.MANAGE_USERS)
def set_roles(user_id: uuid.UUID) -> ResponseReturnValue:
    """Replace the user's roles (forged values are refused by the form and the service)."""
    form = RolesForm()
    if form.validate_on_submit():
        db = get_session()
        try:
            with db.begin():
                services.set_roles(db, current_web_user().actor, user_id, form.roles.data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            flash(_("Roles saved."), "success")
            return redirect(url_for("admin.user_detail", user_id=user_id))
    return _detail(user_id, roles_form=form)


@bp.post("/users/<uuid:user_id>/team")
@requires(Action.MANAGE_USERS)
def set_team(user_id: uuid.UUID) -> ResponseReturnValue:
    """Put the user in a team (the hits queue of a team shows its members' hits)."""
    form = TeamForm()
    if form.validate_on_submit():
        db = get_session()
        try:
            with db.begin():
                services.set_team(db, current_web_user().actor, user_id, form.team.data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            flash(_("Team saved."), "success")
            return redirect(url_for("admin.user_detail", user_id=user_id))
    return _detail(user_id, team_form=form)


def _set_active(user_id: uuid.UUID, *, active: bool) -> Response:
    db = get_session()
    try:
        with db.begin():
            services.set_active(db, current_web_user().actor, user_id, active=active)
    except ValidationError as exc:
        for message in exc.errors.values():
            flash(_(message), "danger")
    else:
        flash(_("Account enabled.") if active else _("Account disabled."), "success")
    return redirect(url_for("admin.user_detail", user_id=user_id))


@bp.post("/users/<uuid:user_id>/disable")
@requires(Action.MANAGE_USERS)
def disable_user(user_id: uuid.UUID) -> Response:
    """Disable the account: it can no longer sign in, and its sessions end."""
    return _set_active(user_id, active=False)


@bp.post("/users/<uuid:user_id>/enable")
@requires(Action.MANAGE_USERS)
def enable_user(user_id: uuid.UUID) -> Response:
    """Enable the account again (also restarts its inactivity clock)."""
    return _set_active(user_id, active=True)


@bp.post("/users/<uuid:user_id>/reset-password")
@requires(Action.MANAGE_USERS)
def reset_password(user_id: uuid.UUID) -> str:
    """Issue a new one-time password, shown once on this page."""
    password = generate_password()
    db = get_session()
    with db.begin():
        user = services.reset_password(db, current_web_user().actor, user_id, password)
    return render_template("admin/password_issued.html", user=user, password=password)


@bp.post("/users/<uuid:user_id>/reset-two-factor")
@requires(Action.MANAGE_USERS)
def reset_two_factor(user_id: uuid.UUID) -> Response:
    """Remove the user's authenticator (lost phone); they enrol again at next sign-in."""
    db = get_session()
    with db.begin():
        reset_totp(db, current_web_user().actor, user_id)
    flash(_("Two-step sign-in was reset; the user sets it up again at next sign-in."), "success")
    return redirect(url_for("admin.user_detail", user_id=user_id))

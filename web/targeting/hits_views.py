"""The hits queue: mine or the team's, sorted by score or date, filtered by status or profile;
a hit with its explanation; confirm, dismiss with a reason, assign."""

from __future__ import annotations

import uuid

from flask import flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from ncen.accounts.models import Role
from ncen.errors import ValidationError
from ncen.policy import Action
from ncen.targeting import hits as services
from web.db import get_session
from web.pagination import Page, page_number
from web.security import current_web_user, requires
from web.targeting import bp

PER_PAGE = 50


def _uuid_arg(name: str) -> uuid.UUID | None:
    raw = request.args.get(name) or ""
    try:
        return uuid.UUID(raw) if raw else None
    except ValueError:
        raise ValidationError({name: "not a valid id"}) from None


@bp.get("/hits")
@requires(Action.READ_HITS)
def hits() -> str:
    """The queue (``?scope=mine|team&sort=score|date&status=&profile=``)."""
    actor = current_web_user().actor
    triager = actor.has(Role.ANALYST) or actor.has(Role.SUPERVISOR)
    scope = request.args.get("scope") or ("team" if triager else "mine")
    if scope not in ("mine", "team"):
        scope = "team"
    sort = request.args.get("sort") or "score"
    status = request.args.get("status") or None
    number = page_number()
    db = get_session()
    with db.begin():
        rows, total = services.list_hits(
            db,
            actor,
            scope=scope,
            status=status,
            profile_id=_uuid_arg("profile"),
            sort=sort,
            offset=(number - 1) * PER_PAGE,
            limit=PER_PAGE,
        )
        return render_template(
            "targeting/hits.html",
            page=Page(rows, number, PER_PAGE, total),
            scope=scope,
            sort=sort,
            status=status,
            triager=triager,
        )


def render_hit(hit_id: uuid.UUID, errors: dict[str, str] | None = None) -> ResponseReturnValue:
    """The hit's page (400 with ``errors`` next to their fields)."""
    from web.targeting.hit_cases import case_context

    actor = current_web_user().actor
    db = get_session()
    with db.begin():
        row = services.get_hit(db, actor, hit_id)
        triager = actor.has(Role.ANALYST) or actor.has(Role.SUPERVISOR)
        users = services.assignable_users(db) if triager else []
        html = render_template(
            "targeting/hit.html",
            row=row,
            users=users,
            triager=triager,
            errors=errors or {},
            form=request.form,
            **case_context(db, actor),
        )
    return html, 400 if errors else 200


@bp.get("/hits/<uuid:hit_id>")
@requires(Action.READ_HITS)
def hit(hit_id: uuid.UUID) -> ResponseReturnValue:
    """One hit: the seizure, the profile, the criteria that matched with their values."""
    return render_hit(hit_id)


@bp.post("/hits/<uuid:hit_id>/decide")
@requires(Action.TRIAGE_HITS)
def decide(hit_id: uuid.UUID) -> ResponseReturnValue:
    """Confirm, dismiss (with a reason) or reopen a hit."""
    db = get_session()
    try:
        with db.begin():
            services.decide_hit(
                db,
                current_web_user().actor,
                hit_id,
                request.form.get("decision", ""),
                request.form.get("reason", ""),
            )
    except ValidationError as exc:
        return render_hit(hit_id, dict(exc.errors))
    flash(_("Hit updated."), "success")
    return redirect(url_for("targeting.hit", hit_id=hit_id))


@bp.post("/hits/<uuid:hit_id>/assign")
@requires(Action.TRIAGE_HITS)
def assign(hit_id: uuid.UUID) -> Response:
    """Assign the hit to a user (empty: unassign)."""
    raw = request.form.get("assignee", "")
    try:
        assignee = uuid.UUID(raw) if raw else None
    except ValueError:
        raise ValidationError({"assignee": "choose a user"}) from None
    db = get_session()
    with db.begin():
        services.assign_hit(db, current_web_user().actor, hit_id, assignee)
    flash(_("Hit assigned."), "success")
    return redirect(url_for("targeting.hit", hit_id=hit_id))

"""Lookup list pages: the lists, one list with its entries, add and remove entries."""

from __future__ import annotations

import uuid

from flask import flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import ngettext
from werkzeug.wrappers import Response

from ncen.errors import ValidationError
from ncen.policy import Action
from ncen.reading import note_read
from ncen.targeting import lookup
from ncen.targeting.models import ListKind
from web.db import get_session
from web.security import current_web_user, requires
from web.targeting import bp


def _render_lists(errors: dict[str, str] | None = None) -> ResponseReturnValue:
    db = get_session()
    with db.begin():
        rows = lookup.list_lists(db, current_web_user().actor)
        html = render_template(
            "targeting/lists.html",
            rows=rows,
            kinds=[k.value for k in ListKind],
            errors=errors or {},
            form=request.form,
        )
    return html, 400 if errors else 200


@bp.get("/lists")
@requires(Action.MANAGE_PROFILES)
def lists() -> ResponseReturnValue:
    """The lookup lists with their sizes, and the form to make one."""
    return _render_lists()


@bp.post("/lists")
@requires(Action.MANAGE_PROFILES)
def create_list() -> ResponseReturnValue:
    """Make an empty list."""
    db = get_session()
    try:
        with db.begin():
            made = lookup.create_list(
                db,
                current_web_user().actor,
                name=request.form.get("name", ""),
                kind=request.form.get("kind", ""),
                description=request.form.get("description", ""),
            )
            made_id = made.id
    except ValidationError as exc:
        return _render_lists(dict(exc.errors))
    return redirect(url_for("targeting.show_list", list_id=made_id))


def _render_list(list_id: uuid.UUID, errors: dict[str, str] | None = None) -> ResponseReturnValue:
    db = get_session()
    with db.begin():
        actor = current_web_user().actor
        found = lookup.get_list(db, list_id)
        # Entries may be document numbers or plates: reading them is audited.
        note_read(db, actor, "targeting_list", record_id=found.id)
        html = render_template(
            "targeting/list.html", lookup_list=found, errors=errors or {}, form=request.form
        )
    return html, 400 if errors else 200


@bp.get("/lists/<uuid:list_id>")
@requires(Action.MANAGE_PROFILES)
def show_list(list_id: uuid.UUID) -> ResponseReturnValue:
    """One list and its entries."""
    return _render_list(list_id)


@bp.post("/lists/<uuid:list_id>")
@requires(Action.MANAGE_PROFILES)
def add_entries(list_id: uuid.UUID) -> ResponseReturnValue:
    """Add values (one per line or comma-separated)."""
    db = get_session()
    try:
        with db.begin():
            added = lookup.add_entries(
                db, current_web_user().actor, list_id, request.form.get("values", "")
            )
    except ValidationError as exc:
        return _render_list(list_id, dict(exc.errors))
    flash(ngettext("%(num)d value added.", "%(num)d values added.", added), "success")
    return redirect(url_for("targeting.show_list", list_id=list_id))


@bp.post("/lists/<uuid:list_id>/entries/<uuid:entry_id>/delete")
@requires(Action.MANAGE_PROFILES)
def remove_entry(list_id: uuid.UUID, entry_id: uuid.UUID) -> Response:
    """Remove one value."""
    db = get_session()
    with db.begin():
        lookup.remove_entry(db, current_web_user().actor, list_id, entry_id)
    flash(_("Value removed."), "success")
    return redirect(url_for("targeting.show_list", list_id=list_id))

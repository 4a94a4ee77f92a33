"""Linking a person, company or conveyance to a seizure that is already recorded.

The same row as in the recording form: a role, and either an existing record found with the
picker or the compact fields of a new one. A new record is created and linked in one
transaction (both or neither); the seizure's version guards against concurrent changes.
"""

from __future__ import annotations

import uuid
from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session
from wtforms import FormField, SubmitField

from ncen.accounts.actor import Actor
from ncen.errors import ConflictError, ValidationError
from ncen.policy import Action
from ncen.recordkeeping import get_live
from ncen.seizures.cases import add_participant
from ncen.seizures.models import Seizure
from web.codes import offer
from web.db import get_session
from web.fielderrors import place_errors
from web.records import VersionedForm, conflict_context, ensure_allowed
from web.security import current_web_user, requires
from web.seizures import bp
from web.seizures.participants import (
    CompanyEntry,
    ConveyanceEntry,
    ParticipantEntry,
    PersonEntry,
    picker_lists,
)


class LinkPersonForm(VersionedForm):
    """Link a person."""

    entry = FormField(PersonEntry)
    save = SubmitField(_l("Link to the seizure"))


class LinkCompanyForm(VersionedForm):
    """Link a company."""

    entry = FormField(CompanyEntry)
    save = SubmitField(_l("Link to the seizure"))


class LinkConveyanceForm(VersionedForm):
    """Link a conveyance."""

    entry = FormField(ConveyanceEntry)
    save = SubmitField(_l("Link to the seizure"))


FORMS: dict[str, type[VersionedForm]] = {
    "person": LinkPersonForm,
    "company": LinkCompanyForm,
    "conveyance": LinkConveyanceForm,
}
ROLE_LISTS = {
    "person": "person_roles",
    "company": "company_roles",
    "conveyance": "conveyance_roles",
}


def _fill(kind: str, row: ParticipantEntry) -> None:
    offer(row.role, ROLE_LISTS[kind])
    for name in ("nationality", "country", "flag"):
        if name in row._fields:
            offer(row[name], "countries")


def _link(db: Session, actor: Actor, seizure_id: uuid.UUID, kind: str, form: Any) -> None:
    """Create the new record if one was entered, then link it (raises on any problem)."""
    try:
        add_participant(
            db,
            actor,
            seizure_id,
            form.expected_version(),
            kind=kind,
            participant=form.entry.form.participant(),
        )
    except ValidationError as exc:
        raise ValidationError(
            {".".join(p for p in ("entry", k) if p): v for k, v in exc.errors.items()}
        ) from exc


@bp.route("/<uuid:seizure_id>/link", methods=["GET", "POST"])
@requires(Action.UPDATE_RECORD)
def link(seizure_id: uuid.UUID) -> ResponseReturnValue:
    """Link an existing or new person, company or conveyance (``?kind=``) in a role."""
    kind = request.values.get("kind", "person")
    if kind not in FORMS:
        abort(404)
    actor = current_web_user().actor
    db = get_session()
    with db.begin():
        seizure = get_live(db, Seizure, seizure_id, "seizure")
        ensure_allowed(actor, Action.UPDATE_RECORD, seizure)
        version = seizure.version
    posted = request.method == "POST"
    form = FORMS[kind]() if posted else FORMS[kind](data={"version": str(version)})
    action = request.form.get("row_action", "") if posted else ""
    conflict = None
    status = 200
    if posted and not action and form.validate():
        try:
            with db.begin():
                _link(db, actor, seizure_id, kind, form)
        except ValidationError as exc:
            place_errors(form, exc.errors)
        except ConflictError as exc:
            with db.begin():
                conflict = conflict_context(db, "seizure", seizure_id, exc.expected, exc.actual)
            form.move_to_version(exc.actual)
            status = 409
        else:
            flash(_("Link added."), "success")
            return redirect(url_for("seizures.show", seizure_id=seizure_id))
    _fill(kind, form.entry.form)
    with db.begin():
        pickers = picker_lists(db, actor, [form.entry], kind, form.entry.name)
    html = render_template(
        "seizures/link.html",
        form=form,
        kind=kind,
        seizure=seizure,
        pickers=pickers,
        conflict=conflict,
    )
    return html, status

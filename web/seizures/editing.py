"""Changing a seizure: the edit form and the workflow buttons.

Every change names the version the user saw (a hidden field). A stale version is refused by
the service (`ConflictError`): the edit form is then shown again with the user's input, an
explanation and the changes made meanwhile, and only a second, deliberate save writes over
them. Workflow buttons answer a conflict with the 409 page of `web.errors`.
"""

from __future__ import annotations

import uuid

from flask import abort, flash, redirect, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from ncen.errors import ValidationError
from ncen.policy import Action
from ncen.recordkeeping import get_live
from ncen.seizures import services
from ncen.seizures.models import Seizure
from web.db import get_session
from web.fielderrors import translate_message
from web.recordedit import edit_record
from web.records import ActionForm, ensure_allowed
from web.security import current_web_user, requires
from web.seizures import bp
from web.seizures.data import seizure_form_data, seizure_payload
from web.seizures.forms import SeizureForm, fill_choices


@bp.route("/<uuid:seizure_id>/edit", methods=["GET", "POST"])
@requires(Action.UPDATE_RECORD)
def edit(seizure_id: uuid.UUID) -> ResponseReturnValue:
    """Edit the case header, route, items, narrative, grading and handling."""
    db = get_session()
    with db.begin():
        seizure = get_live(db, Seizure, seizure_id, "seizure")
        initial = seizure_form_data(seizure)
    return edit_record(
        form_class=SeizureForm,
        fill=fill_choices,
        payload=seizure_payload,
        save=lambda db, actor, form, data: services.update_seizure(
            db, actor, seizure_id, form.expected_version(), data
        ),
        template="seizures/edit.html",
        done=lambda _: url_for("seizures.show", seizure_id=seizure_id),
        record=seizure,
        record_type="seizure",
        initial=initial,
    )


def _checked_form(seizure_id: uuid.UUID, action: Action) -> ActionForm:
    """The posted button form, once the policy allows ``action`` on this very seizure.

    The record-level rule (an investigator's own drafts) is checked before the version, so a
    user who may not act is told so rather than shown a conflict.
    """
    form = ActionForm()
    if not form.validate_on_submit():
        abort(400)
    db = get_session()
    with db.begin():
        seizure = get_live(db, Seizure, seizure_id, "seizure")
        ensure_allowed(current_web_user().actor, action, seizure)
    return form


def _transition(seizure_id: uuid.UUID, action: Action, change: str, done: str) -> Response:
    form = _checked_form(seizure_id, action)
    actor = current_web_user().actor
    db = get_session()
    try:
        with db.begin():
            getattr(services, change)(db, actor, seizure_id, form.expected_version())
    except ValidationError as exc:
        for message in exc.errors.values():
            flash(translate_message(message), "danger")
    else:
        flash(done, "success")
    return redirect(url_for("seizures.show", seizure_id=seizure_id))


@bp.post("/<uuid:seizure_id>/submit")
@requires(Action.SUBMIT_SEIZURE)
def submit(seizure_id: uuid.UUID) -> Response:
    """Draft → submitted: hand the case to a supervisor."""
    return _transition(
        seizure_id, Action.SUBMIT_SEIZURE, "submit_seizure", _("Submitted for validation.")
    )


@bp.post("/<uuid:seizure_id>/validate")
@requires(Action.VALIDATE_SEIZURE)
def validate(seizure_id: uuid.UUID) -> Response:
    """Submitted → validated (supervisors)."""
    return _transition(
        seizure_id, Action.VALIDATE_SEIZURE, "validate_seizure", _("Seizure validated.")
    )


@bp.post("/<uuid:seizure_id>/return")
@requires(Action.VALIDATE_SEIZURE)
def send_back(seizure_id: uuid.UUID) -> Response:
    """Submitted → draft: back to the investigator for corrections (supervisors)."""
    return _transition(
        seizure_id, Action.VALIDATE_SEIZURE, "return_seizure", _("Seizure returned as a draft.")
    )


@bp.post("/<uuid:seizure_id>/delete")
@requires(Action.DELETE_RECORD)
def delete(seizure_id: uuid.UUID) -> Response:
    """Soft-delete the seizure (supervisors); its history stays."""
    form = _checked_form(seizure_id, Action.DELETE_RECORD)
    db = get_session()
    with db.begin():
        seizure = services.delete_seizure(
            db, current_web_user().actor, seizure_id, form.expected_version()
        )
    flash(_("Seizure %(ref)s deleted.", ref=seizure.reference), "success")
    return redirect(url_for("seizures.index"))


@bp.post("/<uuid:seizure_id>/unlink/<any(person, company, conveyance):kind>/<uuid:link_id>")
@requires(Action.UPDATE_RECORD)
def unlink(seizure_id: uuid.UUID, kind: str, link_id: uuid.UUID) -> Response:
    """Remove one linked person, company or conveyance from the seizure."""
    form = _checked_form(seizure_id, Action.UPDATE_RECORD)
    db = get_session()
    with db.begin():
        services.unlink_entity(
            db,
            current_web_user().actor,
            seizure_id,
            form.expected_version(),
            kind=kind,
            link_id=link_id,
        )
    flash(_("Link removed."), "success")
    return redirect(url_for("seizures.show", seizure_id=seizure_id))

"""The create/edit and delete flows that every record area shares.

`edit_record` shows a record form, applies its row buttons, and on save calls the area's
service in one transaction. Every service message lands next to its field; a stale version
(`ConflictError`) shows the form again with the user's input, an explanation and the changes
made meanwhile (status 409); the version then moves to the current one, so that a second,
deliberate save writes over them. Every time the edit form of an existing record is shown, it
is audited as a read of that record (``<type>.read``, view ``edit``): the form shows all of it.
`delete_record` is the supervisors' soft delete.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from flask import abort, flash, redirect, render_template, request
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from sqlalchemy.orm import Session

from ncen.accounts.actor import Actor
from ncen.errors import ConflictError, ValidationError
from ncen.policy import Action
from ncen.reading import note_read
from ncen.recordkeeping import get_live
from ncen.records import RecordMixin
from web.db import get_session
from web.fielderrors import place_errors
from web.forms import apply_row_action, row_action
from web.records import ActionForm, VersionedForm, conflict_context, ensure_allowed
from web.rowdata import Payload
from web.security import current_web_user

Save = Callable[[Session, Actor, Any, dict[str, Any]], Any]


def edit_record(
    *,
    form_class: type[VersionedForm],
    fill: Callable[[Any], None],
    payload: Callable[[Any], Payload],
    save: Save,
    template: str,
    done: Callable[[Any], str],
    record: RecordMixin | None,
    record_type: str,
    initial: dict[str, Any] | None = None,
    context: dict[str, Any] | None = None,
) -> ResponseReturnValue:
    """The create (``record`` None) or edit page of a record.

    ``save(session, actor, form, data)`` calls the service and returns the record; ``done``
    gives the address to go to afterwards. Raises `PermissionDeniedError` if the policy does
    not let the user change this very record.
    """
    actor = current_web_user().actor
    db = get_session()
    if record is not None:
        ensure_allowed(actor, Action.UPDATE_RECORD, record)
    posted = request.method == "POST"
    form = form_class() if posted or initial is None else form_class(data=initial)
    action = row_action()
    apply_row_action(form, action)
    conflict = None
    status = 200
    if posted and not action and form.validate():
        sent = payload(form)
        try:
            with db.begin():
                saved = save(db, actor, form, sent.data)
        except ValidationError as exc:
            place_errors(form, exc.errors, sent.positions)
        except ConflictError as exc:
            assert record is not None  # only an existing record has a version to conflict
            with db.begin():
                conflict = conflict_context(db, record_type, record.id, exc.expected, exc.actual)
            form.move_to_version(exc.actual)
            status = 409
        else:
            flash(_("Changes saved.") if record else _("Record created."), "success")
            return redirect(done(saved))
    fill(form)
    if record is not None:
        with db.begin():
            note_read(db, actor, record_type, record_id=record.id, details={"view": "edit"})
    html = render_template(template, form=form, record=record, conflict=conflict, **(context or {}))
    return html, status


def delete_record(
    model: type[RecordMixin],
    record_type: str,
    record_id: uuid.UUID,
    delete: Callable[[Session, Actor, uuid.UUID, int], Any],
) -> None:
    """Soft-delete a record with the version posted by its page (supervisors)."""
    form = ActionForm()
    if not form.validate_on_submit():
        abort(400)
    actor = current_web_user().actor
    db = get_session()
    with db.begin():
        record = get_live(db, model, record_id, record_type)
        ensure_allowed(actor, Action.DELETE_RECORD, record)
    with db.begin():
        delete(db, actor, record_id, form.expected_version())

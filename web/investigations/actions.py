"""The action routes of a case's page: status, team, records, tasks and notes.

Each route is one service call in one transaction, then back to the case's page (to the
section it acted on). A refused input is shown on the error page with every message (the
forms are small: a status with its reason, a task, a note), and a stale version answers 409
with "reload and apply your change again" (`web.errors`).
"""

from __future__ import annotations

import uuid

from flask import flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from werkzeug.wrappers import Response

from ncen.investigations import items, notes, services, tasks, workflow
from ncen.policy import Action
from web.db import get_session
from web.investigations import bp, case_label
from web.investigations.forms import item_keys
from web.security import current_web_user, requires


def _back(case_id: uuid.UUID, section: str) -> Response:
    return redirect(url_for("investigations.show", case_id=case_id, _anchor=section))


@bp.post("/<uuid:case_id>/status")
@requires(Action.MANAGE_INVESTIGATION)
def change_status(case_id: uuid.UUID) -> Response:
    """Move the case to another status (with a reason for suspending, closing, reopening)."""
    db = get_session()
    with db.begin():
        case = workflow.change_status(
            db,
            current_web_user().actor,
            case_id,
            version=request.form.get("version"),
            status=request.form.get("status"),
            reason=request.form.get("reason"),
        )
    flash(
        _("The investigation is now %(status)s.", status=case_label("status", case.status)),
        "success",
    )
    return _back(case_id, "case-status")


@bp.post("/<uuid:case_id>/team")
@requires(Action.MANAGE_INVESTIGATION)
def assign(case_id: uuid.UUID) -> Response:
    """Assign an officer to the case."""
    db = get_session()
    with db.begin():
        member = services.assign_officer(
            db, current_web_user().actor, case_id, request.form.get("user_id")
        )
    if member is None:
        flash(_("This officer is already on the case."), "info")
    else:
        flash(_("Officer assigned."), "success")
    return _back(case_id, "case-team")


@bp.post("/<uuid:case_id>/team/<uuid:user_id>/remove")
@requires(Action.MANAGE_INVESTIGATION)
def unassign(case_id: uuid.UUID, user_id: uuid.UUID) -> Response:
    """Take an officer off the case."""
    db = get_session()
    with db.begin():
        services.unassign_officer(db, current_web_user().actor, case_id, user_id)
    flash(_("Officer taken off the case."), "success")
    return _back(case_id, "case-team")


@bp.post("/<uuid:case_id>/items")
@requires(Action.WORK_ON_INVESTIGATION)
def add_items(case_id: uuid.UUID) -> Response:
    """Add the records named by ``item=kind:id`` (repeatable) to the case."""
    db = get_session()
    with db.begin():
        added = items.add_items(
            db,
            current_web_user().actor,
            case_id,
            [(str(kind), record_id) for kind, record_id in item_keys()],
            note=request.form.get("note"),
        )
    flash(
        ngettext("%(num)s record added.", "%(num)s records added.", len(added))
        if added
        else _("Nothing new to add."),
        "success",
    )
    return _back(case_id, "case-items")


@bp.post("/<uuid:case_id>/items/<uuid:item_id>/remove")
@requires(Action.WORK_ON_INVESTIGATION)
def remove_item(case_id: uuid.UUID, item_id: uuid.UUID) -> Response:
    """Take a record off the case (the record itself stays)."""
    db = get_session()
    with db.begin():
        items.remove_item(db, current_web_user().actor, case_id, item_id)
    flash(_("Record taken off the case."), "success")
    return _back(case_id, "case-items")


@bp.post("/<uuid:case_id>/tasks")
@requires(Action.WORK_ON_INVESTIGATION)
def add_task(case_id: uuid.UUID) -> Response:
    """Add a task (title, assignee, due date)."""
    db = get_session()
    with db.begin():
        tasks.add_task(
            db,
            current_web_user().actor,
            case_id,
            title=request.form.get("title"),
            assignee_id=request.form.get("assignee_id"),
            due_on=request.form.get("due_on"),
        )
    flash(_("Task added."), "success")
    return _back(case_id, "case-tasks")


@bp.post("/<uuid:case_id>/tasks/<uuid:task_id>/done")
@requires(Action.WORK_ON_INVESTIGATION)
def task_done(case_id: uuid.UUID, task_id: uuid.UUID) -> Response:
    """Mark a task done (``done=1``) or not done (``done=0``), as of its ``version``."""
    db = get_session()
    with db.begin():
        tasks.set_task_done(
            db,
            current_web_user().actor,
            case_id,
            task_id,
            done=request.form.get("done") == "1",
            version=request.form.get("version"),
        )
    return _back(case_id, "case-tasks")


@bp.post("/<uuid:case_id>/notes")
@requires(Action.WORK_ON_INVESTIGATION)
def add_note(case_id: uuid.UUID) -> Response:
    """Write a note on the file or a message to the team (or one officer)."""
    db = get_session()
    with db.begin():
        notes.add_note(
            db,
            current_web_user().actor,
            case_id,
            body=request.form.get("body"),
            kind=request.form.get("kind", "note"),
            addressee_id=request.form.get("addressee_id"),
        )
    flash(_("Written on the case."), "success")
    return _back(case_id, "case-notes")

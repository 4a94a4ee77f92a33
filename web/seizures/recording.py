"""Recording a whole case in one form (``/seizures/new``).

Everything the investigator enters goes to `ncen.seizures.cases.record_case` in one call and
one transaction: the case is recorded whole or not at all, and every problem of every part
comes back at once and is shown next to its field, with all input kept. The buttons that add a
row, remove one or search for an existing record post the form back without saving.
Uploaded files are the one thing a browser cannot be given back: the page says so.
"""

from __future__ import annotations

from flask import current_app, flash, jsonify, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from ncen.errors import ValidationError
from ncen.pictures.store import PictureStore
from ncen.policy import Action
from ncen.seizures.cases import record_case
from ncen.seizures.services import submit_seizure
from ncen.settings import Settings
from web.db import get_session
from web.fielderrors import place_errors
from web.forms import apply_row_action, row_action
from web.security import can, current_web_user, requires
from web.seizures import bp
from web.seizures.data import case_payload
from web.seizures.forms import CaseForm, fill_choices
from web.seizures.participants import KINDS, SEARCH_AS_YOU_TYPE_LIMIT, picker_lists, search


def settings() -> Settings:
    """The node's settings."""
    found: Settings = current_app.extensions["ncen.settings"]
    return found


def _find_target(action: str) -> str:
    """The row name (``persons-0``) whose "Find" button was pressed, if any."""
    verb, _, rest = action.partition(":")
    name, _, index = rest.partition(":")
    return f"{name}-{index}" if verb == "find" else ""


@bp.route("/new", methods=["GET", "POST"])
@requires(Action.CREATE_RECORDS)
def record() -> ResponseReturnValue:
    """The recording form; saving records the case as a draft (or submits it at once)."""
    form = CaseForm()
    actor = current_web_user().actor
    db = get_session()
    action = row_action()
    chosen_files: list[str] = []
    if form.is_submitted():
        apply_row_action(form, action)
        chosen_files = [f.filename for f in (form.pictures.data or []) if f and f.filename]
    if form.is_submitted() and not action and form.validate():
        payload = case_payload(form)
        node = settings()
        try:
            with db.begin():
                seizure = record_case(
                    db,
                    actor,
                    payload.case,
                    store=PictureStore(node.picture_path),
                    limits=node,
                )
                submitted = bool(form.save_submit.data) and can(Action.SUBMIT_SEIZURE)
                if submitted:
                    submit_seizure(db, actor, seizure.id, seizure.version)
        except ValidationError as exc:
            place_errors(form, exc.errors, payload.positions)
        else:
            if submitted:
                flash(
                    _("Seizure %(ref)s recorded and submitted.", ref=seizure.reference), "success"
                )
            else:
                flash(_("Seizure %(ref)s recorded as a draft.", ref=seizure.reference), "success")
            return redirect(url_for("seizures.show", seizure_id=seizure.id))
    fill_choices(form)
    find = _find_target(action)
    with db.begin():
        pickers = {
            name: picker_lists(db, actor, form[name], kind, find) for name, kind in KINDS.items()
        }
    return render_template(
        "seizures/record.html", form=form, pickers=pickers, chosen_files=chosen_files
    )


# Longer search texts are refused by the no-JavaScript picker's form too (Length(max=200)).
PICKER_QUERY_MAX = 200


@bp.get("/picker/<any(person, company, conveyance):kind>")
@requires(Action.CREATE_RECORDS)
def picker(kind: str) -> ResponseReturnValue:
    """Search-as-you-type for the participant pickers: ``[{id, label}]`` (at most 20) as JSON.

    The same search as the "Find" button (`participants.search`), audited as a list read; an
    empty or over-long ``q`` gives an empty list. Labels are plain text: the page escapes them.
    """
    text = request.args.get("q", "").strip()
    if not text or len(text) > PICKER_QUERY_MAX:
        return jsonify([])
    db = get_session()
    with db.begin():
        found = search(db, current_web_user().actor, kind, text, SEARCH_AS_YOU_TYPE_LIMIT)
    return jsonify(
        [{"id": str(c.id), "label": " · ".join(p for p in (c.label, c.detail) if p)} for c in found]
    )

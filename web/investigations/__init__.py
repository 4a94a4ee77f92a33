"""Investigations (blueprint ``investigations``): case files, their team, tasks and notes.

The pages call `ncen.investigations`; need to know is decided there (a restricted case of
another team answers 404 everywhere). ``case_label`` names statuses, item kinds, note kinds
and history entries in the user's language; ``case_button`` (a macro in
``investigations/_button.html``) puts "Add to investigation" on record pages.
"""

from __future__ import annotations

import uuid
from typing import Any

from flask import Blueprint, Flask, url_for
from flask_babel import lazy_gettext as _l

from ncen.policy import Action

bp = Blueprint("investigations", __name__, url_prefix="/investigations")

LABELS: dict[str, dict[str, object]] = {
    "status": {
        "opened": _l("opened"),
        "active": _l("active"),
        "suspended": _l("suspended"),
        "closed": _l("closed"),
    },
    # The button that moves a case to each status.
    "move": {
        "active": _l("Start work (active)"),
        "suspended": _l("Suspend"),
        "closed": _l("Close"),
        "reopen": _l("Reopen"),
    },
    "item": {
        "seizure": _l("Seizures"),
        "person": _l("Persons"),
        "company": _l("Companies"),
        "conveyance": _l("Conveyances"),
        "picture": _l("Pictures"),
        "hit": _l("Targeting hits"),
    },
    "note": {"note": _l("Note"), "message": _l("Message")},
    "source": {
        "manual": _l("opened by hand"),
        "chart": _l("opened from a link chart"),
        "record": _l("opened from a record"),
        "hit": _l("opened from a targeting hit"),
    },
    "event": {
        "opened": _l("opened the case"),
        "status": _l("changed the status"),
        "reopen": _l("reopened the case"),
        "update": _l("changed the case's details"),
        "assign": _l("assigned an officer"),
        "unassign": _l("took an officer off the case"),
        "item_add": _l("added records"),
        "item_remove": _l("removed a record"),
        "task_add": _l("added a task"),
        "task_done": _l("marked a task done"),
        "task_undone": _l("marked a task not done"),
        "note_add": _l("wrote a note or message"),
        "rfi_link": _l("linked a request for information"),
        "rfi_unlink": _l("unlinked a request for information"),
    },
}
RECORD_PAGES = {
    "seizure": ("seizures.show", "seizure_id"),
    "person": ("persons.show", "person_id"),
    "company": ("companies.show", "company_id"),
    "conveyance": ("conveyances.show", "conveyance_id"),
    "picture": ("pictures.display", "picture_id"),
    "hit": ("targeting.hit", "hit_id"),
}


def case_label(kind: str, value: object) -> str:
    """The label of ``value`` (an enum or its value) in the table ``kind`` of `LABELS`."""
    key = str(getattr(value, "value", value))
    return str(LABELS[kind].get(key, key))


def item_url(record_type: object, record_id: uuid.UUID) -> str:
    """The page of a record on a case."""
    endpoint, key = RECORD_PAGES[str(getattr(record_type, "value", record_type))]
    values: dict[str, Any] = {key: record_id}
    return url_for(endpoint, **values)


def init_app(app: Flask) -> None:
    """Register the blueprint, its navigation entry and template helpers."""
    from web.investigations import actions, views  # noqa: F401  (routes attach to bp)
    from web.navigation import add_nav_item

    app.register_blueprint(bp)
    add_nav_item(
        app, "investigations.index", _l("Investigations"), Action.READ_INVESTIGATIONS, order=60
    )
    app.jinja_env.globals.update(case_label=case_label, item_url=item_url)

"""Seizures (blueprint ``seizures``): record a whole case, list, read, edit, history, workflow.

- `recording`: the one form for a whole case (header, items, participants, pictures).
- `views`: the list, the seizure page and its history tab.
- `editing`: the edit form (version-checked) and the workflow buttons (submit, validate,
  return, delete, unlink).
- `linking`: linking a person, company or conveyance to an existing seizure.
"""

from __future__ import annotations

from flask import Blueprint, Flask
from flask_babel import gettext
from flask_babel import lazy_gettext as _l

from ncen.policy import Action
from ncen.seizures.foreign import split_office

bp = Blueprint("seizures", __name__, url_prefix="/seizures")


def init_app(app: Flask) -> None:
    """Register the blueprint and its navigation entries."""
    from web.navigation import add_nav_item
    from web.seizures import editing, linking, recording, views  # noqa: F401  (attach routes)

    app.register_blueprint(bp)
    app.jinja_env.globals["place_label"] = place_label
    add_nav_item(app, "seizures.record", _l("Record a seizure"), Action.CREATE_RECORDS, order=10)
    add_nav_item(app, "seizures.index", _l("Seizures"), Action.READ_RECORDS, order=20)


def place_label(place: str | None, origin_node: str | None = None) -> str:
    """A seizure's place as pages show it: for a received seizure, the originator's customs
    office (kept as a code-only mark, `ncen.seizures.foreign.split_office`) named in the
    reader's language. "" for no place."""
    if not place:
        return ""
    if origin_node is None:
        return place
    text, office = split_office(place)
    if office is None:
        return place
    named = gettext("customs office %(office)s", office=office)
    return f"{text}, {named}" if text else named

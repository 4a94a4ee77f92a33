"""Spreadsheet imports (blueprint ``imports``): the upload wizard for supervisors.

Upload a CSV, TSV or XLSX file → fix the proposed mapping (or load a saved one) → preview (a
dry run: the first rows as they will be stored, and every problem) → import, all or nothing
or the good rows → download the report of refused rows. Every step needs
``Action.IMPORT_RECORDS``; the work is `ncen.imports`'.
"""

from __future__ import annotations

from flask import Blueprint, Flask
from flask_babel import lazy_gettext as _l

from ncen.policy import Action

bp = Blueprint("imports", __name__, url_prefix="/imports")

RECORD_TYPES = {
    "seizure": _l("Seizures (a row is a case, with its persons, companies and conveyances)"),
    "person": _l("Persons"),
    "company": _l("Companies"),
    "conveyance": _l("Conveyances"),
}
MODES = {
    "good-rows": _l("Import the good rows and report the others"),
    "all-or-nothing": _l("All or nothing: import only if every row is good"),
}


def init_app(app: Flask) -> None:
    """Register the blueprint and its navigation entry (for supervisors)."""
    from web.imports import views  # noqa: F401  (the module attaches its routes to bp)
    from web.navigation import add_nav_item

    app.register_blueprint(bp)
    add_nav_item(app, "imports.index", _l("Import"), Action.IMPORT_RECORDS, order=76)

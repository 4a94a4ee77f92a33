"""Duplicates (blueprint ``merging``): candidate pairs, compare and merge, unmerge, the ledger.

Reading candidates and the ledger needs ``Action.SEARCH`` (they show nominal data as search
does); merging, unmerging and judging pairs need ``Action.MERGE_RECORDS`` (supervisors).
"""

from __future__ import annotations

from flask import Blueprint, Flask
from flask_babel import lazy_gettext as _l

from ncen.policy import Action

bp = Blueprint("merging", __name__, url_prefix="/duplicates")

DECISIONS = {
    "same": _l("same"),
    "not_same": _l("not the same"),
    "merged": _l("merged"),
    "unmerged": _l("unmerged"),
}


# The labels of the duplicate evidence codes (`ncen.merging.evidence.NOTES`).
EVIDENCE = {
    "same_document": _l("same identity document"),
    "same_contact": _l("same phone or e-mail"),
    "same_address": _l("same address"),
    "same_seizure": _l("named in the same seizure"),
    "same_birth_date": _l("same date of birth"),
    "same_birth_year": _l("same birth year"),
    "same_nationality": _l("a nationality in common"),
    "other_gender": _l("another gender"),
    "other_birth_date": _l("another date of birth"),
    "birth_years_apart": _l("birth years too far apart"),
    "birth_year_close": _l("birth years a year apart"),
    "other_birth_month": _l("another birth month"),
    "other_patronymic": _l("another patronymic"),
    "other_gender_form": _l("a name in the other gender's form"),
    "other_nationality": _l("no nationality in common"),
    "name_only": _l("only the name agrees: nothing else corroborates it"),
}


def evidence_label(code: str) -> object:
    """The label of a piece of duplicate evidence, in the user's language."""
    return EVIDENCE.get(code, code)


def decision_label(value: object) -> object:
    """The label of a ledger decision, in the user's language."""
    key = str(getattr(value, "value", value))
    return DECISIONS.get(key, key)


def init_app(app: Flask) -> None:
    """Register the blueprint and its navigation entry (for supervisors)."""
    from web.merging import views  # noqa: F401  (the module attaches its routes to bp)
    from web.navigation import add_nav_item

    app.register_blueprint(bp)
    app.jinja_env.globals.update(decision_label=decision_label, evidence_label=evidence_label)
    add_nav_item(app, "merging.index", _l("Duplicates"), Action.MERGE_RECORDS, order=75)

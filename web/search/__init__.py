"""Search (blueprint ``search``): the one search box, advanced search per record type, and
saved searches.

The box sits in the navigation bar of every page for users allowed to search
(``Action.SEARCH``: not the administrator, who sees no nominal data).
"""

from __future__ import annotations

from flask import Blueprint, Flask
from flask_babel import lazy_gettext as _l

from ncen.search.results import STRONG_MATCH, is_strong

bp = Blueprint("search", __name__, url_prefix="/search")

TRANSFORMATIONS = {
    "exact": _l("exact"),
    "transliteration": _l("transliteration"),
    "nickname": _l("nickname or variant"),
    "phonetic": _l("sounds alike"),
    "typo": _l("typo"),
    "spacing": _l("spacing"),
    "order_swap": _l("words in another order"),
    "patronymic_omitted": _l("patronymic left out"),
    # Naming traditions (ncen.search.explain; shown in English until listed here).
    "parentage_marker": _l("parentage marker ignored"),
    "mongolian_genitive": _l("Mongolian genitive (father's name) stripped"),
    "wade_giles": _l("Wade–Giles → pinyin"),
    "palladius": _l("Palladius → pinyin"),
    "uyghur": _l("Uyghur → Latin"),
    "turkic_latin": _l("Turkic Latin alphabet → Russian spelling"),
    "french": _l("French transliteration"),
    "cantonese": _l(
        "Cantonese romanisation (Hong Kong government, Jyutping) ↔ Chinese characters ↔ pinyin"
    ),
}
IDENTIFIERS = {
    "person": _l("Person"),
    "seizure": _l("Seizure"),
    "company": _l("Company"),
    "conveyance": _l("Conveyance"),
    "passport": _l("Passport"),
    "national_id": _l("National ID"),
    "residence_permit": _l("Residence permit"),
    "driving_licence": _l("Driving licence"),
    "seaman_book": _l("Seaman's book"),
    "tax_id": _l("Tax ID"),
    "registration_number": _l("Registration number"),
    "tax_number": _l("Tax number"),
    "plate": _l("Plate"),
    "vin": _l("VIN"),
    "imo": _l("IMO number"),
    "mmsi": _l("MMSI"),
    "call_sign": _l("Call sign"),
    "aircraft_registration": _l("Aircraft registration"),
    "flight": _l("Flight"),
    "container": _l("Container"),
    "awb": _l("Air waybill"),
    "bill_of_lading": _l("Bill of lading"),
}

SCRIPTS = {
    "Latn": _l("Latin script"),
    "Cyrl": _l("Cyrillic script"),
    "Arab": _l("Arabic script"),
    "Hani": _l("Chinese characters"),
}


def script_label(code: str) -> object:
    """The name of the ISO 15924 script ``code``, in the user's language."""
    return SCRIPTS.get(code, code)


def transformation_label(value: object) -> object:
    """The label of a matching transformation, in the user's language."""
    key = str(getattr(value, "value", value))
    return TRANSFORMATIONS.get(key, key.replace("_", " "))


def identifier_label(value: object) -> object:
    """The label of a record type or identifier kind, in the user's language."""
    key = str(getattr(value, "value", value))
    return IDENTIFIERS.get(key, key.replace("_", " "))


def init_app(app: Flask) -> None:
    """Register the blueprint and the label helpers of its templates."""
    from web.search import saved, views  # noqa: F401  (the modules attach their routes to bp)

    app.register_blueprint(bp)
    app.jinja_env.globals.update(
        transformation_label=transformation_label,
        identifier_label=identifier_label,
        script_label=script_label,
        is_strong_match=is_strong,
        strong_match=STRONG_MATCH,
    )

"""Translated labels of the domain's enumerations (statuses, grading, kinds...).

Reference *code lists* come from the database (`web.codes`); the fixed enumerations of the
model are labelled here so that each is shown in the user's language. Templates call
``enum_label("status", seizure.status)``; forms build their options with `enum_options`.
"""

from __future__ import annotations

from datetime import date
from enum import Enum

from babel.dates import format_skeleton
from flask import Flask, current_app
from flask_babel import format_date, get_locale
from flask_babel import lazy_gettext as _l
from wtforms import SelectChoice

from web.codes import request_locale
from web.forms import choices

LABELS: dict[str, dict[str, object]] = {
    "status": {
        "draft": _l("Draft"),
        "submitted": _l("Submitted"),
        "validated": _l("Validated"),
    },
    "direction": {
        "import": _l("Import"),
        "export": _l("Export"),
        "transit": _l("Transit"),
        "domestic": _l("Domestic"),
    },
    "reliability": {
        "A": _l("A – always reliable"),
        "B": _l("B – mostly reliable"),
        "C": _l("C – not usually reliable"),
        "X": _l("X – cannot be judged"),
    },
    "grade": {
        "1": _l("1 – known to be true without reservation"),
        "2": _l("2 – known personally to the source"),
        "3": _l("3 – not known personally to the source, but corroborated"),
        "4": _l("4 – cannot be judged"),
    },
    "handling": {
        "H0": _l("H0 – law-enforcement use only"),
        "H1": _l("H1 – not for judicial proceedings without the originator's consent"),
        "H2": _l("H2 – no onward transmission without the originator's consent"),
        "H3": _l("H3 – restrictions written out below"),
    },
    "gender": {
        "F": _l("Female"),
        "M": _l("Male"),
        "X": _l("Other (X)"),
        "U": _l("Unknown"),
    },
    "name_kind": {
        "primary": _l("Primary name"),
        "alias": _l("Alias"),
        "former": _l("Former name"),
        "transliteration": _l("Transliteration"),
    },
    "document_type": {
        "passport": _l("Passport"),
        "national_id": _l("National identity card"),
        "residence_permit": _l("Residence permit"),
        "driving_licence": _l("Driving licence"),
        "seaman_book": _l("Seaman's book"),
        "tax_id": _l("Tax identification"),
        "other": _l("Other document"),
    },
    "contact_kind": {"phone": _l("Phone"), "email": _l("E-mail")},
    "conveyance_kind": {
        "vehicle": _l("Vehicle"),
        "trailer": _l("Trailer"),
        "vessel": _l("Vessel"),
        "aircraft": _l("Aircraft"),
        "container": _l("Container"),
        "rail_wagon": _l("Rail wagon"),
        "postal_item": _l("Postal item"),
        "express_item": _l("Express item"),
    },
    "identifier_kind": {
        "plate": _l("Registration plate"),
        "vin": _l("VIN"),
        "imo": _l("IMO number"),
        "mmsi": _l("MMSI"),
        "call_sign": _l("Call sign"),
        "aircraft_registration": _l("Aircraft registration"),
        "flight": _l("Flight number"),
        "container": _l("Container number (ISO 6346)"),
        "awb": _l("Air waybill"),
        "bill_of_lading": _l("Bill of lading"),
        "postal_item": _l("Postal item number"),
    },
    "aeo": {
        "none": _l("Not an AEO"),
        "aeo_c": _l("AEO – customs simplifications"),
        "aeo_s": _l("AEO – security and safety"),
        "aeo_f": _l("AEO – full"),
        "suspended": _l("AEO – suspended"),
    },
    "change": {
        "create": _l("Created"),
        "update": _l("Edited"),
        "delete": _l("Deleted"),
        "restore": _l("Restored"),
        "link": _l("Linked"),
        "unlink": _l("Unlinked"),
        "status": _l("Status changed"),
    },
    "origin": {"national": _l("National records"), "foreign": _l("Received from other nodes")},
}


# Field names of the record snapshots, as the History tab shows them.
FIELD_LABELS: dict[str, object] = {
    "reference": _l("Reference"),
    "occurred_at": _l("Date and time of the seizure"),
    "office_code": _l("Customs office"),
    "place": _l("Place"),
    "locode": _l("UN/LOCODE"),
    "location_type": _l("Type of location"),
    "direction": _l("Direction"),
    "transport_mode": _l("Transport mode"),
    "detection_method": _l("Detection method"),
    "detection_technique": _l("Detection technique"),
    "concealment_methods": _l("Concealment methods"),
    "concealment_description": _l("How the goods were concealed"),
    "departure_country": _l("Country of departure"),
    "transit_countries": _l("Transit countries"),
    "destination_country": _l("Country of destination"),
    "narrative": _l("Narrative"),
    "status": _l("Status"),
    "source_reliability": _l("Source reliability"),
    "information_grade": _l("Information assessment"),
    "items": _l("Items"),
    "persons": _l("Persons"),
    "companies": _l("Companies"),
    "conveyances": _l("Conveyances"),
    "pictures": _l("Pictures"),
    "handling_code": _l("Handling code"),
    "handling_restrictions": _l("Handling restrictions"),
    "origin_node": _l("Origin node"),
    "origin_id": _l("Id at the origin"),
    "deleted": _l("Deleted"),
    "gender": _l("Gender"),
    "birth_year": _l("Year of birth"),
    "birth_month": _l("Month of birth"),
    "birth_day": _l("Day of birth"),
    "birth_place": _l("Place of birth"),
    "birth_country": _l("Country of birth"),
    "description": _l("Description"),
    "names": _l("Names"),
    "nationalities": _l("Nationalities"),
    "documents": _l("Documents"),
    "addresses": _l("Addresses"),
    "contacts": _l("Contacts"),
    "country": _l("Country"),
    "registration_number": _l("Registration number"),
    "tax_number": _l("Tax number"),
    "aeo_status": _l("AEO status"),
    "address_line": _l("Address"),
    "address_city": _l("City"),
    "address_country": _l("Country of the address"),
    "kind": _l("Kind"),
    "name": _l("Name"),
    "flag": _l("Flag"),
    "identifiers": _l("Identifiers"),
    # Keys inside rows (items, names, documents, links...).
    "commodity_group": _l("Commodity group"),
    "hs_code": _l("HS code"),
    "brand": _l("Brand"),
    "quantity": _l("Quantity"),
    "unit": _l("Unit"),
    "estimated_value": _l("Estimated value"),
    "currency": _l("Currency"),
    "full_name": _l("Full name"),
    "given_names": _l("Given names"),
    "family_name": _l("Family name"),
    "patronymic": _l("Patronymic"),
    "script": _l("Script"),
    "doc_type": _l("Document"),
    "number": _l("Number"),
    "issuing_country": _l("Issued by"),
    "expires_on": _l("Expires on"),
    "line": _l("Address"),
    "postcode": _l("Postcode"),
    "value": _l("Value"),
    "id": _l("Record"),
    "role": _l("Role"),
    "note": _l("Note"),
}


def field_label(key: str) -> str:
    """The translated name of a snapshot field (the key itself if it has none)."""
    return str(FIELD_LABELS.get(key, key))


# app.extensions key of the application's translated labels by (locale, enumeration, key): a
# list page shows a status per row, and each translation through Flask-Babel walks its request
# context several times. Per application (its catalogues), bounded by languages times labels.
_TRANSLATED = "ncen.enum_labels"


def enum_label(kind: str, value: Enum | str | int | None) -> str:
    """The translated label of ``value`` in the enumeration ``kind`` ("" for None)."""
    if value is None or value == "":
        return ""
    key = str(value.value if isinstance(value, Enum) else value)
    labels = LABELS[kind]
    if key not in labels:
        return key
    translated: dict[tuple[str, str, str], str] = current_app.extensions[_TRANSLATED]
    memo = (request_locale(), kind, key)  # the request's language, looked up once
    found = translated.get(memo)
    if found is None:
        found = translated[memo] = str(labels[key])
    return found


def partial_date(year: int | None, month: int | None, day: int | None) -> str:
    """A date of which only the year, or the year and month, may be known, as the user's
    locale writes it: "1984"; "Jul 1984" / "juil. 1984" / "июль 1984 г."; a full date in the
    locale's medium format. A day without a month (never stored) is ignored."""
    if year is None:
        return ""
    if month is None:
        return str(year)
    try:
        known = date(year, month, day or 1)
    except ValueError:  # an impossible date stored by an old import: show what is there
        return "-".join(f"{p:02d}" for p in (year, month, day) if p is not None)
    if day is None:
        return format_skeleton("yMMM", known, locale=get_locale())
    return str(format_date(known))


def enum_options(kind: str, *, blank: str | None = "—") -> list[SelectChoice]:
    """Select options of the enumeration ``kind``, after a blank one unless ``blank=None``."""
    pairs: list[tuple[str, object]] = [("", blank)] if blank is not None else []
    pairs.extend(LABELS[kind].items())
    return choices(pairs)


def init_app(app: Flask) -> None:
    """Expose `enum_label`, `field_label` and `partial_date` to templates."""
    app.extensions[_TRANSLATED] = {}
    app.jinja_env.globals.update(
        enum_label=enum_label, field_label=field_label, partial_date=partial_date
    )

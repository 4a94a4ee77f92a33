"""Propose a mapping from a file's header row, for the user to fix and save.

`propose_mapping` matches each column name against the field names and their usual spellings
in legacy sheets (English, French, Russian; `SYNONYMS`), ignoring case, spaces and
punctuation. For a seizure sheet, columns that name a person, company or conveyance become a
linked record with a default role. Columns it cannot place are listed in ``unmatched`` so the
wizard can show them. The proposal is a plain mapping document (`ncen.imports.mapping`), never
stored until the user saves it. Pure.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from ncen.imports.mapping import FIELDS

# field of (kind) -> spellings met in legacy sheets, besides the field's own name.
SYNONYMS: dict[str, dict[str, tuple[str, ...]]] = {
    "seizure": {
        "reference": ("ref", "reference number", "case", "case no", "case number", "numéro"),
        "occurred_at": ("date", "seizure date", "date of seizure", "дата", "date saisie"),
        "office_code": ("office", "customs office", "bureau", "таможня"),
        "place": ("location", "lieu", "место"),
        "direction": ("direction", "flow", "направление"),
        "transport_mode": ("mode", "transport", "mode of transport", "вид транспорта"),
        "detection_method": ("detection", "detection method"),
        "departure_country": ("departure", "from", "origin", "country of departure"),
        "destination_country": ("destination", "to", "country of destination"),
        "narrative": ("notes", "remarks", "description", "summary", "фабула", "описание"),
    },
    "item": {
        "commodity_group": ("goods", "commodity", "product", "товар", "marchandise"),
        "hs_code": ("hs", "hs code", "tariff code", "код тн вэд"),
        "quantity": ("qty", "quantity", "amount", "количество", "quantité"),
        "unit": ("unit", "uom", "единица"),
        "estimated_value": ("value", "estimated value", "стоимость", "valeur"),
        "currency": ("currency", "валюта", "devise"),
        "brand": ("brand", "марка", "marque"),
    },
    "person": {
        "full_name": ("name", "full name", "offender", "person", "фио", "nom"),
        "given_names": ("first name", "given name", "имя", "prénom"),
        "family_name": ("surname", "last name", "family name", "фамилия"),
        "birth_date": ("dob", "date of birth", "born", "birth date", "дата рождения"),
        "nationalities": ("nationality", "citizenship", "гражданство", "nationalité"),
        "gender": ("sex", "gender", "пол", "sexe"),
        "document_number": ("passport", "passport no", "document", "document number"),
    },
    "company": {
        "name": ("company", "company name", "firm", "организация", "société"),
        "registration_number": ("reg no", "registration", "registration number", "инн"),
        "country": ("company country",),
    },
    "conveyance": {
        "plate": ("plate", "truck plate", "registration plate", "госномер", "immatriculation"),
        "vin": ("vin",),
        "container": ("container", "container no", "контейнер"),
        "imo": ("imo",),
        "flight": ("flight", "flight no", "рейс"),
    },
}
LINK_ROLES = {"person": "offender", "company": "importer", "conveyance": "means_of_transport"}
_LINKED_KEYS = {"person": "persons", "company": "companies", "conveyance": "conveyances"}
_DEFAULT_KIND = {"plate": "vehicle", "vin": "vehicle", "container": "container", "imo": "vessel"}


@dataclass(slots=True)
class Proposal:
    """A proposed mapping document and the columns it left out."""

    mapping: dict[str, Any]
    unmatched: list[str] = field(default_factory=list)


def _norm(text: str) -> str:
    return re.sub(r"[\W_]+", " ", text.casefold()).strip()


def _lookup(kinds: tuple[str, ...]) -> dict[str, tuple[str, str]]:
    table: dict[str, tuple[str, str]] = {}
    for kind in kinds:
        for name in FIELDS[kind]:
            table.setdefault(_norm(name), (kind, name))
        for name, spellings in SYNONYMS.get(kind, {}).items():
            for spelling in spellings:
                table.setdefault(_norm(spelling), (kind, name))
    return table


def propose_mapping(header: tuple[str, ...], record_type: str, source: str) -> Proposal:
    """A mapping for a file with ``header`` whose rows are ``record_type`` records."""
    kinds = (
        ("seizure", "item", "person", "company", "conveyance")
        if record_type == "seizure"
        else (record_type,)
    )
    table = _lookup(kinds)
    found: dict[str, dict[str, Any]] = {kind: {} for kind in kinds}
    unmatched: list[str] = []
    for column in header:
        if not column:
            continue
        hit = table.get(_norm(column))
        if hit is None or hit[1] in found[hit[0]]:
            unmatched.append(column)
            continue
        kind, name = hit
        found[kind][name] = column
    main: dict[str, Any] = {"fields": found[record_type]}
    reference = main["fields"].pop("reference", None) if record_type == "seizure" else None
    if reference is not None:
        # The case number of the old system identifies the row there: it is the source id
        # (re-import updates), not the node's own reference, which other sources may clash with.
        main = {"id": reference, **main}
    if record_type == "seizure":
        main["items"] = [found["item"]] if found["item"] else []
    document: dict[str, Any] = {"record": record_type, "source": source, record_type: main}
    document["dates"] = {"day_first": True}
    document["numbers"] = {"decimal": ".", "thousands": ""}
    for kind in ("person", "company", "conveyance"):
        if record_type != "seizure" or not found.get(kind):
            continue
        fields: dict[str, Any] = dict(found[kind])
        if kind == "conveyance":
            first = next(iter(fields))
            fields["kind"] = {"value": _DEFAULT_KIND.get(first, "vehicle")}
        document[_LINKED_KEYS[kind]] = [{"role": LINK_ROLES[kind], "fields": fields}]
    return Proposal(document, unmatched)

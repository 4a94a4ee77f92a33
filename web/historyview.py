"""The History tab's field-level differences, shown in the user's words rather than codes.

Record versions keep plain JSON snapshots (`ncen.history`): codes, enum values and the ids of
linked records. `describe_versions` turns each change into labelled text: codes become their
labels, enum values their translated names, linked records their names, nested rows (items,
names, documents) a list of "label: value" pairs.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, cast

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from ncen.companies.models import Company
from ncen.conveyances.models import Conveyance
from ncen.history import RecordVersion
from ncen.persons.models import Person
from web.codes import code_label
from web.labels import LABELS, enum_label, field_label

# Snapshot keys whose values are codes of a reference list.
_CODE_LISTS = {
    "office_code": "customs_offices",
    "location_type": "location_types",
    "transport_mode": "transport_modes",
    "detection_method": "detection_methods",
    "detection_technique": "detection_techniques",
    "concealment_methods": "concealment_methods",
    "commodity_group": "commodity_groups",
    "unit": "quantity_units",
    **dict.fromkeys(
        (
            "departure_country",
            "destination_country",
            "transit_countries",
            "country",
            "birth_country",
            "nationalities",
            "issuing_country",
            "flag",
            "address_country",
        ),
        "countries",
    ),
}
# Snapshot keys whose values are enum values; "kind" depends on the record and the row.
_ENUMS = {
    "direction": "direction",
    "status": "status",
    "source_reliability": "reliability",
    "information_grade": "grade",
    "handling_code": "handling",
    "gender": "gender",
    "doc_type": "document_type",
    "aeo_status": "aeo",
}
_KINDS = {
    ("conveyance", ""): "conveyance_kind",
    ("conveyance", "identifiers"): "identifier_kind",
    ("person", "names"): "name_kind",
    ("company", "names"): "name_kind",
    ("person", "contacts"): "contact_kind",
}
_ROLE_LISTS = {"persons": "person_roles", "companies": "company_roles"}
_ROLE_LISTS["conveyances"] = "conveyance_roles"
_LINKED: dict[str, type[Person | Company | Conveyance]] = {
    "persons": Person,
    "companies": Company,
    "conveyances": Conveyance,
}


@dataclass(frozen=True)
class ShownChange:
    """One changed field: its label and its old and new values as the page shows them."""

    label: str
    old: Any
    new: Any


@dataclass(frozen=True)
class ShownVersion:
    """One version with its changes, ready for the template."""

    version: RecordVersion
    changes: list[ShownChange]


class _Describer:
    def __init__(self, record_type: str, names: Mapping[str, str]) -> None:
        self.record_type = record_type
        self.names = names

    def scalar(self, key: str, value: Any, parent: str = "") -> str:
        if value is None or value == "":
            return ""
        if isinstance(value, bool):
            return str(_("Yes") if value else _("No"))
        text = str(value)
        if key in _CODE_LISTS:
            return code_label(_CODE_LISTS[key], text)
        if key == "role" and parent in _ROLE_LISTS:
            return code_label(_ROLE_LISTS[parent], text)
        if key == "id" and parent in _LINKED:
            return self.names.get(text, text)
        kinds = _KINDS.get((self.record_type, parent)) if key == "kind" else None
        enum = _ENUMS.get(key) or kinds
        return enum_label(enum, text) if enum and text in LABELS[enum] else text

    def value(self, key: str, value: Any) -> Any:
        """A string, a list of strings, or a list of rows of (label, text) pairs."""
        if isinstance(value, list):
            if all(isinstance(v, Mapping) for v in value) and value:
                return [
                    [
                        (field_label(k), self.scalar(k, v, key))
                        for k, v in sorted(row.items())
                        if v not in (None, "")
                    ]
                    for row in value
                ]
            return [self.scalar(key, v) for v in value]
        return self.scalar(key, value)


def _linked_names(session: Session, versions: Iterable[RecordVersion]) -> dict[str, str]:
    ids: dict[str, set[uuid.UUID]] = {key: set() for key in _LINKED}
    for version in versions:
        for key in _LINKED:
            for side in version.changes.get(key, []):
                for link in side or []:
                    try:
                        ids[key].add(uuid.UUID(str(link.get("id"))))
                    except (ValueError, AttributeError):
                        continue
    names: dict[str, str] = {}
    for key, model in _LINKED.items():
        if ids[key]:
            found = session.execute(select(model).where(model.id.in_(ids[key]))).scalars()
            # SQLAlchemy types select() over a union of classes as their common Base.
            for record in cast("Iterable[Person | Company | Conveyance]", found):
                names[str(record.id)] = record.display_name
    return names


def describe_versions(
    session: Session, record_type: str, versions: Iterable[RecordVersion]
) -> list[ShownVersion]:
    """``versions`` with each change labelled and its values in words."""
    versions = list(versions)
    describer = _Describer(record_type, _linked_names(session, versions))
    return [
        ShownVersion(
            version=version,
            changes=[
                ShownChange(
                    field_label(key),
                    describer.value(key, change[0]),
                    describer.value(key, change[1]),
                )
                for key, change in sorted(version.changes.items())
            ],
        )
        for version in versions
    ]

"""Between the seizure forms and the services: form → service data, and record → form data.

The service data has the shape `ncen.seizures.services` documents (see ``_apply``); values are
passed as typed, blank strings included, because the services do all the checking. Blank rows
are not sent (`web.rowdata`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC
from typing import Any

from ncen.seizures.cases import CaseInput
from ncen.seizures.models import Seizure
from web.rowdata import Payload, rows_payload, text_of
from web.seizures.forms import CaseForm, SeizureForm

HEADER_FIELDS = (
    "office_code",
    "place",
    "locode",
    "location_type",
    "direction",
    "transport_mode",
    "detection_method",
    "detection_technique",
    "concealment_description",
    "departure_country",
    "destination_country",
    "narrative",
    "source_reliability",
    "information_grade",
    "handling_code",
    "handling_restrictions",
)
ITEMS = {
    "items": (
        "commodity_group",
        "hs_code",
        "description",
        "brand",
        "quantity",
        "unit",
        "estimated_value",
        "currency",
    )
}


def seizure_payload(form: SeizureForm) -> Payload:
    """The service data of the seizure part of ``form``."""
    payload = rows_payload(form, ITEMS)
    payload.data.update({name: form[name].data or "" for name in HEADER_FIELDS})
    when = (form.occurred_at.data or "").strip()
    payload.data["occurred_at"] = f"{when}{form.utc_offset.data or '+00:00'}" if when else ""
    payload.data["transit_countries"] = list(form.transit_countries.data or [])
    payload.data["concealment_methods"] = list(form.concealment_methods.data or [])
    return payload


@dataclass
class CasePayload:
    """The recording form as the case service takes it."""

    case: CaseInput
    positions: dict[str, list[int]]


def case_payload(form: CaseForm) -> CasePayload:
    """The `CaseInput` of ``form``; blank participant rows and empty file inputs are left out."""
    seizure = seizure_payload(form)
    positions = dict(seizure.positions)
    lists: dict[str, list[Any]] = {}
    for name in ("persons", "companies", "conveyances"):
        rows = [(i, entry.form) for i, entry in enumerate(form[name]) if not entry.form.is_blank()]
        lists[name] = [row.participant() for _, row in rows]
        positions[name] = [i for i, _ in rows]
    uploads = [f for f in (form.pictures.data or []) if f and f.filename]
    case = CaseInput(
        seizure=seizure.data,
        persons=lists["persons"],
        companies=lists["companies"],
        conveyances=lists["conveyances"],
        pictures=[(f.filename, f.stream) for f in uploads],
        picture_caption=form.picture_caption.data or None,
        picture_concealment=form.picture_concealment.data or None,
    )
    return CasePayload(case=case, positions=positions)


def _local_time(seizure: Seizure) -> str:
    moment = seizure.occurred_at.astimezone(UTC).replace(tzinfo=None)
    if moment.microsecond:
        return moment.isoformat(timespec="milliseconds")
    return moment.isoformat(timespec="seconds" if moment.second else "minutes")


def seizure_form_data(seizure: Seizure) -> dict[str, Any]:
    """The edit form's initial data for ``seizure`` (the time shown in UTC)."""
    data: dict[str, Any] = {name: text_of(getattr(seizure, name)) for name in HEADER_FIELDS}
    data["occurred_at"] = _local_time(seizure)
    data["utc_offset"] = "+00:00"
    data["transit_countries"] = [t.country for t in seizure.transit_countries]
    data["concealment_methods"] = sorted(m.method for m in seizure.concealment_methods)
    data["items"] = [
        {name: text_of(getattr(item, name)) for name in ITEMS["items"]} for item in seizure.items
    ]
    data["version"] = str(seizure.version)
    return data

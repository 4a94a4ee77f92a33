"""What both import paths of received records share (`foreign`, per record; `bulk`, batched).

The record types by their record-set key, when a received record is a newer version of one
received before, the service input of a received seizure, and `refusing`, which turns a
service's `ValidationError` into the `RecordImportError` that names the refused record.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from exchange.errors import RecordImportError
from ncen.companies.services import COMPANY
from ncen.conveyances.services import CONVEYANCE
from ncen.errors import ValidationError
from ncen.persons.services import PERSON
from ncen.recordkeeping import RecordKind
from ncen.seizures.foreign import FOREIGN_LINK_KEYS, place_with_office

T = TypeVar("T")
SINGULAR = {
    "seizures": "seizure",
    "persons": "person",
    "companies": "company",
    "conveyances": "conveyance",
}
# The entity types, in the order both paths import them (before the seizures that link them).
ENTITY_KINDS: dict[str, RecordKind[Any]] = {
    "persons": PERSON,
    "companies": COMPANY,
    "conveyances": CONVEYANCE,
}
# A record already here: its local id, the originator's version applied, whether it is live.
Known = tuple[uuid.UUID, int | None, bool]


def is_update(record: Mapping[str, Any], known: Known) -> bool:
    """True if ``record`` is a newer version of a live record received earlier."""
    _, applied, live = known
    return live and (applied is None or record["version"] > applied)


def refusing(where: str, importer: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """``importer(*args, **kwargs)``; its `ValidationError` becomes a `RecordImportError`
    naming ``where`` (the record set, type, index and origin id) and every bad field."""
    try:
        return importer(*args, **kwargs)
    except ValidationError as error:
        problems = "; ".join(f"{path}: {message}" for path, message in error.errors.items())
        raise RecordImportError(f"{where} is refused: {problems}") from error


def seizure_input(
    seizure: Mapping[str, Any], local: Mapping[str, Mapping[str, uuid.UUID]]
) -> dict[str, Any]:
    """The service input for a received seizure: links to local ids; the originator's customs
    office code (national, not in our tables) kept as a code-only mark in the place text."""
    data = dict(seizure)
    for link_key in FOREIGN_LINK_KEYS.values():
        data[link_key] = [
            {"id": str(local[link_key][link["id"]]), "role": link["role"], "note": link["note"]}
            for link in seizure[link_key]
        ]
    office = seizure["office_code"]
    data["office_code"] = None
    if office:
        # Code only: pages name the office in the reader's language (`split_office`).
        data["place"] = place_with_office(seizure["place"], office)
    return data

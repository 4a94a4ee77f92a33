"""Records schemas v1 and v2: the validator accepts the documented shapes and names the first bad
path; v2 seizures state their originator's distribution."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from exchange.errors import SchemaError
from exchange.records import recordschema
from exchange.records.recordschema import (
    RECORDS_SCHEMA,
    RECORDS_SCHEMA_V1,
    check_record_set,
    validate_records,
)
from ncen.companies.models import AeoStatus
from ncen.conveyances.models import ConveyanceKind, IdentifierKind
from ncen.persons.models import ContactKind, DocumentType, Gender, NameKind
from ncen.pictures.processing import ACCEPTED_MIME_TYPES
from ncen.records import HandlingCode
from ncen.seizures.models import Direction, SeizureStatus, SourceReliability

PERSON_ID = "00000000-0000-4000-8000-000000000001"
SEIZURE_ID = "5eed0000-aaaa-4bbb-8ccc-dddddddddddd"


def record_set() -> dict[str, Any]:
    common = {"version": 1, "handling_code": "H1", "handling_restrictions": None, "pictures": []}
    return {
        "schema": RECORDS_SCHEMA,
        "origin_node": "fr-ncen",
        "seizures": [
            {
                **common,
                "id": SEIZURE_ID,
                "reference": "SZ-2026-000001",
                "occurred_at": "2026-03-01T14:30:00Z",
                "status": "validated",
                "office_code": None,
                "place": "Port of Le Havre",
                "locode": "FRLEH",
                "location_type": None,
                "direction": "import",
                "transport_mode": "sea",
                "detection_method": None,
                "detection_technique": None,
                "concealment_methods": [],
                "concealment_description": None,
                "departure_country": "CN",
                "transit_countries": [],
                "destination_country": "FR",
                "narrative": None,
                "source_reliability": "B",
                "information_grade": 2,
                "items": [
                    {
                        "commodity_group": "tobacco",
                        "hs_code": "240220",
                        "description": None,
                        "brand": None,
                        "quantity": "12000",
                        "unit": "pieces",
                        "estimated_value": "3600.5",
                        "currency": "EUR",
                    }
                ],
                "persons": [{"id": PERSON_ID, "role": "courier", "note": None}],
                "companies": [],
                "conveyances": [],
                "distribution": {"level": "named_peers", "peers": ["de-ncen"]},
                "pictures": [
                    {
                        "sha256": "ab" * 32,
                        "media_type": "image/jpeg",
                        "caption": None,
                        "concealment_method": None,
                    }
                ],
            }
        ],
        "persons": [
            {
                **common,
                "id": PERSON_ID,
                "gender": "M",
                "birth_year": 1984,
                "birth_month": None,
                "birth_day": None,
                "birth_place": None,
                "birth_country": None,
                "description": None,
                "names": [
                    {
                        "kind": "primary",
                        "full_name": "Mukhammad Aliev",
                        "given_names": None,
                        "family_name": None,
                        "patronymic": None,
                        "script": "Latn",
                    }
                ],
                "nationalities": ["KZ"],
                "documents": [],
                "addresses": [],
                "contacts": [],
            }
        ],
        "companies": [],
        "conveyances": [],
    }


def test_a_documented_record_set_is_valid():
    validate_records(RECORDS_SCHEMA, "records", record_set())
    assert recordschema.picture_hashes(record_set()) == {"ab" * 32}


def _set(value: dict[str, Any], path: str, new: Any) -> None:
    *parents, last = path.split(".")
    target: Any = value
    for part in parents:
        target = target[int(part)] if part.isdigit() else target[part]
    if new is KeyError:
        del target[last]
    else:
        target[int(last) if last.isdigit() else last] = new


@pytest.mark.parametrize(
    ("path", "value", "message"),
    [
        ("schema", "ncen-records/3", "does not follow the bundle's ncen-records/2"),
        ("seizures.0.distribution", KeyError, "missing members ['distribution']"),
        ("seizures.0.distribution.level", "everyone", "distribution.level: must be one of"),
        ("seizures.0.distribution.peers", [], "named_peers names at least one peer"),
        ("seizures.0.distribution.peers", ["de-ncen", "de-ncen"], "a peer appears twice"),
        ("seizures.0.distribution.level", "all_peers", "the other levels name none"),
        ("seizures.0.status", "closed", "seizures.0.status: must be one of"),
        ("seizures.0.information_grade", 2.0, "seizures.0.information_grade"),
        ("seizures.0.information_grade", True, "seizures.0.information_grade"),
        ("seizures.0.items.0.quantity", 12000, "seizures.0.items.0.quantity"),
        ("seizures.0.items.0.quantity", "1e5", "seizures.0.items.0.quantity"),
        ("seizures.0.items", [], "seizures.0.items: must have 1 to 500"),
        ("seizures.0.occurred_at", "2026-03-01T14:30:00+01:00", "seizures.0.occurred_at"),
        ("seizures.0.id", SEIZURE_ID.upper(), "seizures.0.id: must be a lowercase UUID"),
        ("seizures.0.narrative", "", "seizures.0.narrative: must be a non-empty string"),
        ("seizures.0.narrative", "x" * 100_001, "longer than 100000"),
        ("seizures.0.unexpected", 1, "unknown members ['unexpected']"),
        ("seizures.0.reference", KeyError, "missing members ['reference']"),
        ("persons.0.names.0.script", "latin", "persons.0.names.0.script"),
        ("persons.0.nationalities", ["kz"], "persons.0.nationalities.0"),
        ("seizures.0.pictures.0.media_type", "image/bmp", "media_type: must be one of"),
        ("seizures.0.persons.0.id", SEIZURE_ID, "is not a record of this set"),
        ("seizures.0.handling_code", "H3", "handling_restrictions: required with H3"),
        ("persons.0.id", SEIZURE_ID, "seizures.0.persons.0.id: "),
        ("origin_node", "fr ncen", "origin_node: must be a node id"),
    ],
)
def test_each_violation_is_refused_with_its_path(path, value, message):
    records = copy.deepcopy(record_set())
    _set(records, path, value)
    with pytest.raises(SchemaError) as raised:
        validate_records(RECORDS_SCHEMA, "records", records)
    assert message in str(raised.value)


def test_schema_v1_is_still_read_and_states_no_distribution():
    records = record_set()
    records["schema"] = RECORDS_SCHEMA_V1
    del records["seizures"][0]["distribution"]
    validate_records(RECORDS_SCHEMA_V1, "records", records)
    assert recordschema.stated_distribution(records["seizures"][0]) is None
    with pytest.raises(SchemaError, match="does not follow the bundle's ncen-records/2"):
        validate_records(RECORDS_SCHEMA, "records", records)
    records["seizures"][0]["distribution"] = {"level": "all_peers", "peers": []}
    with pytest.raises(SchemaError, match="unknown members \\['distribution'\\]"):
        validate_records(RECORDS_SCHEMA_V1, "records", records)
    with pytest.raises(SchemaError, match="schema: must be one of"):
        check_record_set({**records, "schema": "ncen-records/3"})


def test_a_set_of_persons_alone_is_valid():
    check_record_set({**record_set(), "seizures": []})


def test_duplicates_and_empty_sets_are_refused():
    records = record_set()
    records["persons"].append(copy.deepcopy(records["persons"][0]))
    with pytest.raises(SchemaError, match="appears twice"):
        check_record_set(records)
    empty = {**record_set(), "seizures": [], "persons": []}
    with pytest.raises(SchemaError, match="at least one record"):
        check_record_set(empty)
    with pytest.raises(SchemaError, match="follows 'ncen-records/0'"):
        validate_records("ncen-records/0", "records", record_set())


@pytest.mark.parametrize(
    ("vocabulary", "domain"),
    [
        (recordschema.HANDLING_CODES, HandlingCode),
        (recordschema.SEIZURE_STATUSES, SeizureStatus),
        (recordschema.DIRECTIONS, Direction),
        (recordschema.SOURCE_RELIABILITIES, SourceReliability),
        (recordschema.GENDERS, Gender),
        (recordschema.NAME_KINDS, NameKind),
        (recordschema.DOCUMENT_TYPES, DocumentType),
        (recordschema.CONTACT_KINDS, ContactKind),
        (recordschema.AEO_STATUSES, AeoStatus),
        (recordschema.CONVEYANCE_KINDS, ConveyanceKind),
        (recordschema.IDENTIFIER_KINDS, IdentifierKind),
    ],
)
def test_frozen_vocabularies_match_the_domain(vocabulary, domain):
    # A new value in a domain enum is a change of the records schema: bump its version.
    assert vocabulary == frozenset(member.value for member in domain)


def test_picture_types_match_what_uploads_accept():
    assert frozenset(ACCEPTED_MIME_TYPES) == recordschema.PICTURE_TYPES

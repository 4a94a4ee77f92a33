"""Records schemas v1 and v2 (``ncen-records/1``, ``/2``): the JSON of a record set, and its
strict validator.

A record set is one JSON object: the node that produced the records, then four lists of
records (seizures, persons, companies, conveyances). Seizures link to persons, companies and
conveyances of the same set by id, with a role; any record may list pictures, which travel as
bundle attachments named by the SHA-256 of the original file. Schema v2 adds one member to every
seizure, ``distribution`` (the originator's level and named peers), so the restriction travels
with the record; this node writes v2 and still reads v1. docs/exchange-protocol.md, section
"Records schemas v1 and v2", is the normative description; this module is its executable form.

`validate_records` implements `exchange.crypto.interfaces.RecordsValidator`: it checks the *shape*
(exact member sets, types, lengths, closed vocabularies, identifier syntax, references inside
the set) and raises `SchemaError` naming the first bad path. It does not check reference codes
against tables, check digits or business rules: the importer hands every record to the domain
services, which validate them exactly like a national record. The vocabularies are frozen here
on purpose: a new value in a domain enum is a schema change and needs a new schema version.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any, Final

from exchange.errors import SchemaError

RECORDS_SCHEMA_V1: Final = "ncen-records/1"
RECORDS_SCHEMA: Final = "ncen-records/2"  # what this node writes
RECORDS_SCHEMAS: Final = frozenset({RECORDS_SCHEMA_V1, RECORDS_SCHEMA})
RECORD_TYPES: Final = ("seizures", "persons", "companies", "conveyances")
MAX_RECORDS: Final = 200_000  # per type and record set

HANDLING_CODES: Final = frozenset({"H0", "H1", "H2", "H3"})
DISTRIBUTION_LEVELS: Final = frozenset({"national_only", "named_peers", "all_peers", "global_cen"})
MAX_NAMED_PEERS: Final = 200
SEIZURE_STATUSES: Final = frozenset({"draft", "submitted", "validated"})
DIRECTIONS: Final = frozenset({"import", "export", "transit", "domestic"})
SOURCE_RELIABILITIES: Final = frozenset({"A", "B", "C", "X"})
GENDERS: Final = frozenset({"F", "M", "X", "U"})
NAME_KINDS: Final = frozenset({"primary", "alias", "former", "transliteration"})
DOCUMENT_TYPES: Final = frozenset(
    {
        "passport",
        "national_id",
        "residence_permit",
        "driving_licence",
        "seaman_book",
        "tax_id",
        "other",
    }
)
CONTACT_KINDS: Final = frozenset({"phone", "email"})
AEO_STATUSES: Final = frozenset({"none", "aeo_c", "aeo_s", "aeo_f", "suspended"})
CONVEYANCE_KINDS: Final = frozenset(
    {
        "vehicle",
        "trailer",
        "vessel",
        "aircraft",
        "container",
        "rail_wagon",
        "postal_item",
        "express_item",
    }
)
IDENTIFIER_KINDS: Final = frozenset(
    {
        "plate",
        "vin",
        "imo",
        "mmsi",
        "call_sign",
        "aircraft_registration",
        "flight",
        "container",
        "awb",
        "bill_of_lading",
        "postal_item",
    }
)
PICTURE_TYPES: Final = frozenset(
    {"image/jpeg", "image/png", "image/webp", "image/gif", "image/tiff"}
)

_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
_NODE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{0,63}")
_CODE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,31}")
_COUNTRY = re.compile(r"[A-Z]{2}")
_CURRENCY = re.compile(r"[A-Z]{3}")
_LOCODE = re.compile(r"[A-Z]{2}[A-Z2-9]{3}")
_HS = re.compile(r"[0-9]{6}")
_SCRIPT = re.compile(r"[A-Z][a-z]{3}")
_DECIMAL = re.compile(r"(0|[1-9][0-9]{0,14})(\.[0-9]{1,3})?")
_TIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_SHA256 = re.compile(r"[0-9a-f]{64}")

Check = Callable[[Any], None]


class _Invalid(Exception):  # noqa: N818 - internal signal, turned into SchemaError at the top
    """A check failed; containers add their key to ``path`` as the error travels up."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message
        self.path: list[str] = []


def _nullable(check: Check) -> Check:
    def run(value: Any) -> None:
        if value is not None:
            check(value)

    return run


def _text(max_len: int) -> Check:
    def run(value: Any) -> None:
        if type(value) is not str or not value:
            raise _Invalid("must be a non-empty string")
        if len(value) > max_len:
            raise _Invalid(f"is longer than {max_len} characters")

    return run


def _match(pattern: re.Pattern[str], what: str) -> Check:
    def run(value: Any) -> None:
        if type(value) is not str or not pattern.fullmatch(value):
            raise _Invalid(f"must be {what}")

    return run


def _one_of(values: frozenset[str]) -> Check:
    def run(value: Any) -> None:
        if value not in values or type(value) is not str:
            raise _Invalid(f"must be one of {', '.join(sorted(values))}")

    return run


def _integer(minimum: int, maximum: int) -> Check:
    def run(value: Any) -> None:
        if type(value) is not int or not minimum <= value <= maximum:
            raise _Invalid(f"must be an integer from {minimum} to {maximum}")

    return run


def _list(item: Check, *, max_items: int, min_items: int = 0) -> Check:
    def run(value: Any) -> None:
        if type(value) is not list:
            raise _Invalid("must be an array")
        if not min_items <= len(value) <= max_items:
            raise _Invalid(f"must have {min_items} to {max_items} entries")
        for index, entry in enumerate(value):
            try:
                item(entry)
            except _Invalid as error:
                error.path.append(str(index))
                raise

    return run


def _object(fields: Mapping[str, Check]) -> Check:
    names = frozenset(fields)
    pairs = tuple(fields.items())

    def run(value: Any) -> None:
        if type(value) is not dict:
            raise _Invalid("must be an object")
        if value.keys() != names:
            missing = sorted(names - value.keys())
            extra = sorted(value.keys() - names)
            raise _Invalid(f"has missing members {missing} or unknown members {extra}")
        for name, check in pairs:
            try:
                check(value[name])
            except _Invalid as error:
                error.path.append(name)
                raise

    return run


_uuid = _match(_UUID, "a lowercase UUID")
_code = _match(_CODE, "a code of 1-32 letters, digits, '_', '.' or '-'")
_country = _match(_COUNTRY, "an ISO 3166-1 alpha-2 code")
_decimal = _match(_DECIMAL, 'a decimal number as a string, e.g. "12000.5"')
_note = _nullable(_text(2000))
_opt_country = _nullable(_country)
_opt_code = _nullable(_code)

_PICTURE = _object(
    {
        "sha256": _match(_SHA256, "64 lowercase hex digits"),
        "media_type": _one_of(PICTURE_TYPES),
        "caption": _nullable(_text(2000)),
        "concealment_method": _opt_code,
    }
)
_COMMON: dict[str, Check] = {
    "id": _uuid,
    "version": _integer(1, 2**31 - 1),
    "handling_code": _one_of(HANDLING_CODES),
    "handling_restrictions": _nullable(_text(2000)),
    "pictures": _list(_PICTURE, max_items=100),
}
_LINK = _object({"id": _uuid, "role": _code, "note": _note})
_ITEM = _object(
    {
        "commodity_group": _code,
        "hs_code": _nullable(_match(_HS, "a 6-digit HS subheading")),
        "description": _nullable(_text(2000)),
        "brand": _nullable(_text(200)),
        "quantity": _nullable(_decimal),
        "unit": _opt_code,
        "estimated_value": _nullable(_decimal),
        "currency": _nullable(_match(_CURRENCY, "an ISO 4217 code")),
    }
)
_SEIZURE_FIELDS: dict[str, Check] = {
    **_COMMON,
    "reference": _text(64),
    "occurred_at": _match(_TIME, "a UTC time YYYY-MM-DDTHH:MM:SSZ"),
    "status": _one_of(SEIZURE_STATUSES),
    "office_code": _opt_code,
    "place": _nullable(_text(200)),
    "locode": _nullable(_match(_LOCODE, "a UN/LOCODE such as DEHAM")),
    "location_type": _opt_code,
    "direction": _nullable(_one_of(DIRECTIONS)),
    "transport_mode": _opt_code,
    "detection_method": _opt_code,
    "detection_technique": _opt_code,
    "concealment_methods": _list(_code, max_items=50),
    "concealment_description": _nullable(_text(10_000)),
    "departure_country": _opt_country,
    "transit_countries": _list(_country, max_items=50),
    "destination_country": _opt_country,
    "narrative": _nullable(_text(100_000)),
    "source_reliability": _one_of(SOURCE_RELIABILITIES),
    "information_grade": _integer(1, 4),
    "items": _list(_ITEM, min_items=1, max_items=500),
    "persons": _list(_LINK, max_items=500),
    "companies": _list(_LINK, max_items=500),
    "conveyances": _list(_LINK, max_items=500),
}
_SEIZURE = _object(_SEIZURE_FIELDS)
_PERSON = _object(
    {
        **_COMMON,
        "gender": _one_of(GENDERS),
        "birth_year": _nullable(_integer(1850, 2200)),
        "birth_month": _nullable(_integer(1, 12)),
        "birth_day": _nullable(_integer(1, 31)),
        "birth_place": _nullable(_text(200)),
        "birth_country": _opt_country,
        "description": _nullable(_text(10_000)),
        "names": _list(
            _object(
                {
                    "kind": _one_of(NAME_KINDS),
                    "full_name": _text(300),
                    "given_names": _nullable(_text(200)),
                    "family_name": _nullable(_text(200)),
                    "patronymic": _nullable(_text(200)),
                    "script": _match(_SCRIPT, "an ISO 15924 script code such as Latn"),
                }
            ),
            min_items=1,
            max_items=100,
        ),
        "nationalities": _list(_country, max_items=50),
        "documents": _list(
            _object(
                {
                    "doc_type": _one_of(DOCUMENT_TYPES),
                    "number": _text(64),
                    "issuing_country": _opt_country,
                    "expires_on": _nullable(_match(_DATE, "a date YYYY-MM-DD")),
                }
            ),
            max_items=100,
        ),
        "addresses": _list(
            _object(
                {
                    "line": _text(300),
                    "city": _nullable(_text(120)),
                    "postcode": _nullable(_text(20)),
                    "country": _opt_country,
                }
            ),
            max_items=100,
        ),
        "contacts": _list(
            _object({"kind": _one_of(CONTACT_KINDS), "value": _text(254)}), max_items=100
        ),
    }
)
_COMPANY = _object(
    {
        **_COMMON,
        "names": _list(
            _object(
                {
                    "kind": _one_of(NAME_KINDS),
                    "name": _text(300),
                    "script": _match(_SCRIPT, "an ISO 15924 script code such as Latn"),
                }
            ),
            min_items=1,
            max_items=100,
        ),
        "country": _opt_country,
        "registration_number": _nullable(_text(64)),
        "tax_number": _nullable(_text(64)),
        "aeo_status": _one_of(AEO_STATUSES),
        "address_line": _nullable(_text(300)),
        "address_city": _nullable(_text(120)),
        "address_country": _opt_country,
        "description": _nullable(_text(10_000)),
    }
)
_CONVEYANCE = _object(
    {
        **_COMMON,
        "kind": _one_of(CONVEYANCE_KINDS),
        "name": _nullable(_text(200)),
        "flag": _opt_country,
        "description": _nullable(_text(10_000)),
        "identifiers": _list(
            _object(
                {
                    "kind": _one_of(IDENTIFIER_KINDS),
                    "value": _text(64),
                    "country": _opt_country,
                }
            ),
            max_items=100,
        ),
    }
)
_RECORD_SET_MEMBERS: dict[str, Check] = {
    "origin_node": _match(_NODE, "a node id"),
    "persons": _list(_PERSON, max_items=MAX_RECORDS),
    "companies": _list(_COMPANY, max_items=MAX_RECORDS),
    "conveyances": _list(_CONVEYANCE, max_items=MAX_RECORDS),
}
_RECORD_SET_V1 = _object(
    {
        **_RECORD_SET_MEMBERS,
        "schema": _one_of(frozenset({RECORDS_SCHEMA_V1})),
        "seizures": _list(_SEIZURE, max_items=MAX_RECORDS),
    }
)
# Schema v2: every seizure states the originator's distribution (section 19.3 of the protocol),
# so that the restriction travels with the record and binds every later hop.
_DISTRIBUTION = _object(
    {
        "level": _one_of(DISTRIBUTION_LEVELS),
        "peers": _list(_match(_NODE, "a node id"), max_items=MAX_NAMED_PEERS),
    }
)
_SEIZURE_V2 = _object({**_SEIZURE_FIELDS, "distribution": _DISTRIBUTION})
_RECORD_SET_V2 = _object(
    {
        **_RECORD_SET_MEMBERS,
        "schema": _one_of(frozenset({RECORDS_SCHEMA})),
        "seizures": _list(_SEIZURE_V2, max_items=MAX_RECORDS),
    }
)
_RECORD_SETS = {RECORDS_SCHEMA_V1: _RECORD_SET_V1, RECORDS_SCHEMA: _RECORD_SET_V2}


def _check_references(value: Mapping[str, Any]) -> None:
    """Rules across records: unique ids, links inside the set, H3 restrictions written out."""
    ids: dict[str, set[str]] = {}
    for record_type in RECORD_TYPES:
        seen: set[str] = set()
        for index, record in enumerate(value[record_type]):
            if record["id"] in seen:
                raise SchemaError(f"{record_type}.{index}.id: {record['id']} appears twice")
            seen.add(record["id"])
            if record["handling_code"] == "H3" and not record["handling_restrictions"]:
                raise SchemaError(f"{record_type}.{index}.handling_restrictions: required with H3")
            hashes = [picture["sha256"] for picture in record["pictures"]]
            if len(set(hashes)) != len(hashes):
                raise SchemaError(f"{record_type}.{index}.pictures: a picture appears twice")
        ids[record_type] = seen
    if not any(ids.values()):
        raise SchemaError("a record set carries at least one record")
    for index, seizure in enumerate(value["seizures"]):
        for link_type in ("persons", "companies", "conveyances"):
            for position, link in enumerate(seizure[link_type]):
                if link["id"] not in ids[link_type]:
                    raise SchemaError(
                        f"seizures.{index}.{link_type}.{position}.id: {link['id']} is not a "
                        f"record of this set"
                    )


def _check_distributions(value: Mapping[str, Any]) -> None:
    """Schema v2: named peers are unique, and named only (and at least one) for named_peers."""
    for index, seizure in enumerate(value["seizures"]):
        distribution = seizure.get("distribution")
        if distribution is None:
            continue
        peers = distribution["peers"]
        if len(set(peers)) != len(peers):
            raise SchemaError(f"seizures.{index}.distribution.peers: a peer appears twice")
        if (distribution["level"] == "named_peers") != bool(peers):
            raise SchemaError(
                f"seizures.{index}.distribution.peers: named_peers names at least one peer, "
                "and the other levels name none"
            )


def check_record_set(value: Any) -> None:
    """Validate one parsed record set against the schema its ``schema`` member names (v1 or v2);
    raise `SchemaError` naming the path."""
    schema = value.get("schema") if type(value) is dict else None
    check = _RECORD_SETS.get(schema) if isinstance(schema, str) else None
    if check is None:
        raise SchemaError(f"schema: must be one of {', '.join(sorted(RECORDS_SCHEMAS))}")
    try:
        check(value)
    except _Invalid as error:
        path = ".".join(reversed(error.path)) or "record set"
        raise SchemaError(f"{path}: {error.message}") from None
    _check_references(value)
    _check_distributions(value)


def validate_records(records_schema: str, name: str, records: Any) -> None:
    """The `RecordsValidator` of this node: schema v1 or v2, the one the header names; raises
    `SchemaError`. A v1 set carries no distribution: the receiving policy treats it as
    fail-closed (`exchange.services.policy.incoming_violations`)."""
    if records_schema not in RECORDS_SCHEMAS:
        raise SchemaError(
            f"record set {name!r} follows {records_schema!r}, not one of "
            f"{', '.join(sorted(RECORDS_SCHEMAS))}"
        )
    if type(records) is dict and records.get("schema") != records_schema:
        raise SchemaError(f"record set {name!r} does not follow the bundle's {records_schema}")
    try:
        check_record_set(records)
    except SchemaError as error:
        raise SchemaError(f"record set {name!r}: {error}") from None


def stated_distribution(seizure: Mapping[str, Any]) -> Mapping[str, Any] | None:
    """The originator's ``distribution`` of a (valid) seizure record; None under schema v1."""
    value = seizure.get("distribution")
    return value if isinstance(value, Mapping) else None


def picture_hashes(value: Mapping[str, Any]) -> set[str]:
    """Every picture sha256 that a (valid) record set refers to."""
    return {
        picture["sha256"]
        for record_type in RECORD_TYPES
        for record in value[record_type]
        for picture in record["pictures"]
    }

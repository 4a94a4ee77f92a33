"""Mapping files: which column of a spreadsheet goes to which field of which record.

A mapping (YAML or JSON, documented in docs/import-spreadsheets.md, modelled on
FollowTheMoney's entity mappings) says what one row is (``record``: seizure, person, company
or conveyance) and, for a seizure, which persons, companies and conveyances the row also names
and in which role. Each field is written as

- ``Column name`` (shorthand for ``{column: ...}``);
- ``{column: A}``, or ``{columns: [A, B], join: " "}`` to join several columns;
- ``{value: X}`` for a constant;
- ``{..., split: ","}`` to cut a cell into a list (nationalities, aliases, transit countries);
- ``{..., codes: {Heroin: DRUGS}}`` to map the file's values to the node's codes (compared
  without case; values not listed pass through and are checked by the service).

``dates`` (``formats``, ``day_first``) and ``numbers`` (``decimal``, ``thousands``) say how
the file writes them. `parse_mapping` validates the structure, naming the place of every error
(``persons.0.fields.full_name``); `check_columns` refuses a mapping that names columns the
file does not have. Pure: no database.
"""

from __future__ import annotations

import json
from collections.abc import Mapping as MappingABC
from dataclasses import dataclass, field
from typing import Any

import yaml

from ncen.errors import NcenError

RECORD_TYPES = ("seizure", "person", "company", "conveyance")
LINKED = {"persons": "person", "companies": "company", "conveyances": "conveyance"}
MAX_MAPPING_BYTES = 200_000

# The fields each record type takes from a row, and the kind of value each is.
# text: one-line or long text; date / datetime / decimal / integer: parsed per the mapping;
# list: split into several values; any_date: a date that may lie in the future (expiry).
FIELDS: dict[str, dict[str, str]] = {
    "seizure": {
        **dict.fromkeys(
            (
                "reference",
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
                "handling_code",
                "handling_restrictions",
            ),
            "text",
        ),
        "occurred_at": "datetime",
        "information_grade": "integer",
        "transit_countries": "list",
        "concealment_methods": "list",
    },
    "item": {
        **dict.fromkeys(
            ("commodity_group", "hs_code", "description", "brand", "unit", "currency"), "text"
        ),
        "quantity": "decimal",
        "estimated_value": "decimal",
    },
    "person": {
        **dict.fromkeys(
            (
                "full_name",
                "given_names",
                "family_name",
                "patronymic",
                "gender",
                "birth_place",
                "birth_country",
                "document_type",
                "document_number",
                "document_country",
                "address_line",
                "address_city",
                "address_postcode",
                "address_country",
                "phone",
                "email",
                "description",
                "handling_code",
                "handling_restrictions",
            ),
            "text",
        ),
        "birth_date": "partial_date",
        "birth_year": "integer",
        "documents": "list",
        "document_expires": "any_date",
        "nationalities": "list",
        "aliases": "list",
    },
    "company": {
        **dict.fromkeys(
            (
                "name",
                "country",
                "registration_number",
                "tax_number",
                "aeo_status",
                "address_line",
                "address_city",
                "address_country",
                "description",
                "handling_code",
                "handling_restrictions",
            ),
            "text",
        ),
        "aliases": "list",
    },
    "conveyance": {
        "identifiers": "list",
        **dict.fromkeys(
            (
                "kind",
                "name",
                "flag",
                "description",
                "plate",
                "plate_country",
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
                "handling_code",
                "handling_restrictions",
            ),
            "text",
        ),
    },
}


class MappingError(NcenError):
    """The mapping is malformed or does not fit the file; ``errors`` maps places to reasons."""

    def __init__(self, errors: dict[str, str]) -> None:
        self.errors = errors
        super().__init__(
            "the mapping has errors: " + "; ".join(f"{k}: {v}" for k, v in errors.items())
        )


@dataclass(frozen=True, slots=True)
class FieldSpec:
    """Where one field's value comes from: columns joined, or a constant; then split/codes."""

    columns: tuple[str, ...] = ()
    value: str | None = None
    join: str = " "
    split: str | None = None
    codes: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class EntitySpec:
    """One record a row makes: its type, role (linked records), id columns and fields."""

    kind: str
    fields: dict[str, FieldSpec]
    id_columns: tuple[str, ...] = ()
    role: str | None = None
    items: tuple[dict[str, FieldSpec], ...] = ()


@dataclass(frozen=True, slots=True)
class Mapping:
    """A whole mapping: the row's main record, the records linked to it, and formats."""

    record: str
    main: EntitySpec
    linked: tuple[EntitySpec, ...] = ()
    source: str | None = None
    date_formats: tuple[str, ...] = ()
    day_first: bool = True
    decimal: str = "."
    thousands: str = ""

    def entities(self) -> tuple[EntitySpec, ...]:
        """The main record first, then the linked ones in mapping order."""
        return (self.main, *self.linked)

    def columns(self) -> set[str]:
        """Every column the mapping reads."""
        names: set[str] = set()
        for entity in self.entities():
            names.update(entity.id_columns)
            for spec in [*entity.fields.values(), *(s for i in entity.items for s in i.values())]:
                names.update(spec.columns)
        return names


def load_mapping(text: str | bytes) -> Mapping:
    """Parse and validate a mapping file (YAML, of which JSON is a subset). Raises
    `MappingError`."""
    if len(text) > MAX_MAPPING_BYTES:
        raise MappingError({"mapping": f"is larger than {MAX_MAPPING_BYTES} bytes"})
    try:
        raw = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark is not None else "mapping"
        raise MappingError({where: f"is not valid YAML ({getattr(exc, 'problem', exc)})"}) from exc
    return parse_mapping(raw)


def dump_mapping(raw: dict[str, Any]) -> str:
    """A mapping document as YAML text (keys in the given order, Unicode kept)."""
    return yaml.safe_dump(raw, sort_keys=False, allow_unicode=True, width=100)


def to_json(raw: dict[str, Any]) -> str:
    """A mapping document as JSON text."""
    return json.dumps(raw, ensure_ascii=False, indent=2)


def parse_mapping(raw: Any) -> Mapping:  # noqa: PLR0912 - one check per key, in file order
    """Validate a parsed mapping document; every error at once, keyed by its place."""
    errors: dict[str, str] = {}
    if not isinstance(raw, dict):
        raise MappingError({"mapping": "must be a YAML or JSON object"})
    known = {"record", "source", "dates", "numbers", *RECORD_TYPES, *LINKED}
    for key in raw:
        if key not in known:
            errors[str(key)] = "is not a key of a mapping (see docs/import-spreadsheets.md)"
    record = raw.get("record")
    if record not in RECORD_TYPES:
        errors["record"] = f"must be one of {', '.join(RECORD_TYPES)}"
        raise MappingError(errors)
    source = raw.get("source")
    if source is not None and (not isinstance(source, str) or not 0 < len(source) <= 64):
        errors["source"] = "must be a short text (at most 64 characters)"
    main = _entity(raw.get(record), record, record, None, errors)
    linked: list[EntitySpec] = []
    for key, kind in LINKED.items():
        if key not in raw:
            continue
        if record != "seizure":
            errors[key] = "linked records are only read with record: seizure"
            continue
        entries = raw[key]
        if not isinstance(entries, list):
            errors[key] = "must be a list"
            continue
        for i, entry in enumerate(entries):
            spec = _entity(entry, kind, f"{key}.{i}", "role", errors)
            if spec is not None:
                linked.append(spec)
    dates = _section(raw, "dates", {"formats", "day_first"}, errors)
    numbers = _section(raw, "numbers", {"decimal", "thousands"}, errors)
    formats = dates.get("formats", [])
    if isinstance(formats, str):
        formats = [formats]
    if not isinstance(formats, list) or not all(isinstance(f, str) and "%" in f for f in formats):
        errors["dates.formats"] = "must be a list of formats such as %d/%m/%Y"
        formats = []
    day_first = dates.get("day_first", True)
    if not isinstance(day_first, bool):
        errors["dates.day_first"] = "must be true or false"
    decimal = numbers.get("decimal", ".")
    if decimal not in (".", ","):
        errors["numbers.decimal"] = "must be . or ,"
    thousands = numbers.get("thousands", "")
    if not isinstance(thousands, str) or any(c.isalnum() for c in thousands):
        errors["numbers.thousands"] = "must be the grouping characters, e.g. ' .' or ','"
    if errors or main is None:
        raise MappingError(errors or {record: "is required"})
    return Mapping(
        record=record,
        main=main,
        linked=tuple(linked),
        source=source,
        date_formats=tuple(formats),
        day_first=bool(day_first),
        decimal=str(decimal),
        thousands=str(thousands),
    )


def _section(raw: dict[str, Any], key: str, allowed: set[str], errors: dict[str, str]) -> Any:
    value = raw.get(key) or {}
    if not isinstance(value, dict):
        errors[key] = "must be an object"
        return {}
    for sub in value:
        if sub not in allowed:
            errors[f"{key}.{sub}"] = f"is not an option of {key}"
    return value


def _entity(
    raw: Any, kind: str, place: str, role_key: str | None, errors: dict[str, str]
) -> EntitySpec | None:
    if not isinstance(raw, dict):
        errors[place] = "must be an object with fields"
        return None
    allowed = {"id", "fields", *(["items"] if kind == "seizure" else []), *([role_key])}
    for key in raw:
        if key not in allowed and key != role_key:
            errors[f"{place}.{key}"] = (
                f"is not a key of a {kind} (use {', '.join(sorted(allowed - {None}))})"  # type: ignore[arg-type]
            )
    role = raw.get(role_key) if role_key else None
    if role_key and (not isinstance(role, str) or not role.strip()):
        errors[f"{place}.{role_key}"] = "is required: the role code of the link (e.g. offender)"
    ids = raw.get("id", [])
    ids = [ids] if isinstance(ids, str) else ids
    if not isinstance(ids, list) or not all(isinstance(c, str) and c for c in ids):
        errors[f"{place}.id"] = "must be a column name or a list of them"
        ids = []
    fields = _fields(raw.get("fields"), kind, f"{place}.fields", errors)
    items: list[dict[str, FieldSpec]] = []
    if kind == "seizure":
        raw_items = raw.get("items", [])
        if not isinstance(raw_items, list):
            errors[f"{place}.items"] = "must be a list"
            raw_items = []
        for i, item in enumerate(raw_items):
            items.append(_fields(item, "item", f"{place}.items.{i}", errors))
    if not fields and not (kind == "seizure" and items):
        errors.setdefault(f"{place}.fields", "must map at least one field")
    return EntitySpec(
        kind, fields, tuple(ids), role.strip() if isinstance(role, str) else None, tuple(items)
    )


def _fields(raw: Any, kind: str, place: str, errors: dict[str, str]) -> dict[str, FieldSpec]:
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        errors[place] = "must be an object of field: column"
        return {}
    specs: dict[str, FieldSpec] = {}
    for name, value in raw.items():
        where = f"{place}.{name}"
        if name not in FIELDS[kind]:
            errors[where] = f"is not a field of a {kind} (see docs/import-spreadsheets.md)"
            continue
        spec = _field(value, where, errors)
        if spec is not None:
            specs[name] = spec
    return specs


def _field(  # noqa: PLR0911 - each shape of a field is refused with its own reason
    raw: Any, where: str, errors: dict[str, str]
) -> FieldSpec | None:
    if isinstance(raw, str):
        return FieldSpec(columns=(raw,))
    if isinstance(raw, (int, float)) and not isinstance(raw, bool):
        return FieldSpec(value=str(raw))
    if not isinstance(raw, MappingABC):
        errors[where] = "must be a column name or an object"
        return None
    unknown = set(raw) - {"column", "columns", "value", "join", "split", "codes"}
    if unknown:
        errors[where] = f"has unknown keys: {', '.join(sorted(map(str, unknown)))}"
        return None
    columns = raw.get("columns") or ([raw["column"]] if "column" in raw else [])
    value = raw.get("value")
    if not isinstance(columns, list) or not all(isinstance(c, str) and c for c in columns):
        errors[where] = "column(s) must be column names"
        return None
    if bool(columns) == (value is not None):
        errors[where] = "give either column(s) or a value"
        return None
    codes = raw.get("codes") or {}
    if not isinstance(codes, MappingABC) or not all(
        isinstance(v, (str, int)) for v in codes.values()
    ):
        errors[f"{where}.codes"] = "must map file values to codes"
        return None
    join, split = raw.get("join", " "), raw.get("split")
    if not isinstance(join, str) or (
        split is not None and (not isinstance(split, str) or not split)
    ):
        errors[where] = "join and split must be texts"
        return None
    return FieldSpec(
        columns=tuple(columns),
        value=None if value is None else str(value),
        join=join,
        split=split,
        codes={str(k).strip().casefold(): str(v) for k, v in codes.items()},
    )


def check_columns(mapping: Mapping, header: tuple[str, ...]) -> None:
    """Raise `MappingError` naming each column the mapping reads that ``header`` lacks."""
    present = {h.strip().casefold() for h in header}
    missing = sorted(c for c in mapping.columns() if c.strip().casefold() not in present)
    if missing:
        raise MappingError(
            {f"column {name}": "is not in the file's header row" for name in missing}
        )

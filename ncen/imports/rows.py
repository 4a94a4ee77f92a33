"""One spreadsheet row → the data each record service takes, following a mapping.

`plan_row` reads a row's cells through the mapping (joins, splits, constants, code maps, date
and number formats) and returns a `RowPlan`: one `RecordData` per record the row makes, each
with the mapping ``data`` the service (`ncen.seizures.services`, `ncen.persons.services`...)
validates, and the record's id in its source. Cells that cannot be read (a date that is no
date, a placeholder date, a number with letters) become `Problem`s naming the column. Pure: no
database; validation of codes and identifiers is the services' (`column_of` turns a service's
error path back into the column to blame).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ncen.imports.mapping import FIELDS, EntitySpec, FieldSpec, Mapping
from ncen.imports.readers import Row, Table
from ncen.imports.values import (
    CellError,
    parse_date,
    parse_datetime,
    parse_decimal,
    parse_partial_date,
)
from ncen.persons.models import DocumentType

# =SUM(A1:A3), +HYPERLINK(...), @cmd(...): a formula written out as text by a CSV export.
_FORMULA = re.compile(r"[=+\-@]\s*[A-Za-z_][A-Za-z0-9_.]*\s*\(")
_NEUTRALISED = re.compile(r"'[=+\-@\t\r]")
_DOCUMENT_TYPES = frozenset(t.value for t in DocumentType)
_GENDERS = {"female": "F", "f": "F", "woman": "F", "male": "M", "m": "M", "man": "M"}
_IDENTIFIER_FIELDS = (
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
)
# A service's error path (its first segments) → the mapping field whose column is to blame.
_BLAME = {
    "person": {
        "names.0": "full_name",
        "names": "full_name",
        "birth_date": "birth_date",
        "birth_year": "birth_date",
        "birth_month": "birth_date",
        "birth_day": "birth_date",
        "documents.0.doc_type": "document_type",
        "documents.0.number": "document_number",
        "documents.0.issuing_country": "document_country",
        "documents.0.expires_on": "document_expires",
        "addresses.0.line": "address_line",
        "addresses.0.city": "address_city",
        "addresses.0.postcode": "address_postcode",
        "addresses.0.country": "address_country",
        "contacts": "phone",
    },
    "company": {"names.0": "name", "names": "name"},
    "conveyance": {f"identifiers.{i}": n for i, n in enumerate(_IDENTIFIER_FIELDS)},
}


@dataclass(frozen=True, slots=True)
class Problem:
    """Why (part of) a row is refused: the row number, the column to look at, the reason."""

    row: int
    column: str
    reason: str


@dataclass(slots=True)
class RecordData:
    """One record a row makes: ``data`` for its service, its source id, how to blame errors."""

    spec: EntitySpec
    data: dict[str, Any]
    source_id: str | None
    # service data key -> field name, for the items and identifiers actually present
    positions: dict[str, str] = field(default_factory=dict)

    def column_of(self, path: str) -> str:
        """The column(s) behind the service's error ``path`` (or the path itself)."""
        if path.startswith("items.") and self.spec.kind == "seizure":
            _, index, *rest = path.split(".")
            if index.isdigit() and int(index) < len(self.spec.items) and rest:
                return _columns(self.spec.items[int(index)].get(rest[0]), rest[0])
        blame = {**_BLAME.get(self.spec.kind, {}), **self.positions}
        name = path.split(".", maxsplit=1)[0]
        for prefix in sorted(blame, key=len, reverse=True):
            if path == prefix or path.startswith(prefix + "."):
                name = blame[prefix]
                break
        return _columns(self.spec.fields.get(name), name)


@dataclass(slots=True)
class RowPlan:
    """A row read through the mapping: its records (main first) or its problems."""

    row: int
    records: list[RecordData]
    problems: list[Problem]


def _columns(spec: FieldSpec | None, name: str) -> str:
    if spec is None or not spec.columns:
        return name
    return " + ".join(spec.columns)


class _Reader:
    """Reads fields of one row; problems are collected, bad cells read as missing."""

    def __init__(self, mapping: Mapping, table: Table, row: Row, today: dt.date) -> None:
        self.mapping, self.table, self.row, self.today = mapping, table, row, today
        self.problems: list[Problem] = []

    def raw(self, spec: FieldSpec) -> str | None:
        if spec.value is not None:
            return spec.value
        parts = []
        for column in spec.columns:
            index = self.table.column(column)
            cell = self.row.cells[index] if index is not None else ""
            if _FORMULA.match(cell):
                self.problems.append(
                    Problem(
                        self.row.number,
                        column,
                        f"{cell[:40]} is a spreadsheet formula, not a value: save the sheet "
                        "with values (or as XLSX, whose computed values are read)",
                    )
                )
                continue
            if _NEUTRALISED.match(cell):
                # A cell an export neutralised ('=...) so that spreadsheets would not run it.
                cell = cell[1:]
            if cell:
                parts.append(cell)
        return spec.join.join(parts) if parts else None

    def value(self, spec: FieldSpec, kind: str) -> Any:
        text = self.raw(spec)
        if text is None:
            return None
        if kind == "list":
            values = [v.strip() for v in text.split(spec.split)] if spec.split else [text]
            return [self._code(spec, v) for v in values if v]
        text = self._code(spec, text)
        try:
            return self._typed(text, kind)
        except CellError as exc:
            self.problems.append(Problem(self.row.number, _columns(spec, ""), str(exc)))
            return None

    def _code(self, spec: FieldSpec, text: str) -> str:
        return spec.codes.get(text.strip().casefold(), text) if spec.codes else text

    def _typed(self, text: str, kind: str) -> Any:
        m = self.mapping
        if kind == "datetime":
            moment = parse_datetime(text, m.date_formats, day_first=m.day_first)
            return moment.replace(tzinfo=dt.UTC).isoformat()
        if kind == "partial_date":
            return parse_partial_date(
                text, formats=m.date_formats, day_first=m.day_first, today=self.today
            )
        if kind in ("date", "any_date"):
            today = self.today if kind == "date" else dt.date.max
            return parse_date(text, m.date_formats, day_first=m.day_first, today=today)
        if kind == "decimal":
            return str(parse_decimal(text, m.decimal, m.thousands))
        if kind == "integer":
            number = parse_decimal(text, m.decimal, m.thousands)
            if number != number.to_integral_value():
                raise CellError(f"{text} is not a whole number")
            return int(number)
        return text

    def fields(self, specs: dict[str, FieldSpec], kind: str) -> dict[str, Any]:
        types = FIELDS[kind]
        values = {name: self.value(spec, types[name]) for name, spec in specs.items()}
        return {k: v for k, v in values.items() if v not in (None, [])}

    def source_id(self, spec: EntitySpec) -> str | None:
        parts = []
        for column in spec.id_columns:
            index = self.table.column(column)
            parts.append(self.row.cells[index] if index is not None else "")
        joined = "/".join(parts)
        return joined if joined.strip("/") else None


def plan_row(mapping: Mapping, table: Table, row: Row, today: dt.date | None = None) -> RowPlan:
    """Read ``row`` of ``table`` through ``mapping``. Pure."""
    reader = _Reader(mapping, table, row, today or dt.date.today())
    if row.problem is not None:
        reader.problems.append(Problem(row.number, "row", row.problem))
    records: list[RecordData] = []
    for spec in mapping.entities():
        values = reader.fields(spec.fields, spec.kind)
        items = [reader.fields(item, "item") for item in spec.items]
        from_cells = [n for n, f in spec.fields.items() if f.columns and n in values]
        if spec is not mapping.main and not from_cells:
            continue  # this row names no such linked record (its cells are empty)
        data, positions = _BUILDERS[spec.kind](values, [i for i in items if i])
        records.append(RecordData(spec, data, reader.source_id(spec), positions))
    return RowPlan(row.number, records, reader.problems)


def _seizure(values: dict[str, Any], items: list[dict[str, Any]]) -> tuple[dict[str, Any], Any]:
    return {**values, "items": items}, {}


def _person(v: dict[str, Any], _items: Any) -> tuple[dict[str, Any], Any]:
    parts = ("full_name", "given_names", "family_name", "patronymic")
    name: dict[str, Any] = {k: v[k] for k in parts if k in v}
    names: list[dict[str, Any]] = [{**name, "kind": "primary"}] if name else []
    names += [{"full_name": alias, "kind": "alias"} for alias in v.get("aliases", [])]
    data: dict[str, Any] = {"names": names}
    gender = v.get("gender")
    if gender is not None:
        data["gender"] = _GENDERS.get(gender.strip().casefold(), gender.strip().upper())
    birth = v.get("birth_date")
    if isinstance(birth, tuple):
        year, month, day = birth
        data["birth_year"] = year
        data.update({k: x for k, x in (("birth_month", month), ("birth_day", day)) if x})
    elif "birth_year" in v:
        data["birth_year"] = v["birth_year"]
    for key in ("birth_place", "birth_country", "nationalities", "description"):
        if key in v:
            data[key] = v[key]
    if "document_number" in v:
        expires = v.get("document_expires")
        document = {
            "doc_type": v.get("document_type", "passport"),
            "number": v["document_number"],
            "issuing_country": v.get("document_country"),
            "expires_on": expires.isoformat() if isinstance(expires, dt.date) else None,
        }
        data["documents"] = [{k: x for k, x in document.items() if x is not None}]
    for text in v.get("documents", []):
        data.setdefault("documents", []).append(_document(text))
    if "address_line" in v:
        address = {k: v.get(f"address_{k}") for k in ("line", "city", "postcode", "country")}
        data["addresses"] = [{k: x for k, x in address.items() if x is not None}]
    contacts = [{"kind": k, "value": v[k]} for k in ("phone", "email") if k in v]
    if contacts:
        data["contacts"] = contacts
    _handling(v, data)
    return data, {}


def _document(text: str) -> dict[str, str]:
    """``passport P123 (RU)`` (the node's CSV export) as a document; a bare number is a
    passport."""
    match = re.fullmatch(r"(?:([a-z_]+) )?(.+?)(?: \(([A-Z]{2})\))?", text.strip())
    if match is None:
        return {"doc_type": "other", "number": text.strip()}
    kind, number, country = match.groups()
    if kind is not None and kind not in _DOCUMENT_TYPES:
        kind, number = None, f"{kind} {number}"
    document = {"doc_type": kind or "passport", "number": number}
    if country:
        document["issuing_country"] = country
    return document


def _company(v: dict[str, Any], _items: Any) -> tuple[dict[str, Any], Any]:
    names = [{"name": v["name"], "kind": "primary"}] if "name" in v else []
    names += [{"name": alias, "kind": "alias"} for alias in v.get("aliases", [])]
    data: dict[str, Any] = {"names": names}
    for key in FIELDS["company"]:
        if key not in ("name", "aliases") and key in v:
            data[key] = v[key].lower() if key == "aeo_status" else v[key]
    return data, {}


def _conveyance(v: dict[str, Any], _items: Any) -> tuple[dict[str, Any], Any]:
    data: dict[str, Any] = {k: v[k] for k in ("kind", "name", "flag", "description") if k in v}
    if "kind" in data:
        data["kind"] = data["kind"].strip().lower().replace(" ", "_")
    identifiers: list[dict[str, str]] = []
    positions: dict[str, str] = {}
    for key in _IDENTIFIER_FIELDS:
        if key in v:
            positions[f"identifiers.{len(identifiers)}"] = key
            ident = {"kind": key, "value": v[key]}
            if key == "plate" and "plate_country" in v:
                ident["country"] = v["plate_country"]
            identifiers.append(ident)
    for text in v.get("identifiers", []):
        # ``plate:A123BC`` (the node's CSV export): the kind, then the value.
        kind, _, value = text.partition(":")
        positions[f"identifiers.{len(identifiers)}"] = "identifiers"
        identifiers.append({"kind": kind.strip(), "value": value.strip()})
    data["identifiers"] = identifiers
    _handling(v, data)
    return data, positions


def _handling(v: dict[str, Any], data: dict[str, Any]) -> None:
    for key in ("handling_code", "handling_restrictions"):
        if key in v:
            data[key] = v[key]


_Builder = Callable[[dict[str, Any], list[dict[str, Any]]], tuple[dict[str, Any], Any]]
_BUILDERS: dict[str, _Builder] = {
    "seizure": _seizure,
    "person": _person,
    "company": _company,
    "conveyance": _conveyance,
}

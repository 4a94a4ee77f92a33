"""Records as a table: the columns of a CSV or XLSX export, named after the records' fields.

A `Table` has `Column`s and rows of plain values (text, numbers, dates, code values). A
column whose values are codes names its code list (``code_list``, a reference table such as
``countries``) or its enumeration (``enum``, a kind of `web.labels.enum_label`): writers then
give two columns, ``<name>_code`` with the code and ``<name>`` with its label in the reader's
language (the CSV rule of `web.csvexport`). A multi-valued column (``multi``) holds a tuple;
writers join its codes with a space and its labels with ``"; "``.

Column names are the contract with the importer (docs/exports.md lists them): they are the
field names of the records and never change with the language.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ncen.companies.models import Company, CompanyName
from ncen.conveyances.models import Conveyance, ConveyanceIdentifier
from ncen.persons.models import Person, PersonName
from ncen.records import RecordMixin
from ncen.seizures.models import (
    Seizure,
    SeizureCompany,
    SeizureConcealment,
    SeizureConveyance,
    SeizureItem,
    SeizurePerson,
    SeizureTransitCountry,
)

Value = str | int | Decimal | date | datetime | tuple[str, ...] | None


@dataclass(frozen=True)
class Column:
    """One column: its field name and, for coded values, where their labels come from."""

    name: str
    code_list: str | None = None  # a reference table (countries, transport_modes...)
    enum: str | None = None  # an enumeration kind (status, handling, gender...)
    multi: bool = False  # several codes in one cell (a tuple)

    @property
    def coded(self) -> bool:
        """True when the column holds codes (written as a code and a label column)."""
        return self.code_list is not None or self.enum is not None


@dataclass
class Table:
    """Rows of one record type, ready for a writer (a list, or a stream read once)."""

    record_type: str
    columns: list[Column]
    rows: Iterable[list[Value]] = field(default_factory=list)


def _common_tail() -> list[Column]:
    return [
        Column("handling_code", enum="handling"),
        Column("handling_restrictions"),
        Column("origin_node"),
        Column("origin_id"),
        Column("version"),
        Column("updated_at"),
    ]


def _tail(record: RecordMixin) -> list[Value]:
    return [
        record.handling_code.value,
        record.handling_restrictions,
        record.origin_node,
        record.origin_id,
        record.version,
        record.updated_at,
    ]


SEIZURE_COLUMNS = [
    Column("id"),
    Column("reference"),
    Column("occurred_at"),
    Column("status", enum="status"),
    Column("direction", enum="direction"),
    Column("office_code", code_list="customs_offices"),
    Column("place"),
    Column("locode"),
    Column("location_type", code_list="location_types"),
    Column("transport_mode", code_list="transport_modes"),
    Column("detection_method", code_list="detection_methods"),
    Column("detection_technique", code_list="detection_techniques"),
    Column("concealment_methods", code_list="concealment_methods", multi=True),
    Column("concealment_description"),
    Column("departure_country", code_list="countries"),
    Column("transit_countries", code_list="countries", multi=True),
    Column("destination_country", code_list="countries"),
    Column("commodity_groups", code_list="commodity_groups", multi=True),
    Column("items"),
    Column("persons"),
    Column("companies"),
    Column("conveyances"),
    Column("narrative"),
    Column("source_reliability", enum="reliability"),
    Column("information_grade"),
    *_common_tail(),
]


def _item_text(item: object) -> str:
    parts = [
        getattr(item, "commodity_group", None),
        getattr(item, "hs_code", None),
        str(getattr(item, "quantity", "") or ""),
        getattr(item, "unit", None),
        getattr(item, "description", None),
    ]
    return " ".join(str(p) for p in parts if p)


def _link_texts(session: Session, ids: Sequence[uuid.UUID]) -> dict[str, dict[uuid.UUID, str]]:
    """Per seizure, its linked persons, companies and conveyances as ``name (role)`` texts:
    three queries for the whole batch, never one per seizure."""
    out: dict[str, dict[uuid.UUID, list[str]]] = {
        "persons": defaultdict(list),
        "companies": defaultdict(list),
        "conveyances": defaultdict(list),
    }
    persons = select(SeizurePerson.seizure_id, PersonName.full_name, SeizurePerson.role).join(
        PersonName, (PersonName.person_id == SeizurePerson.person_id) & (PersonName.position == 0)
    )
    companies = select(SeizureCompany.seizure_id, CompanyName.name, SeizureCompany.role).join(
        CompanyName,
        (CompanyName.company_id == SeizureCompany.company_id) & (CompanyName.position == 0),
    )
    for key, stmt, model in (
        ("persons", persons, SeizurePerson),
        ("companies", companies, SeizureCompany),
    ):
        for sid, name, role in session.execute(stmt.where(model.seizure_id.in_(ids))):
            out[key][sid].append(f"{name} ({role})")
    # Columns, not mapped objects: a conveyance's display name (`Conveyance.display_name`:
    # its name, else its first identifier, else its kind) computed by the database.
    first_identifier = (
        select(func.upper(ConveyanceIdentifier.kind) + " " + ConveyanceIdentifier.value)
        .where(ConveyanceIdentifier.conveyance_id == Conveyance.id)
        .order_by(ConveyanceIdentifier.id)
        .limit(1)
        .scalar_subquery()
    )
    label = func.coalesce(Conveyance.name, first_identifier, Conveyance.kind)
    conveyances = (
        select(SeizureConveyance.seizure_id, label, SeizureConveyance.role)
        .join(Conveyance, Conveyance.id == SeizureConveyance.conveyance_id)
        .where(SeizureConveyance.seizure_id.in_(ids))
    )
    for sid, name, role in session.execute(conveyances):
        out["conveyances"][sid].append(f"{name} ({role})")
    return {k: {sid: " | ".join(sorted(v)) for sid, v in d.items()} for k, d in out.items()}


@dataclass
class _Children:
    """A batch's items, transit countries and concealment methods, per seizure."""

    items: dict[uuid.UUID, list[Any]] = field(default_factory=lambda: defaultdict(list))
    transits: dict[uuid.UUID, list[str]] = field(default_factory=lambda: defaultdict(list))
    concealments: dict[uuid.UUID, list[str]] = field(default_factory=lambda: defaultdict(list))


def _children(session: Session, ids: Sequence[uuid.UUID]) -> _Children:
    """Three queries of columns for the whole batch: no mapped object per child row (the
    callers' statements leave the collections unloaded, `WITHOUT_COLLECTIONS`)."""
    found = _Children()
    items = (
        select(
            SeizureItem.seizure_id,
            SeizureItem.commodity_group,
            SeizureItem.hs_code,
            SeizureItem.quantity,
            SeizureItem.unit,
            SeizureItem.description,
        )
        .where(SeizureItem.seizure_id.in_(ids))
        .order_by(SeizureItem.seizure_id, SeizureItem.position)
    )
    for item in session.execute(items):
        found.items[item.seizure_id].append(item)
    transits = select(SeizureTransitCountry.seizure_id, SeizureTransitCountry.country).where(
        SeizureTransitCountry.seizure_id.in_(ids)
    )
    for sid, country in session.execute(transits.order_by(SeizureTransitCountry.position)):
        found.transits[sid].append(country)
    concealments = select(SeizureConcealment.seizure_id, SeizureConcealment.method).where(
        SeizureConcealment.seizure_id.in_(ids)
    )
    for sid, method in session.execute(concealments.order_by(SeizureConcealment.method)):
        found.concealments[sid].append(method)
    return found


def seizure_rows(session: Session, seizures: Sequence[Seizure]) -> list[list[Value]]:
    """The rows of ``seizures`` (in order) under `SEIZURE_COLUMNS`."""
    ids = [s.id for s in seizures]
    links = _link_texts(session, ids)
    children = _children(session, ids)
    rows: list[list[Value]] = []
    for s in seizures:
        items = children.items.get(s.id, [])
        rows.append(
            [
                str(s.id),
                s.reference,
                s.occurred_at,
                s.status.value,
                s.direction.value if s.direction else None,
                s.office_code,
                s.place,
                s.locode,
                s.location_type,
                s.transport_mode,
                s.detection_method,
                s.detection_technique,
                tuple(children.concealments.get(s.id, ())),
                s.concealment_description,
                s.departure_country,
                tuple(children.transits.get(s.id, ())),
                s.destination_country,
                tuple(dict.fromkeys(i.commodity_group for i in items)),
                " | ".join(_item_text(i) for i in items),
                links["persons"].get(s.id),
                links["companies"].get(s.id),
                links["conveyances"].get(s.id),
                s.narrative,
                s.source_reliability.value,
                s.information_grade,
                *_tail(s),
            ]
        )
    return rows


PERSON_COLUMNS = [
    Column("id"),
    Column("full_name"),
    Column("other_names"),
    Column("gender", enum="gender"),
    Column("birth_date"),
    Column("birth_place"),
    Column("birth_country", code_list="countries"),
    Column("nationalities", code_list="countries", multi=True),
    Column("documents"),
    Column("addresses"),
    Column("contacts"),
    Column("description"),
    *_common_tail(),
]


def _partial_date(year: int | None, month: int | None, day: int | None) -> str | None:
    if year is None:
        return None
    text = f"{year:04d}"
    if month is not None:
        text += f"-{month:02d}"
        if day is not None:
            text += f"-{day:02d}"
    return text


def person_rows(persons: Sequence[Person]) -> list[list[Value]]:
    """The rows of ``persons`` under `PERSON_COLUMNS` (birth date partial: ``YYYY[-MM[-DD]]``)."""
    rows: list[list[Value]] = []
    for p in persons:
        rows.append(
            [
                str(p.id),
                p.display_name,
                " | ".join(n.full_name for n in p.names if n.full_name != p.display_name),
                p.gender.value,
                _partial_date(p.birth_year, p.birth_month, p.birth_day),
                p.birth_place,
                p.birth_country,
                tuple(sorted(n.country for n in p.nationalities)),
                " | ".join(
                    f"{d.doc_type.value} {d.number}"
                    + (f" ({d.issuing_country})" if d.issuing_country else "")
                    for d in p.documents
                ),
                " | ".join(
                    ", ".join(x for x in (a.line, a.postcode, a.city, a.country) if x)
                    for a in p.addresses
                ),
                " | ".join(f"{c.kind.value} {c.value}" for c in p.contacts),
                p.description,
                *_tail(p),
            ]
        )
    return rows


COMPANY_COLUMNS = [
    Column("id"),
    Column("name"),
    Column("other_names"),
    Column("country", code_list="countries"),
    Column("registration_number"),
    Column("tax_number"),
    Column("aeo_status", enum="aeo"),
    Column("address_line"),
    Column("address_city"),
    Column("address_country", code_list="countries"),
    Column("description"),
    *_common_tail(),
]


def company_rows(companies: Sequence[Company]) -> list[list[Value]]:
    """The rows of ``companies`` under `COMPANY_COLUMNS`."""
    return [
        [
            str(c.id),
            c.display_name,
            " | ".join(n.name for n in c.names if n.name != c.display_name),
            c.country,
            c.registration_number,
            c.tax_number,
            c.aeo_status.value,
            c.address_line,
            c.address_city,
            c.address_country,
            c.description,
            *_tail(c),
        ]
        for c in companies
    ]


CONVEYANCE_COLUMNS = [
    Column("id"),
    Column("kind", enum="conveyance_kind"),
    Column("name"),
    Column("flag", code_list="countries"),
    Column("identifiers"),
    Column("description"),
    *_common_tail(),
]


def conveyance_rows(conveyances: Sequence[Conveyance]) -> list[list[Value]]:
    """The rows of ``conveyances`` under `CONVEYANCE_COLUMNS` (identifiers as ``kind:value``)."""
    return [
        [
            str(c.id),
            c.kind.value,
            c.name,
            c.flag,
            " | ".join(f"{i.kind.value}:{i.value}" for i in c.identifiers),
            c.description,
            *_tail(c),
        ]
        for c in conveyances
    ]


COLUMNS: dict[str, list[Column]] = {
    "seizure": SEIZURE_COLUMNS,
    "person": PERSON_COLUMNS,
    "company": COMPANY_COLUMNS,
    "conveyance": CONVEYANCE_COLUMNS,
}


def rows_of(
    session: Session, record_type: str, records: Sequence[RecordMixin]
) -> list[list[Value]]:
    """The rows of ``records`` of ``record_type`` under ``COLUMNS[record_type]``."""
    if record_type == "seizure":
        return seizure_rows(session, records)  # type: ignore[arg-type]
    if record_type == "person":
        return person_rows(records)  # type: ignore[arg-type]
    if record_type == "company":
        return company_rows(records)  # type: ignore[arg-type]
    return conveyance_rows(records)  # type: ignore[arg-type]

"""Records as a table: the columns of a CSV or XLSX export, named after the records' fields.

A `Table` (`ncen.exports.columns`) has `Column`s and rows of plain values (text, numbers,
dates, code values); seizures are in `ncen.exports.seizure_rows`. A column whose values are
codes names its code list (``code_list``, a reference table such as
``countries``) or its enumeration (``enum``, a kind of `web.labels.enum_label`): writers then
give two columns, ``<name>_code`` with the code and ``<name>`` with its label in the reader's
language (the CSV rule of `web.csvexport`). A multi-valued column (``multi``) holds a tuple;
writers join its codes with a space and its labels with ``"; "``.

Column names are the contract with the importer (docs/exports.md lists them): they are the
field names of the records and never change with the language.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.orm import Session

from ncen.companies.models import Company
from ncen.conveyances.models import Conveyance
from ncen.exports.columns import Column, Value, common_tail, tail
from ncen.exports.seizure_rows import SEIZURE_COLUMNS, seizure_rows
from ncen.persons.models import Person
from ncen.records import RecordMixin

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
    *common_tail(),
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
                *tail(p),
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
    *common_tail(),
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
            *tail(c),
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
    *common_tail(),
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
            *tail(c),
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

"""Reading persons: the filtered list statement and the audited detail view."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Row, Select, select
from sqlalchemy.orm import Session

from ncen.accounts.actor import Actor
from ncen.companies.models import Company, PersonCompany
from ncen.persons.models import (
    Gender,
    IdentityDocument,
    NameKind,
    Person,
    PersonName,
    PersonNationality,
)
from ncen.reading import note_read
from ncen.recordkeeping import get_live
from ncen.seizures.queries import linked_seizure_rows
from ncen.text import escape_like
from ncen.validation import check_filter_texts

SORTS = {"updated_at": Person.updated_at, "birth_year": Person.birth_year}


@dataclass(frozen=True)
class PersonFilters:
    """List filters (all optional). ``name`` is a plain substring match; analysts use search."""

    name: str | None = None
    document: str | None = None
    nationality: str | None = None
    gender: Gender | None = None
    birth_year: int | None = None
    foreign: bool | None = None

    def __post_init__(self) -> None:
        # Typed text reaches a query and the audit trail: refuse what may not be searched for.
        check_filter_texts(self.__dict__)

    def describe(self) -> dict[str, Any]:
        """The filters that are set, as JSON (for the audit trail)."""
        return {k: str(v) for k, v in self.__dict__.items() if v is not None}


def list_statement(
    filters: PersonFilters, *, sort: str = "updated_at", descending: bool = True
) -> Select[Person]:
    """Live persons matching ``filters``; ties broken by id so pages are stable."""
    stmt = select(Person).where(Person.deleted_at.is_(None))
    if filters.name:
        pattern = f"%{escape_like(filters.name)}%"
        stmt = stmt.where(
            Person.id.in_(
                select(PersonName.person_id).where(PersonName.full_name.ilike(pattern, escape="\\"))
            )
        )
    if filters.document:
        from ncen.identifiers import normalize_document_number

        stmt = stmt.where(
            Person.id.in_(
                select(IdentityDocument.person_id).where(
                    IdentityDocument.number_norm == normalize_document_number(filters.document)
                )
            )
        )
    if filters.nationality:
        stmt = stmt.where(
            Person.id.in_(
                select(PersonNationality.person_id).where(
                    PersonNationality.country == filters.nationality
                )
            )
        )
    if filters.gender:
        stmt = stmt.where(Person.gender == filters.gender)
    if filters.birth_year:
        stmt = stmt.where(Person.birth_year == filters.birth_year)
    if filters.foreign is not None:
        column = Person.origin_node
        stmt = stmt.where(column.is_not(None) if filters.foreign else column.is_(None))
    order = SORTS.get(sort, Person.updated_at)
    return stmt.order_by(order.desc() if descending else order.asc(), Person.id)


@dataclass
class PersonDetail:
    """A person with the seizures and companies linked to it, for the record page."""

    person: Person
    # (seizure, role): the seizure as a row of `ncen.seizures.queries.LINKED_COLUMNS`.
    seizures: list[tuple[Row[Any], str]] = field(default_factory=list)
    companies: list[tuple[uuid.UUID, Company, str]] = field(default_factory=list)


def read_person(session: Session, actor: Actor, person_id: uuid.UUID) -> PersonDetail:
    """The person, every seizure it is linked to (with role) and its companies. Audited.

    Raises `NotFoundError` or `PermissionDeniedError`.
    """
    note_read(session, actor, "person", record_id=person_id)
    person = get_live(session, Person, person_id, "person")
    detail = PersonDetail(person=person, seizures=linked_seizure_rows(session, "person", person_id))
    for link, company in session.execute(
        select(PersonCompany, Company)
        .join(Company, Company.id == PersonCompany.company_id)
        .where(PersonCompany.person_id == person_id, Company.deleted_at.is_(None))
    ).all():
        detail.companies.append((link.id, company, link.role))
    return detail


# What the person list shows of each person: a Core select of these columns (no ORM entity
# per row, no identity map, no collection loaders) costs a fraction of loading `Person`s.
LIST_COLUMNS = (
    Person.id,
    Person.origin_node,
    Person.handling_code,
    Person.gender,
    Person.birth_year,
    Person.birth_month,
    Person.birth_day,
    Person.updated_at,
)


def list_rows_statement(
    filters: PersonFilters, *, sort: str = "updated_at", descending: bool = True
) -> Select[Any]:
    """`list_statement` (same persons, same order) selecting `LIST_COLUMNS` only."""
    return list_statement(filters, sort=sort, descending=descending).with_only_columns(
        *LIST_COLUMNS
    )


@dataclass
class ListedPerson:
    """The collections the person list shows of one person: names (in name order, with their
    kind), nationality codes and document numbers (both in the order the record loads them)."""

    names: list[tuple[str, NameKind]] = field(default_factory=list)
    nationalities: list[str] = field(default_factory=list)
    documents: list[str] = field(default_factory=list)

    @property
    def display_name(self) -> str:
        """The name `Person.display_name` gives: the first primary name, else the first."""
        for full_name, kind in self.names:
            if kind is NameKind.PRIMARY:
                return full_name
        return self.names[0][0] if self.names else "(no name)"


def list_collections(
    session: Session, person_ids: list[uuid.UUID]
) -> dict[uuid.UUID, ListedPerson]:
    """Names, nationalities and document numbers of ``person_ids``: three statements for a
    whole page, shaped as the record's own collection loads (same tables, same conditions,
    same name order), so a person lists the same values in the same order as its page."""
    found = {person_id: ListedPerson() for person_id in person_ids}
    if not person_ids:
        return found
    for person_id, full_name, kind in session.execute(
        select(PersonName.person_id, PersonName.full_name, PersonName.kind)
        .where(PersonName.person_id.in_(person_ids))
        .order_by(PersonName.position)
    ):
        found[person_id].names.append((full_name, kind))
    for person_id, country in session.execute(
        select(PersonNationality.person_id, PersonNationality.country).where(
            PersonNationality.person_id.in_(person_ids)
        )
    ):
        found[person_id].nationalities.append(country)
    for person_id, number in session.execute(
        select(IdentityDocument.person_id, IdentityDocument.number).where(
            IdentityDocument.person_id.in_(person_ids)
        )
    ):
        found[person_id].documents.append(number)
    return found

"""Reading persons: the filtered list statement and the audited detail view."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from ncen.accounts.actor import Actor
from ncen.companies.models import Company, PersonCompany
from ncen.persons.models import Gender, IdentityDocument, Person, PersonName, PersonNationality
from ncen.reading import note_read
from ncen.recordkeeping import get_live
from ncen.seizures.models import Seizure
from ncen.seizures.queries import seizures_linked_to
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
    seizures: list[tuple[Seizure, str]] = field(default_factory=list)
    companies: list[tuple[uuid.UUID, Company, str]] = field(default_factory=list)


def read_person(session: Session, actor: Actor, person_id: uuid.UUID) -> PersonDetail:
    """The person, every seizure it is linked to (with role) and its companies. Audited.

    Raises `NotFoundError` or `PermissionDeniedError`.
    """
    note_read(session, actor, "person", record_id=person_id)
    person = get_live(session, Person, person_id, "person")
    detail = PersonDetail(person=person, seizures=seizures_linked_to(session, "person", person_id))
    for link, company in session.execute(
        select(PersonCompany, Company)
        .join(Company, Company.id == PersonCompany.company_id)
        .where(PersonCompany.person_id == person_id, Company.deleted_at.is_(None))
    ).all():
        detail.companies.append((link.id, company, link.role))
    return detail

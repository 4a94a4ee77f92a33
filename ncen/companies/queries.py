"""Reading companies: the filtered list statement and the audited detail view."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Select, or_, select
from sqlalchemy.orm import Session

from ncen.accounts.actor import Actor
from ncen.companies.models import Company, CompanyName, PersonCompany
from ncen.companies.services import normalize_registration
from ncen.persons.models import Person
from ncen.reading import note_read
from ncen.recordkeeping import get_live
from ncen.seizures.models import Seizure
from ncen.seizures.queries import seizures_linked_to
from ncen.text import escape_like
from ncen.validation import check_filter_texts


@dataclass(frozen=True)
class CompanyFilters:
    """List filters (all optional)."""

    name: str | None = None
    number: str | None = None  # registration or tax number
    country: str | None = None
    foreign: bool | None = None

    def __post_init__(self) -> None:
        # Typed text reaches a query and the audit trail: refuse what may not be searched for.
        check_filter_texts(self.__dict__)

    def describe(self) -> dict[str, Any]:
        """The filters that are set, as JSON (for the audit trail)."""
        return {k: str(v) for k, v in self.__dict__.items() if v is not None}


def list_statement(filters: CompanyFilters, *, descending: bool = True) -> Select[Company]:
    """Live companies matching ``filters``, most recently changed first."""
    stmt = select(Company).where(Company.deleted_at.is_(None))
    if filters.name:
        pattern = f"%{escape_like(filters.name)}%"
        stmt = stmt.where(
            Company.id.in_(
                select(CompanyName.company_id).where(CompanyName.name.ilike(pattern, escape="\\"))
            )
        )
    if filters.number:
        key = normalize_registration(filters.number)
        stmt = stmt.where(
            or_(Company.registration_number_norm == key, Company.tax_number_norm == key)
        )
    if filters.country:
        stmt = stmt.where(Company.country == filters.country)
    if filters.foreign is not None:
        column = Company.origin_node
        stmt = stmt.where(column.is_not(None) if filters.foreign else column.is_(None))
    order = Company.updated_at.desc() if descending else Company.updated_at.asc()
    return stmt.order_by(order, Company.id)


@dataclass
class CompanyDetail:
    """A company with its seizures (and roles) and the persons behind it."""

    company: Company
    seizures: list[tuple[Seizure, str]] = field(default_factory=list)
    persons: list[tuple[uuid.UUID, Person, str]] = field(default_factory=list)


def read_company(session: Session, actor: Actor, company_id: uuid.UUID) -> CompanyDetail:
    """The company with its links. Audited (it lists the persons behind the company)."""
    note_read(session, actor, "company", record_id=company_id)
    company = get_live(session, Company, company_id, "company")
    detail = CompanyDetail(
        company=company, seizures=seizures_linked_to(session, "company", company_id)
    )
    for link, person in session.execute(
        select(PersonCompany, Person)
        .join(Person, Person.id == PersonCompany.person_id)
        .where(PersonCompany.company_id == company_id, Person.deleted_at.is_(None))
    ).all():
        detail.persons.append((link.id, person, link.role))
    return detail

"""Reading persons: the filtered list statement and the audited detail view."""

from __future__ import annotations

import functools
import typing
import uuid
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import Date, Row, Select, String, bindparam, cast, literal, null, select, union_all
from sqlalchemy.orm import Session, lazyload

from ncen.accounts.actor import Actor
from ncen.companies.models import Company, PersonCompany
from ncen.errors import NotFoundError
from ncen.persons.models import (
    Gender,
    IdentityDocument,
    NameKind,
    Person,
    PersonAddress,
    PersonContact,
    PersonName,
    PersonNationality,
)
from ncen.reading import note_read
from ncen.recordkeeping import get_live
from ncen.seizures.queries import company_display_name, linked_seizure_rows
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


@dataclass(frozen=True, slots=True)
class Entry:
    """One entry of a person's collection as the record page shows it: the columns of the
    collection's model that the page reads, by the model's attribute names (kinds and types
    as their stored codes, which `enum_label` takes as it takes the enumerations)."""

    full_name: str | None = None  # names
    kind: str | None = None  # names, contacts
    script: str | None = None  # names
    country: str | None = None  # nationalities, addresses
    doc_type: str | None = None  # documents
    number: str | None = None  # documents
    issuing_country: str | None = None  # documents
    expires_on: date | None = None  # documents
    line: str | None = None  # addresses
    city: str | None = None  # addresses
    postcode: str | None = None  # addresses
    value: str | None = None  # contacts


@dataclass
class PersonCollections:
    """A person's names (in name order), nationalities, documents, addresses and contacts (in
    the order the record's own collections load them)."""

    names: list[Entry] = field(default_factory=list)
    nationalities: list[Entry] = field(default_factory=list)
    documents: list[Entry] = field(default_factory=list)
    addresses: list[Entry] = field(default_factory=list)
    contacts: list[Entry] = field(default_factory=list)

    @property
    def display_name(self) -> str:
        """The name `Person.display_name` gives: the first primary name, else the first."""
        for name in self.names:
            if name.kind == NameKind.PRIMARY.value:
                return name.full_name or ""
        return (self.names[0].full_name or "") if self.names else "(no name)"


@functools.cache
def _collections_statement() -> Any:
    """The five collections of the person ``:person_id`` in one statement: (family, position,
    four texts, a date); each family's rows in the order of its own collection load. Built
    once: a statement object keeps its cache key, so each run costs no construction."""
    person_id: Any = bindparam("person_id")
    none = null()
    by_person: tuple[tuple[Any, tuple[Any, ...]], ...] = (
        (PersonName, (PersonName.full_name, PersonName.kind, PersonName.script, none)),
        (PersonNationality, (PersonNationality.country, none, none, none)),
        (
            IdentityDocument,
            (
                IdentityDocument.doc_type,
                IdentityDocument.number,
                IdentityDocument.issuing_country,
                none,
            ),
        ),
        (
            PersonAddress,
            (PersonAddress.line, PersonAddress.city, PersonAddress.postcode, PersonAddress.country),
        ),
        (PersonContact, (PersonContact.kind, PersonContact.value, none, none)),
    )
    parts = []
    for family, (model, texts) in enumerate(by_person):
        position = PersonName.position if model is PersonName else literal(0)
        expires = IdentityDocument.expires_on if model is IdentityDocument else null()
        parts.append(
            select(
                literal(family),
                position,
                *(cast(t, String) if t is not none else cast(none, String) for t in texts),
                cast(expires, Date),
            ).where(model.person_id == person_id)
        )
    return union_all(*parts)


def person_collections(session: Session, person_id: uuid.UUID) -> PersonCollections:
    """The collections of ``person_id`` that its page shows, in one statement."""
    found = PersonCollections()
    names: list[tuple[int, Entry]] = []
    rows = session.execute(_collections_statement(), {"person_id": person_id})
    for family, position, a, b, c, d, expires in rows:
        if family == 0:
            names.append((position, Entry(full_name=a, kind=b, script=c)))
        elif family == 1:
            found.nationalities.append(Entry(country=a))
        elif family == 2:
            found.documents.append(
                Entry(doc_type=a, number=b, issuing_country=c, expires_on=expires)
            )
        elif family == 3:
            found.addresses.append(Entry(line=a, city=b, postcode=c, country=d))
        else:
            found.contacts.append(Entry(kind=a, value=b))
    # The relationship's order (by position); a stable sort keeps equal positions as read.
    found.names = [entry for _position, entry in sorted(names, key=lambda pair: pair[0])]
    return found


@dataclass(frozen=True, slots=True)
class LinkedCompany:
    """A company linked to the person, as its page and the API show it."""

    id: uuid.UUID
    display_name: str


@dataclass
class PersonDetail:
    """A person with the seizures and companies linked to it, for the record page.

    With ``read_person(..., collections=False)`` the person's collections are not loaded
    with it (they would load on access) and come in ``collections`` instead.
    """

    person: Person
    collections: PersonCollections | None = None
    # (seizure, role): the seizure as a row of `ncen.seizures.queries.LINKED_COLUMNS`.
    seizures: list[tuple[Row[Any], str]] = field(default_factory=list)
    companies: list[tuple[uuid.UUID, LinkedCompany, str]] = field(default_factory=list)


@functools.cache
def _companies_statement() -> Any:
    """The live companies linked to the person ``:person_id``: link id, company id, label
    (``display_name``, worked out in SQL) and role (built once)."""
    return (
        select(PersonCompany.id, Company.id, company_display_name(Company.id), PersonCompany.role)
        .join(Company, Company.id == PersonCompany.company_id)
        .where(PersonCompany.person_id == bindparam("person_id"), Company.deleted_at.is_(None))
    )


# The person's collections, not loaded with it (`read_person` with ``collections=False``).
_NO_COLLECTIONS = (
    lazyload(Person.names),
    lazyload(Person.nationalities),
    lazyload(Person.documents),
    lazyload(Person.addresses),
    lazyload(Person.contacts),
)


def read_person(
    session: Session, actor: Actor, person_id: uuid.UUID, *, collections: bool = True
) -> PersonDetail:
    """The person, every seizure it is linked to (with role) and its companies. Audited.

    ``collections=False`` (the record page): the person's five collections come in
    ``detail.collections``, read in one statement, instead of with the entity (five).
    Raises `NotFoundError` or `PermissionDeniedError`.
    """
    note_read(session, actor, "person", record_id=person_id)
    if collections:
        person = get_live(session, Person, person_id, "person")
        shown = None
    else:
        person = session.get(Person, person_id, options=_NO_COLLECTIONS)  # type: ignore[assignment]
        if person is None or person.deleted_at is not None:  # as `get_live`
            raise NotFoundError("person", person_id)
        shown = person_collections(session, person_id)
    detail = PersonDetail(
        person=person,
        collections=shown,
        seizures=linked_seizure_rows(session, "person", person_id),
    )
    # The companies with their labels (``display_name``, worked out in SQL) as rows: one
    # statement, no entities with name collections.
    for link_id, company_id, label, role in session.execute(
        _companies_statement(), {"person_id": person_id}
    ):
        detail.companies.append((link_id, LinkedCompany(company_id, label), role))
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
    stmt = list_statement(filters, sort=sort, descending=descending)
    # Typed as a statement of rows (the columns' own types are spelled in LIST_COLUMNS).
    return typing.cast("Select[Any]", stmt.with_only_columns(*LIST_COLUMNS))


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

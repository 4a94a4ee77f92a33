"""Reading seizures: filtered, sorted list statements and the audited detail view.

The list filters include the workflow views a desk needs: ``created_by`` (a user's own
records) and ``returned`` (drafts a supervisor sent back, `returned_condition`).
"""

from __future__ import annotations

import functools
import typing
import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Numeric,
    Row,
    Select,
    String,
    bindparam,
    cast,
    exists,
    func,
    literal,
    null,
    or_,
    select,
    union_all,
)
from sqlalchemy.orm import Session, lazyload

from ncen.accounts.actor import Actor
from ncen.companies.models import Company, CompanyName
from ncen.conveyances.models import Conveyance
from ncen.errors import NotFoundError
from ncen.history import ChangeKind, RecordVersion
from ncen.persons.models import NameKind, Person, PersonName
from ncen.reading import note_read
from ncen.recordkeeping import get_live
from ncen.seizures.facets import Facet, facets_condition
from ncen.seizures.models import (
    Seizure,
    SeizureCompany,
    SeizureConcealment,
    SeizureConveyance,
    SeizureItem,
    SeizurePerson,
    SeizureStatus,
    SeizureTransitCountry,
)
from ncen.text import escape_like
from ncen.validation import check_filter_texts

SORTS = {
    "occurred_at": Seizure.occurred_at,
    "reference": Seizure.reference,
    "status": Seizure.status,
    "updated_at": Seizure.updated_at,
}


@dataclass(frozen=True)
class SeizureFilters:
    """List filters; every field is optional. ``country`` matches any country of the route."""

    text: str | None = None
    status: SeizureStatus | None = None
    commodity_group: str | None = None
    country: str | None = None
    transport_mode: str | None = None
    office_code: str | None = None
    date_from: date | None = None
    date_to: date | None = None
    foreign: bool | None = None  # True: received only; False: national only
    created_by: uuid.UUID | None = None  # recorded by this user
    returned: bool = False  # only drafts a supervisor sent back (see `returned_condition`)
    # "Seizures having this value" per statistics dimension (`ncen.seizures.facets`), all held.
    facets: tuple[Facet, ...] = ()

    def __post_init__(self) -> None:
        # Typed text reaches a query and the audit trail: refuse what may not be searched for.
        check_filter_texts(self.__dict__)

    def describe(self) -> dict[str, Any]:
        """The filters that are set, as JSON (for the audit trail)."""
        described = {
            k: str(v)
            for k, v in self.__dict__.items()
            if v is not None and v is not False and v != ()
        }
        if self.facets:
            described["facets"] = ",".join(f"{d}:{v}" for d, v in self.facets)
        return described


def returned_condition() -> ColumnElement[bool]:
    """True for a seizure that a supervisor sent back and its author has not resubmitted.

    There is no "returned" status: `ncen.seizures.services.return_seizure` moves a submitted
    seizure back to draft, and its history keeps that as a ``status`` version whose snapshot
    says ``draft``. A draft can reach that state in no other way (a new seizure's first
    version is a ``create``), so a draft with such a version is one that was returned;
    resubmitting it makes it ``submitted`` again and it leaves this view.
    """
    sent_back = exists().where(
        RecordVersion.record_type == "seizure",
        RecordVersion.record_id == Seizure.id,
        RecordVersion.kind == ChangeKind.STATUS,
        RecordVersion.snapshot["status"].astext == SeizureStatus.DRAFT.value,
    )
    return (Seizure.status == SeizureStatus.DRAFT) & sent_back


def list_statement(
    filters: SeizureFilters, *, sort: str = "occurred_at", descending: bool = True
) -> Select[Seizure]:
    """A statement selecting live seizures matching ``filters`` in the requested order.

    Unknown sort keys fall back to ``occurred_at``; the id breaks ties so pages are stable.
    """
    stmt = select(Seizure).where(Seizure.deleted_at.is_(None))
    if filters.text:
        pattern = f"%{escape_like(filters.text)}%"
        stmt = stmt.where(
            or_(
                Seizure.reference.ilike(pattern, escape="\\"),
                Seizure.place.ilike(pattern, escape="\\"),
            )
        )
    if filters.status:
        stmt = stmt.where(Seizure.status == filters.status)
    if filters.commodity_group:
        stmt = stmt.where(
            Seizure.id.in_(
                select(SeizureItem.seizure_id).where(
                    SeizureItem.commodity_group == filters.commodity_group
                )
            )
        )
    if filters.country:
        stmt = stmt.where(
            or_(
                Seizure.departure_country == filters.country,
                Seizure.destination_country == filters.country,
                Seizure.id.in_(
                    select(SeizureTransitCountry.seizure_id).where(
                        SeizureTransitCountry.country == filters.country
                    )
                ),
            )
        )
    if filters.transport_mode:
        stmt = stmt.where(Seizure.transport_mode == filters.transport_mode)
    if filters.office_code:
        stmt = stmt.where(Seizure.office_code == filters.office_code)
    # Days are UTC days, as in the statistics (whatever the database session's time zone).
    if filters.date_from:
        start = datetime.combine(filters.date_from, time.min, UTC)
        stmt = stmt.where(Seizure.occurred_at >= start)
    if filters.date_to:
        stmt = stmt.where(Seizure.occurred_at <= datetime.combine(filters.date_to, time.max, UTC))
    if filters.facets:
        stmt = stmt.where(facets_condition(filters.facets))
    if filters.foreign is not None:
        column = Seizure.origin_node
        stmt = stmt.where(column.is_not(None) if filters.foreign else column.is_(None))
    if filters.created_by is not None:
        stmt = stmt.where(Seizure.created_by_id == filters.created_by)
    if filters.returned:
        stmt = stmt.where(returned_condition())
    order = SORTS.get(sort, Seizure.occurred_at)
    return stmt.order_by(order.desc() if descending else order.asc(), Seizure.id)


# Loader options for pages that show a seizure's or person's header fields only: the selectin
# collections of the models then load on access instead of with every row.
WITHOUT_COLLECTIONS = (
    lazyload(Seizure.items),
    lazyload(Seizure.transit_countries),
    lazyload(Seizure.concealment_methods),
)


@dataclass(frozen=True)
class LinkedRecord:
    """A record linked to a seizure, with its role."""

    link_id: uuid.UUID
    record_id: uuid.UUID
    label: str
    role: str
    note: str | None


@dataclass(frozen=True, slots=True)
class ShownItem:
    """A seizure item as the record page shows it (the columns of `SeizureItem` it reads)."""

    commodity_group: str
    hs_code: str | None
    description: str | None
    brand: str | None
    quantity: Decimal | None
    unit: str | None
    estimated_value: Decimal | None
    currency: str | None


@dataclass(frozen=True, slots=True)
class ShownCountry:
    """A transit country of the route, as the record page shows it."""

    country: str


@dataclass(frozen=True, slots=True)
class ShownConcealment:
    """A concealment method, as the record page shows it."""

    method: str


@dataclass
class SeizureCollections:
    """A seizure's items and transit countries (in position order) and concealment methods
    (in the order the record's own collection loads them)."""

    items: list[ShownItem] = field(default_factory=list)
    transit_countries: list[ShownCountry] = field(default_factory=list)
    concealment_methods: list[ShownConcealment] = field(default_factory=list)


@functools.cache
def _collections_statement() -> Any:
    """The three collections of the seizure ``:seizure_id`` in one statement: (family,
    position, six texts, quantity, value). Built once: a statement object keeps its cache key,
    so each run costs no construction."""
    seizure_id: Any = bindparam("seizure_id")
    text = [cast(null(), String)] * 6
    number = cast(null(), Numeric)
    items = select(
        literal(0),
        SeizureItem.position,
        *(
            cast(column, String)
            for column in (
                SeizureItem.commodity_group,
                SeizureItem.hs_code,
                SeizureItem.description,
                SeizureItem.brand,
                SeizureItem.unit,
                SeizureItem.currency,
            )
        ),
        cast(SeizureItem.quantity, Numeric),
        cast(SeizureItem.estimated_value, Numeric),
    ).where(SeizureItem.seizure_id == seizure_id)
    transit = select(
        literal(1),
        SeizureTransitCountry.position,
        cast(SeizureTransitCountry.country, String),
        *text[1:],
        number,
        number,
    ).where(SeizureTransitCountry.seizure_id == seizure_id)
    concealments = select(
        literal(2), literal(0), cast(SeizureConcealment.method, String), *text[1:], number, number
    ).where(SeizureConcealment.seizure_id == seizure_id)
    return union_all(items, transit, concealments)


def seizure_collections(session: Session, seizure_id: uuid.UUID) -> SeizureCollections:
    """The collections of ``seizure_id`` that its page shows, in one statement."""
    found = SeizureCollections()
    items: list[tuple[int, ShownItem]] = []
    transit: list[tuple[int, ShownCountry]] = []
    for family, position, a, b, c, d, e, f, quantity, value in session.execute(
        _collections_statement(), {"seizure_id": seizure_id}
    ):
        if family == 0:
            items.append((position, ShownItem(a, b, c, d, quantity, e, value, f)))
        elif family == 1:
            transit.append((position, ShownCountry(a)))
        else:
            found.concealment_methods.append(ShownConcealment(a))
    # The relationships' order (by position).
    found.items = [item for _position, item in sorted(items, key=lambda pair: pair[0])]
    found.transit_countries = [t for _position, t in sorted(transit, key=lambda pair: pair[0])]
    return found


# The seizure's collections, not loaded with it (`read_seizure` with ``collections=False``).
_NO_COLLECTIONS = (
    lazyload(Seizure.items),
    lazyload(Seizure.transit_countries),
    lazyload(Seizure.concealment_methods),
)


@dataclass
class SeizureDetail:
    """A seizure with everything linked to it, for the record page.

    With ``read_seizure(..., collections=False)`` the seizure's collections are not loaded
    with it (they would load on access) and come in ``collections`` instead.
    """

    seizure: Seizure
    collections: SeizureCollections | None = None
    persons: list[LinkedRecord] = field(default_factory=list)
    companies: list[LinkedRecord] = field(default_factory=list)
    conveyances: list[LinkedRecord] = field(default_factory=list)


def _display_name(name_model: Any, owner_id: Any, record_id: Any, text: Any) -> Any:
    """SQL of a person's or company's ``display_name`` (the models' property): its first
    primary name in name order, else its first name of any kind, else "(no name)"."""
    first = (
        select(text)
        .where(owner_id == record_id)
        .order_by((name_model.kind == NameKind.PRIMARY).desc(), name_model.position)
        .limit(1)
        .scalar_subquery()
    )
    return func.coalesce(first, literal("(no name)"))


def person_display_name(person_id: Any) -> Any:
    """SQL of `Person.display_name` for the person ``person_id`` (a column)."""
    return _display_name(PersonName, PersonName.person_id, person_id, PersonName.full_name)


def company_display_name(company_id: Any) -> Any:
    """SQL of `Company.display_name` for the company ``company_id`` (a column)."""
    return _display_name(CompanyName, CompanyName.company_id, company_id, CompanyName.name)


@functools.cache
def _linked_persons_and_companies() -> Any:
    """The live persons (family 0) and companies (family 1) linked to the seizure
    ``:seizure_id``: link id, record id, label (``display_name``), role and note; each family
    in the order of its own join (as the entity queries it replaces returned them). Built
    once."""
    seizure_id: Any = bindparam("seizure_id")
    persons = (
        select(
            literal(0).label("family"),
            SeizurePerson.id,
            Person.id.label("record_id"),
            person_display_name(Person.id),
            SeizurePerson.role,
            SeizurePerson.note,
        )
        .join(Person, Person.id == SeizurePerson.person_id)
        .where(SeizurePerson.seizure_id == seizure_id, Person.deleted_at.is_(None))
    )
    companies = (
        select(
            literal(1),
            SeizureCompany.id,
            Company.id,
            company_display_name(Company.id),
            SeizureCompany.role,
            SeizureCompany.note,
        )
        .join(Company, Company.id == SeizureCompany.company_id)
        .where(SeizureCompany.seizure_id == seizure_id, Company.deleted_at.is_(None))
    )
    return union_all(persons, companies)


def read_seizure(
    session: Session, actor: Actor, seizure_id: uuid.UUID, *, collections: bool = True
) -> SeizureDetail:
    """The seizure and its links. Audited as a read (it shows the persons involved).

    ``collections=False`` (the record page): the seizure's items, transit countries and
    concealments come in ``detail.collections``, read in one statement, instead of with the
    entity (three). Raises `NotFoundError` (missing or deleted) or `PermissionDeniedError`.
    """
    if collections:
        seizure = get_live(session, Seizure, seizure_id, "seizure")
        detail = SeizureDetail(seizure=seizure)
    else:
        found = session.get(Seizure, seizure_id, options=_NO_COLLECTIONS)
        if found is None or found.deleted_at is not None:  # as `get_live`
            raise NotFoundError("seizure", seizure_id)
        detail = SeizureDetail(seizure=found, collections=seizure_collections(session, seizure_id))
    # Persons and companies with their labels in one Core statement (rows, not entities with
    # their name collections: four statements and their ORM loading before).
    for family, link_id, record_id, label, role, note in session.execute(
        _linked_persons_and_companies(), {"seizure_id": seizure_id}
    ):
        shown = detail.persons if family == 0 else detail.companies
        shown.append(LinkedRecord(link_id, record_id, label, role, note))
    for vlink, conveyance in session.execute(
        select(SeizureConveyance, Conveyance)
        .join(Conveyance, Conveyance.id == SeizureConveyance.conveyance_id)
        .where(SeizureConveyance.seizure_id == seizure_id, Conveyance.deleted_at.is_(None))
    ).all():
        detail.conveyances.append(
            LinkedRecord(vlink.id, conveyance.id, conveyance.display_name, vlink.role, vlink.note)
        )
    note_read(
        session,
        actor,
        "seizure",
        record_id=seizure_id,
        details={"persons": len(detail.persons)},
    )
    return detail


def seizures_linked_to(
    session: Session, kind: str, record_id: uuid.UUID
) -> list[tuple[Seizure, str]]:
    """Every live seizure linked to a person, company or conveyance, with the role, newest first.

    The seizures' collections (items, transit countries, concealments) are not loaded with them
    (the record pages show the header fields only); they load on access, one query per seizure.
    """
    link_model: Any = {
        "person": SeizurePerson,
        "company": SeizureCompany,
        "conveyance": SeizureConveyance,
    }[kind]
    column = getattr(link_model, f"{kind}_id")
    rows = session.execute(
        select(Seizure, link_model.role)
        .join(link_model, link_model.seizure_id == Seizure.id)
        .where(column == record_id, Seizure.deleted_at.is_(None))
        .order_by(Seizure.occurred_at.desc())
        .options(*WITHOUT_COLLECTIONS)
    ).all()
    return [(seizure, role) for seizure, role in rows]


# What a record page's table of linked seizures shows of each seizure (the ``seizure_links``
# macro, the API's ``seizures`` list): id, reference, date, place and status.
LINKED_COLUMNS = (
    Seizure.id,
    Seizure.reference,
    Seizure.occurred_at,
    Seizure.place,
    Seizure.origin_node,
    Seizure.status,
)


@functools.cache
def _linked_seizures_statement(kind: str) -> Any:
    """The live seizures linked to the ``kind`` record ``:record_id`` (built once per kind)."""
    link_model: Any = {
        "person": SeizurePerson,
        "company": SeizureCompany,
        "conveyance": SeizureConveyance,
    }[kind]
    column = getattr(link_model, f"{kind}_id")
    return (
        select(*LINKED_COLUMNS, link_model.role)
        .join(link_model, link_model.seizure_id == Seizure.id)
        .where(column == bindparam("record_id"), Seizure.deleted_at.is_(None))
        .order_by(Seizure.occurred_at.desc())
    )


def linked_seizure_rows(
    session: Session, kind: str, record_id: uuid.UUID
) -> list[tuple[Row[Any], str]]:
    """`seizures_linked_to` as rows of `LINKED_COLUMNS` instead of entities (same seizures,
    same order, same roles): a record page shows only these columns."""
    rows = session.execute(_linked_seizures_statement(kind), {"record_id": record_id}).all()
    return [(row, row.role) for row in rows]


# What the seizure list shows of each seizure: a Core select of these columns (no ORM entity
# per row, no identity map) costs a fraction of loading whole `Seizure` objects.
LIST_COLUMNS = (
    Seizure.id,
    Seizure.reference,
    Seizure.origin_node,
    Seizure.occurred_at,
    Seizure.place,
    Seizure.departure_country,
    Seizure.destination_country,
    Seizure.status,
    Seizure.handling_code,
    Seizure.updated_at,
)


def list_rows_statement(
    filters: SeizureFilters, *, sort: str = "occurred_at", descending: bool = True
) -> Select[Any]:
    """`list_statement` (same seizures, same order) selecting `LIST_COLUMNS` only: rows, not
    entities."""
    stmt = list_statement(filters, sort=sort, descending=descending)
    # Typed as a statement of rows (the columns' own types are spelled in LIST_COLUMNS).
    return typing.cast("Select[Any]", stmt.with_only_columns(*LIST_COLUMNS))


@functools.cache
def _list_items_statement() -> Any:
    """The listed columns of the items of the seizures ``:ids`` (built once)."""
    return (
        select(
            SeizureItem.seizure_id,
            SeizureItem.position,
            SeizureItem.commodity_group,
            SeizureItem.description,
            SeizureItem.quantity,
            SeizureItem.unit,
            SeizureItem.estimated_value,
        )
        .where(SeizureItem.seizure_id.in_(bindparam("ids", expanding=True)))
        .order_by(SeizureItem.seizure_id, SeizureItem.position)
    )


def list_items(session: Session, seizure_ids: list[uuid.UUID]) -> dict[uuid.UUID, list[Any]]:
    """The items of ``seizure_ids`` that the list shows (the main item and the count), in
    recording order, per seizure: one statement for the whole page. Each row has
    ``position``, ``commodity_group``, ``description``, ``quantity``, ``unit`` and
    ``estimated_value``."""
    found: dict[uuid.UUID, list[Any]] = {seizure_id: [] for seizure_id in seizure_ids}
    if not seizure_ids:
        return found
    rows = session.execute(_list_items_statement(), {"ids": seizure_ids})
    for row in rows:
        found[row.seizure_id].append(row)
    return found

"""Profiles compiled to SQL over ``seizures``, for back-tests over the whole history.

`to_sql` gives a boolean expression on `Seizure` that holds exactly when the in-memory matcher
(`ncen.targeting.matcher`) would match the seizure's facts: a criterion on a many-valued field is
an ``EXISTS`` over the child or linked rows (live linked records only), a criterion on a field
with no value is false and its negation true (``NOT coalesce(..., false)``), identifiers compare
by `ncen.targeting.fields.identifier_key`. Values are bound parameters: no text of a profile is
ever spliced into SQL.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Float,
    Integer,
    and_,
    case,
    cast,
    exists,
    false,
    func,
    literal,
    not_,
    or_,
    select,
    true,
)

from ncen.companies.models import Company
from ncen.conveyances.models import Conveyance, ConveyanceIdentifier, IdentifierKind
from ncen.persons.models import IdentityDocument, Person, PersonNationality
from ncen.seizures.models import (
    Seizure,
    SeizureCompany,
    SeizureConcealment,
    SeizureConveyance,
    SeizureItem,
    SeizurePerson,
    SeizureTransitCountry,
)
from ncen.targeting.ast import AllOf, AnyOf, Constant, Criterion, Negation, Node, criteria
from ncen.targeting.fields import FIELDS
from ncen.targeting.matcher import LookupValues

Pred = Callable[[Any], ColumnElement[bool]]
Lists = Mapping[str, LookupValues]


def _key(column: Any) -> Any:
    return func.regexp_replace(func.upper(column), "[^[:alnum:]]", "", "g")


def _part(name: str, source: Any) -> Any:
    # date_part() gives a float; EXTRACT a numeric, whose arithmetic costs more per row (the
    # hour of a million seizures: some 20 % of a scan). Both are exact on these whole numbers.
    return func.date_part(name, source, type_=Float)


def _month() -> Any:
    return _part("month", func.timezone("UTC", Seizure.occurred_at))


def _age() -> Any:
    at = func.timezone("UTC", Seizure.occurred_at)
    later_birthday = case(
        (
            and_(
                Person.birth_month.is_not(None),
                func.make_date(2000, Person.birth_month, func.coalesce(Person.birth_day, 1))
                > func.make_date(
                    2000, cast(_part("month", at), Integer), cast(_part("day", at), Integer)
                ),
            ),
            1,
        ),
        else_=0,
    )
    return _part("year", at) - Person.birth_year - later_birthday


def _age_band() -> Any:
    age = _age()
    return case(
        (Person.birth_year.is_(None), None),
        (age < 18, "under_18"),
        (age <= 25, "18_25"),
        (age <= 35, "26_35"),
        (age <= 50, "36_50"),
        else_="over_50",
    )


def _scalar(column: Any) -> Callable[[Pred], ColumnElement[bool]]:
    # A comparison with NULL (no value) is NULL: false here, so that its negation holds.
    return lambda pred: func.coalesce(pred(column), false())


def _items(column: Any) -> Callable[[Pred], ColumnElement[bool]]:
    return lambda pred: exists().where(SeizureItem.seizure_id == Seizure.id, pred(column))


def _persons(column: Any, *joins: Any) -> Callable[[Pred], ColumnElement[bool]]:
    def build(pred: Pred) -> ColumnElement[bool]:
        stmt = (
            select(literal(1))
            .select_from(SeizurePerson)
            .join(Person, Person.id == SeizurePerson.person_id)
        )
        for target, on in joins:
            stmt = stmt.join(target, on)
        return exists(
            stmt.where(
                SeizurePerson.seizure_id == Seizure.id,
                Person.deleted_at.is_(None),
                pred(column),
            )
        )

    return build


def _companies(*columns: Any) -> Callable[[Pred], ColumnElement[bool]]:
    return lambda pred: exists(
        select(literal(1))
        .select_from(SeizureCompany)
        .join(Company, Company.id == SeizureCompany.company_id)
        .where(
            SeizureCompany.seizure_id == Seizure.id,
            Company.deleted_at.is_(None),
            or_(*(pred(column) for column in columns)),
        )
    )


def _conveyances(column: Any, kind: IdentifierKind | None = None, *, ident: bool = False) -> Any:
    def build(pred: Pred) -> ColumnElement[bool]:
        stmt = (
            select(literal(1))
            .select_from(SeizureConveyance)
            .join(Conveyance, Conveyance.id == SeizureConveyance.conveyance_id)
        )
        conditions: list[ColumnElement[bool]] = [
            SeizureConveyance.seizure_id == Seizure.id,
            Conveyance.deleted_at.is_(None),
        ]
        if ident:
            stmt = stmt.join(
                ConveyanceIdentifier, ConveyanceIdentifier.conveyance_id == Conveyance.id
            )
            if kind is not None:
                conditions.append(ConveyanceIdentifier.kind == kind)
        return exists(stmt.where(*conditions, pred(column)))

    return build


def _route(pred: Pred) -> ColumnElement[bool]:
    return or_(
        func.coalesce(pred(Seizure.departure_country), false()),
        func.coalesce(pred(Seizure.destination_country), false()),
        exists().where(
            SeizureTransitCountry.seizure_id == Seizure.id, pred(SeizureTransitCountry.country)
        ),
    )


_SEASONS = case(
    (_month().in_((12, 1, 2)), "winter"),
    (_month().in_((3, 4, 5)), "spring"),
    (_month().in_((6, 7, 8)), "summer"),
    else_="autumn",
)

SOURCES: dict[str, Callable[[Pred], ColumnElement[bool]]] = {
    "commodity_group": _items(SeizureItem.commodity_group),
    "hs_chapter": _items(func.substr(SeizureItem.hs_code, 1, 2)),
    "hs_heading": _items(func.substr(SeizureItem.hs_code, 1, 4)),
    "hs_code": _items(SeizureItem.hs_code),
    "quantity": _items(SeizureItem.quantity),
    "value": _items(SeizureItem.estimated_value),
    "departure_country": _scalar(Seizure.departure_country),
    "destination_country": _scalar(Seizure.destination_country),
    "transit_country": lambda pred: exists().where(
        SeizureTransitCountry.seizure_id == Seizure.id, pred(SeizureTransitCountry.country)
    ),
    "route_country": _route,
    "office": _scalar(Seizure.office_code),
    "transport_mode": _scalar(Seizure.transport_mode),
    "concealment": lambda pred: exists().where(
        SeizureConcealment.seizure_id == Seizure.id, pred(SeizureConcealment.method)
    ),
    "detection_method": _scalar(Seizure.detection_method),
    "direction": _scalar(Seizure.direction),
    "status": _scalar(Seizure.status),
    "hour": _scalar(_part("hour", func.timezone("UTC", Seizure.occurred_at))),
    "month": _scalar(_month()),
    "weekday": _scalar(_part("isodow", func.timezone("UTC", Seizure.occurred_at))),
    "season": _scalar(_SEASONS),
    "person.nationality": _persons(
        PersonNationality.country, (PersonNationality, PersonNationality.person_id == Person.id)
    ),
    "person.birth_country": _persons(Person.birth_country),
    "person.gender": _persons(Person.gender),
    "person.age": _persons(_age()),
    "person.age_band": _persons(_age_band()),
    "person.role": _persons(SeizurePerson.role),
    "person.document": _persons(
        _key(IdentityDocument.number_norm),
        (IdentityDocument, IdentityDocument.person_id == Person.id),
    ),
    "company.country": _companies(Company.country),
    "company.known_days": _companies(_part("day", Seizure.occurred_at - Company.created_at)),
    "company.aeo": _companies(Company.aeo_status),
    "company.registration": _companies(
        _key(Company.registration_number_norm), _key(Company.tax_number_norm)
    ),
    "conveyance.kind": _conveyances(Conveyance.kind),
    "conveyance.flag": _conveyances(Conveyance.flag),
    "conveyance.identifier": _conveyances(_key(ConveyanceIdentifier.value), ident=True),
    "conveyance.plate": _conveyances(
        _key(ConveyanceIdentifier.value), IdentifierKind.PLATE, ident=True
    ),
    "conveyance.container": _conveyances(
        _key(ConveyanceIdentifier.value), IdentifierKind.CONTAINER, ident=True
    ),
    "conveyance.bill_of_lading": _conveyances(
        _key(ConveyanceIdentifier.value), IdentifierKind.BILL_OF_LADING, ident=True
    ),
}


def _value_pred(c: Criterion, lists: Lists) -> Pred:  # noqa: PLR0911 - per operator
    op, value = c.op, c.value
    if op in ("eq", "ne"):
        return lambda col: col == value
    if op == "in":
        return lambda col: col.in_(list(value))  # type: ignore[arg-type]
    if op in ("lt", "le", "gt", "ge"):
        method = {"lt": "__lt__", "le": "__le__", "gt": "__gt__", "ge": "__ge__"}[op]
        return lambda col: getattr(col, method)(value)
    if op == "starts":
        return lambda col: col.startswith(str(value), autoescape=True)
    if op == "matches":
        return lambda col: col.regexp_match(str(value))
    entries = lists.get(str(value), LookupValues(frozenset()))
    if not entries.values:
        return lambda _col: false()
    if entries.prefix:
        return lambda col: or_(
            *(col.startswith(p, autoescape=True) for p in sorted(entries.values))
        )
    return lambda col: col.in_(sorted(entries.values))


# Fields whose value depends on the seizure row itself (its date) as well as on the linked
# record: their EXISTS can only run correlated, once per seizure, never as one hashed set.
ROW_DEPENDENT = frozenset({"person.age", "person.age_band", "company.known_days"})


def cost_class(node: Node) -> int:
    """How dear ``node`` is per seizure: 0 only columns of the seizure row, 1 an EXISTS that
    PostgreSQL can compute once as a hashed set, 2 an EXISTS that must run per seizure."""
    classes = [
        2 if c.field in ROW_DEPENDENT else 1 if FIELDS[c.field].many else 0 for c in criteria(node)
    ]
    return max(classes, default=0)


def _all_of(parts: list[tuple[int, ColumnElement[bool]]]) -> ColumnElement[bool]:
    # The seizure's own columns stay plain conjuncts: PostgreSQL tests them first anyway (they
    # cost least) and estimates how few seizures pass them, which decides whether an EXISTS
    # after them runs per seizure or as one hashed set. Between the EXISTS, a CASE fixes the
    # order (PostgreSQL guarantees CASE's, not AND's): it ranks a hashed EXISTS as dear as its
    # per-seizure alternative, and so ran an age EXISTS over every seizure of a route before
    # the nationality set that would have discarded most of them.
    columns = [sql for cls, sql in parts if cls == 0]
    dear = sorted((cls, index) for index, (cls, _) in enumerate(parts) if cls > 0)
    ordered: ColumnElement[bool] | None = None
    for cls in sorted({cls for cls, _ in dear}, reverse=True):
        these = and_(*(parts[index][1] for c, index in dear if c == cls))
        ordered = these if ordered is None else case((these, ordered), else_=false())
    return and_(*columns, *([] if ordered is None else [ordered]))


def to_sql(node: Node, lists: Lists) -> ColumnElement[bool]:
    """The SQL condition on `Seizure` equivalent to ``node`` (two-valued: never NULL).

    A conjunction tests its cheap parts first (`cost_class`): the seizure's own columns, then
    the EXISTS that run as one hashed set, then those that must run per seizure, each only over
    the seizures that passed the cheaper ones."""
    if isinstance(node, Criterion):
        # Each source is already two-valued (scalars coalesced, EXISTS never NULL). A bare
        # EXISTS lets PostgreSQL plan it as a hashed sub-plan or a semi-join rather than only
        # as a correlated sub-plan: no coalesce() around it.
        held = SOURCES[node.field](_value_pred(node, lists))
        return not_(held) if node.op == "ne" else held
    if isinstance(node, AllOf):
        return _all_of([(cost_class(part), to_sql(part, lists)) for part in node.parts])
    if isinstance(node, AnyOf):
        return or_(*(to_sql(part, lists) for part in node.parts))
    if isinstance(node, Negation):
        return not_(to_sql(node.part, lists))
    assert isinstance(node, Constant)
    return true() if node.value else false()

"""Seizures as rows of an export: the seizure's fields, its items, route and concealments,
and its linked persons, companies and conveyances as ``name (role)`` texts.

A batch of seizures costs six queries of columns (items, transit countries, concealments, and
one per link type), never one per seizure, and no mapped object per child row: the list
statements leave the seizures' collections unloaded (`ncen.exports.service.without_collections`).
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ncen.companies.models import CompanyName
from ncen.conveyances.models import Conveyance, ConveyanceIdentifier
from ncen.exports.columns import Column, Value, common_tail, tail
from ncen.persons.models import PersonName
from ncen.seizures.models import (
    Seizure,
    SeizureCompany,
    SeizureConcealment,
    SeizureConveyance,
    SeizureItem,
    SeizurePerson,
    SeizureTransitCountry,
)

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
    *common_tail(),
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
                *tail(s),
            ]
        )
    return rows

"""The plain-JSON form of a seizure with its items, route and links (history and exchange)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, cast

from sqlalchemy import select
from sqlalchemy.orm import Session

from ncen.recordkeeping import common_snapshot, jsonable_dict
from ncen.seizures.models import Seizure, SeizureCompany, SeizureConveyance, SeizurePerson


def _links(session: Session, seizure: Seizure) -> dict[str, list[dict[str, Any]]]:
    result: dict[str, list[dict[str, Any]]] = {}
    links: tuple[tuple[str, type[SeizurePerson | SeizureCompany | SeizureConveyance], str], ...] = (
        ("persons", SeizurePerson, "person_id"),
        ("companies", SeizureCompany, "company_id"),
        ("conveyances", SeizureConveyance, "conveyance_id"),
    )
    for key, model, column in links:
        rows = cast(
            "Iterable[SeizurePerson | SeizureCompany | SeizureConveyance]",
            session.execute(select(model).where(model.seizure_id == seizure.id)).scalars(),
        )
        result[key] = sorted(
            ({"id": str(getattr(r, column)), "role": r.role, "note": r.note} for r in rows),
            key=lambda link: (link["id"], link["role"]),
        )
    return result


LinkLists = dict[str, list[dict[str, Any]]]


def link_lists(links: Iterable[tuple[str, Any, str, str | None]]) -> LinkLists:
    """The snapshot's ``persons``/``companies``/``conveyances`` lists of links known in memory,
    ``(kind, target id, role, note)`` each (kind: person, company or conveyance), ordered as
    `snapshot` orders the stored ones. For bulk writers (`ncen.bulk`) that have not flushed."""
    keys = {"person": "persons", "company": "companies", "conveyance": "conveyances"}
    result: LinkLists = {key: [] for key in keys.values()}
    for kind, target_id, role, note in links:
        result[keys[kind]].append({"id": str(target_id), "role": role, "note": note})
    for key in result:
        result[key].sort(key=lambda link: (link["id"], link["role"]))
    return result


def snapshot(session: Session, seizure: Seizure, links: LinkLists | None = None) -> dict[str, Any]:
    """The seizure as plain JSON. Links are included so that linking shows in the history:
    read from the database, or ``links`` (`link_lists`) when the caller knows them."""
    return jsonable_dict(
        {
            **common_snapshot(seizure),
            "reference": seizure.reference,
            "occurred_at": seizure.occurred_at,
            "office_code": seizure.office_code,
            "place": seizure.place,
            "locode": seizure.locode,
            "location_type": seizure.location_type,
            "direction": seizure.direction,
            "transport_mode": seizure.transport_mode,
            "detection_method": seizure.detection_method,
            "detection_technique": seizure.detection_technique,
            "concealment_methods": sorted(m.method for m in seizure.concealment_methods),
            "concealment_description": seizure.concealment_description,
            "departure_country": seizure.departure_country,
            "transit_countries": [t.country for t in seizure.transit_countries],
            "destination_country": seizure.destination_country,
            "narrative": seizure.narrative,
            "status": seizure.status,
            "source_reliability": seizure.source_reliability,
            "information_grade": seizure.information_grade,
            "items": [
                {
                    "commodity_group": i.commodity_group,
                    "hs_code": i.hs_code,
                    "description": i.description,
                    "brand": i.brand,
                    "quantity": i.quantity,
                    "unit": i.unit,
                    "estimated_value": i.estimated_value,
                    "currency": i.currency,
                }
                for i in seizure.items
            ],
            **(links if links is not None else _links(session, seizure)),
        }
    )

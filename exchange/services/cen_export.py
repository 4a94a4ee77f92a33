"""The non-nominal CEN export: seizures for the WCO global Customs Enforcement Network.

Format ``ncen-cen-export/1`` (docs/cen-export.md): one entry per seizure, with no free text at
all (narratives, places, descriptions may hold names), no names, document numbers, addresses,
contacts, company names or conveyance identifiers. What remains:

- seizure: an export-local sequence number (never the reference), month (``YYYY-MM``), reporting
  country, UN/LOCODE, direction, transport mode, detection method, concealment methods, route
  countries; items: commodity group, HS code, quantity and unit, value and currency;
- persons, reduced to nationality, gender and a ten-year age band at the time of the seizure;
- conveyances, reduced to their kind.

**Small-count suppression**: a person's (nationality, gender, age band) combination that occurs
fewer than ``min_count`` times in the export has its age band replaced by ``*``; if (nationality,
gender) is still rarer than ``min_count``, the nationality too. A UN/LOCODE used by fewer than
``min_count`` seizures is replaced by its country part. `CenExport.suppressed` counts each.

Only national seizures that are submitted or validated, not deleted, and that an exchange
officer explicitly marked ``global_cen`` are exported: an unmarked seizure is national only
(`exchange.services.distribution`), so an omission keeps a seizure out of the export, never in it.
`build_cen_export` reads only; `to_csv` (one row per item) and `to_json` produce the files; the
caller audits the export.
"""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from exchange.netmodels import Distribution, DistributionLevel
from ncen.conveyances.models import Conveyance
from ncen.persons.models import Person
from ncen.seizures.models import Seizure, SeizureConveyance, SeizurePerson

FORMAT = "ncen-cen-export/1"
SUPPRESSED = "*"
CSV_COLUMNS = (
    "seizure",
    "month",
    "reporting_country",
    "locode",
    "direction",
    "transport_mode",
    "detection_method",
    "concealment_methods",
    "departure_country",
    "transit_countries",
    "destination_country",
    "commodity_group",
    "hs_code",
    "quantity",
    "unit",
    "estimated_value",
    "currency",
    "persons",
    "conveyance_kinds",
)


@dataclass
class CenExport:
    """The export as it will leave, with what was suppressed."""

    reporting_country: str
    created: datetime
    seizures: list[dict[str, Any]] = field(default_factory=list)
    suppressed: Counter[str] = field(default_factory=Counter)


def age_band(birth_year: int | None, on: date) -> str:
    """``30-39`` style band of the age at ``on``; ``unknown`` without a birth year."""
    if birth_year is None:
        return "unknown"
    age = max(on.year - birth_year, 0)
    low = min(age // 10 * 10, 80)
    return "80+" if low == 80 else f"{low}-{low + 9}"


def _number(value: Decimal | None) -> str | None:
    return None if value is None else format(value.normalize(), "f")


def build_cen_export(
    session: Session,
    *,
    reporting_country: str,
    since: date | None,
    until: date | None,
    min_count: int,
    now: datetime,
) -> CenExport:
    """Build the export of seizures that occurred in [since, until] (see the module doc)."""
    stmt = (
        select(Seizure)
        # Inner join: only seizures with an explicit global_cen mark (fail closed).
        .join(Distribution, Distribution.seizure_id == Seizure.id)
        .where(
            Distribution.level == DistributionLevel.GLOBAL_CEN,
            Seizure.origin_node.is_(None),
            Seizure.deleted_at.is_(None),
            Seizure.status.in_(["submitted", "validated"]),
        )
        .options(
            selectinload(Seizure.items),
            selectinload(Seizure.transit_countries),
            selectinload(Seizure.concealment_methods),
        )
        .order_by(Seizure.occurred_at, Seizure.id)
    )
    if since is not None:
        stmt = stmt.where(Seizure.occurred_at >= since)
    if until is not None:
        stmt = stmt.where(Seizure.occurred_at < datetime.combine(until, datetime.max.time()))
    seizures = list(session.execute(stmt).scalars())
    ids = [s.id for s in seizures]
    persons: dict[Any, list[Person]] = {}
    kinds: dict[Any, list[str]] = {}
    for start in range(0, len(ids), 5000):
        batch = ids[start : start + 5000]
        for seizure_id, person in session.execute(
            select(SeizurePerson.seizure_id, Person)
            .join(Person, Person.id == SeizurePerson.person_id)
            .where(SeizurePerson.seizure_id.in_(batch), Person.deleted_at.is_(None))
            .options(selectinload(Person.nationalities))
        ).all():
            persons.setdefault(seizure_id, []).append(person)
        for seizure_id, kind in session.execute(
            select(SeizureConveyance.seizure_id, Conveyance.kind)
            .join(Conveyance, Conveyance.id == SeizureConveyance.conveyance_id)
            .where(SeizureConveyance.seizure_id.in_(batch), Conveyance.deleted_at.is_(None))
        ).all():
            kinds.setdefault(seizure_id, []).append(kind.value)
    export = CenExport(reporting_country, now)
    for number, seizure in enumerate(seizures, 1):
        on = seizure.occurred_at.date()
        export.seizures.append(
            {
                "seizure": number,
                "month": f"{on:%Y-%m}",
                "reporting_country": reporting_country,
                "locode": seizure.locode,
                "direction": seizure.direction.value if seizure.direction else None,
                "transport_mode": seizure.transport_mode,
                "detection_method": seizure.detection_method,
                "concealment_methods": sorted(m.method for m in seizure.concealment_methods),
                "departure_country": seizure.departure_country,
                "transit_countries": [t.country for t in seizure.transit_countries],
                "destination_country": seizure.destination_country,
                "items": [
                    {
                        "commodity_group": item.commodity_group,
                        "hs_code": item.hs_code,
                        "quantity": _number(item.quantity),
                        "unit": item.unit,
                        "estimated_value": _number(item.estimated_value),
                        "currency": item.currency,
                    }
                    for item in seizure.items
                ],
                "persons": [
                    {
                        "nationality": min((n.country for n in p.nationalities), default=None),
                        "gender": p.gender.value,
                        "age_band": age_band(p.birth_year, on),
                    }
                    for p in persons.get(seizure.id, [])
                ],
                "conveyance_kinds": sorted(kinds.get(seizure.id, [])),
            }
        )
    _suppress(export, min_count)
    return export


def _suppress(export: CenExport, min_count: int) -> None:
    people = [p for s in export.seizures for p in s["persons"]]
    triples = Counter((p["nationality"], p["gender"], p["age_band"]) for p in people)
    for person in people:
        if triples[(person["nationality"], person["gender"], person["age_band"])] < min_count:
            person["age_band"] = SUPPRESSED
            export.suppressed["age_band"] += 1
    pairs = Counter((p["nationality"], p["gender"]) for p in people)
    for person in people:
        rare = pairs[(person["nationality"], person["gender"])] < min_count
        if person["age_band"] == SUPPRESSED and rare and person["nationality"] is not None:
            person["nationality"] = SUPPRESSED
            export.suppressed["nationality"] += 1
    places = Counter(s["locode"] for s in export.seizures if s["locode"])
    for seizure in export.seizures:
        if seizure["locode"] and places[seizure["locode"]] < min_count:
            seizure["locode"] = seizure["locode"][:2]
            export.suppressed["locode"] += 1


def to_json(export: CenExport) -> bytes:
    """The JSON file (UTF-8, sorted keys)."""
    value = {
        "format": FORMAT,
        "reporting_country": export.reporting_country,
        "created": export.created.isoformat(),
        "seizures": export.seizures,
        "suppressed": dict(export.suppressed),
    }
    return json.dumps(value, ensure_ascii=False, sort_keys=True, indent=1).encode()


def _persons_cell(persons: list[dict[str, Any]]) -> str:
    return ";".join(f"{p['nationality'] or ''}:{p['gender']}:{p['age_band']}" for p in persons)


def csv_rows(export: CenExport) -> list[list[str]]:
    """The CSV rows after the header: one per item (a seizure without items: one row)."""
    rows = []
    for seizure in export.seizures:
        common = [
            str(seizure["seizure"]),
            seizure["month"],
            seizure["reporting_country"],
            seizure["locode"] or "",
            seizure["direction"] or "",
            seizure["transport_mode"] or "",
            seizure["detection_method"] or "",
            "|".join(seizure["concealment_methods"]),
            seizure["departure_country"] or "",
            "|".join(seizure["transit_countries"]),
            seizure["destination_country"] or "",
        ]
        tail = [_persons_cell(seizure["persons"]), "|".join(seizure["conveyance_kinds"])]
        for item in seizure["items"] or [dict.fromkeys(("commodity_group",), "")]:
            fields = ("commodity_group", "hs_code", "quantity", "unit", "estimated_value")
            values = [item.get(name) or "" for name in (*fields, "currency")]
            rows.append([*common, *values, *tail])
    return rows


def to_csv(export: CenExport) -> bytes:
    """The CSV file (UTF-8, comma-separated, header row, RFC 4180 quoting)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    writer.writerows(csv_rows(export))
    return buffer.getvalue().encode()

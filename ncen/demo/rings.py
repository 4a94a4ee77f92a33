"""Rows of the planted networks (`ncen.demo.cast`), for the demo loader's COPY transaction.

The planted records have fixed ids (`planted_id`, a UUIDv5 of their key), so they are the same
in every database, the generated seizures can name the hub company without looking it up, and
a second ``ncen demo --force`` finds them already there (`is_planted`) instead of clashing on
their references. They are written with the same first history version as generated records;
the foreign ones carry their provenance (origin node, origin id, received bundle) exactly as
records received from another node do.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping, Sequence
from datetime import datetime, time, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ncen.demo.bulk import COLUMNS
from ncen.demo.cast import (
    COMPANIES,
    CONVEYANCES,
    FOREIGN_NODE,
    PERSONS,
    SEIZURES,
    CastCompany,
    CastConveyance,
    CastPerson,
    CastSeizure,
)
from ncen.persons.models import ContactKind
from ncen.persons.services import _normalise_contact as normalise_contact
from ncen.search.keys import company_name_keys, person_name_keys
from ncen.seizures.models import Seizure

Rows = dict[str, list[tuple[Any, ...]]]
_NAMESPACE = uuid.UUID("6f1d2a0e-9b7c-5e4f-8a3d-2c1b0e9f8d7a")
_ORIGIN = ("origin_node", "origin_id", "received_bundle_id", "origin_version")
_STAMPS = ("created_at", "updated_at")

# The tables and columns of the planted rows, in foreign-key order (see `ncen.demo.bulk`).
PLANTED_COLUMNS: Mapping[str, Sequence[str]] = {
    "persons": (
        *("id", "version", "gender", "birth_year", "birth_month", "birth_day"),
        *("birth_country", "description", *_ORIGIN, *_STAMPS),
    ),
    "person_names": COLUMNS["person_names"],
    "person_nationalities": COLUMNS["person_nationalities"],
    "identity_documents": COLUMNS["identity_documents"],
    "person_addresses": ("id", "person_id", "line", "city", "country"),
    "person_contacts": ("id", "person_id", "kind", "value", "value_norm"),
    "companies": (
        *("id", "version", "country", "registration_number", "registration_number_norm"),
        *("aeo_status", "address_line", "address_city", "address_country", *_STAMPS),
    ),
    "company_names": COLUMNS["company_names"],
    "person_companies": ("id", "person_id", "company_id", "role"),
    "conveyances": ("id", "version", "kind", "name", "flag", *_ORIGIN, *_STAMPS),
    "conveyance_identifiers": COLUMNS["conveyance_identifiers"],
    "seizures": (*COLUMNS["seizures"][:-2], *_ORIGIN, *_STAMPS),
    **{
        table: COLUMNS[table]
        for table in (
            "seizure_items",
            "seizure_transit_countries",
            "seizure_concealments",
            "seizure_persons",
            "seizure_companies",
            "seizure_conveyances",
            "record_versions",
        )
    },
}


def planted_id(key: str) -> uuid.UUID:
    """The fixed id of a planted record or row, e.g. ``planted_id("person:A1")``."""
    return uuid.uuid5(_NAMESPACE, key)


HUB_COMPANY_ID = planted_id("company:HUB")
FOREIGN_BUNDLE_ID = planted_id("bundle:uz-ncen:1")


def is_planted(session: Session) -> bool:
    """True if this database already holds the planted networks."""
    return (
        session.execute(
            select(Seizure.id).where(Seizure.id == planted_id(f"seizure:{SEIZURES[0].reference}"))
        ).first()
        is not None
    )


def _origin(foreign: bool, key: str) -> tuple[Any, ...]:
    if not foreign:
        return (None, None, None, None)
    return (FOREIGN_NODE, key, FOREIGN_BUNDLE_ID, 1)


def _version(rows: Rows, record_type: str, record_id: uuid.UUID, now: datetime, snap: Any) -> None:
    rows["record_versions"].append(
        (record_type, record_id, 1, "create", now, "[demo]", "{}", json.dumps(snap))
    )


def _person(p: CastPerson, now: datetime, rows: Rows) -> None:
    pid = planted_id(f"person:{p.key}")
    year, month, day = p.born
    rows["persons"].append(
        (pid, 1, p.gender, year, month, day, p.nationality, p.description,
         *_origin(p.foreign, f"P-{p.key}"), now, now)
    )  # fmt: skip
    family, given, patronymic = p.native
    names = [("primary", " ".join(x for x in (family, given, patronymic) if x), given, family,
              patronymic, p.script)]  # fmt: skip
    latin = f"{p.latin[0]} {p.latin[1]}"
    if latin != names[0][1]:
        kind = "transliteration" if p.script != "Latn" else "alias"
        names.append((kind, latin, p.latin[1], p.latin[0], None, "Latn"))
    for position, (kind, full, g, f, pat, script) in enumerate(names):
        keys = person_name_keys(full, pat)
        rows["person_names"].append(
            (planted_id(f"person:{p.key}:name:{position}"), pid, position, kind, full, g, f,
             pat, script, keys.text, list(keys.terms), list(keys.codes))
        )  # fmt: skip
    rows["person_nationalities"].append((pid, p.nationality))
    if p.passport:
        rows["identity_documents"].append(
            (planted_id(f"person:{p.key}:passport"), pid, "passport", p.passport, p.passport,
             p.nationality, (now + timedelta(days=900)).date())
        )  # fmt: skip
    if p.address:
        line, city, country = p.address
        rows["person_addresses"].append((planted_id(f"person:{p.key}:address"), pid, line, city,
                                         country))  # fmt: skip
    contacts = [(ContactKind.PHONE, v) for v in p.phones] + [
        (ContactKind.EMAIL, v) for v in p.emails
    ]
    for n, (kind, value) in enumerate(contacts):
        rows["person_contacts"].append(
            (planted_id(f"person:{p.key}:contact:{n}"), pid, kind.value, value,
             normalise_contact(kind, value))
        )  # fmt: skip
    _version(rows, "person", pid, now, {
        "gender": p.gender, "birth_year": year, "birth_month": month, "birth_day": day,
        "names": [{"kind": n[0], "full_name": n[1], "script": n[5]} for n in names],
        "nationalities": [p.nationality],
        "documents": [{"doc_type": "passport", "number": p.passport}] if p.passport else [],
        "addresses": [dict(zip(("line", "city", "country"), p.address, strict=True))]
        if p.address else [],
        "contacts": [{"kind": k.value, "value": v} for k, v in contacts],
        "handling_code": "H0",
    })  # fmt: skip


def _company(c: CastCompany, now: datetime, rows: Rows) -> None:
    cid = planted_id(f"company:{c.key}")
    line, city, country = c.address
    rows["companies"].append(
        (cid, 1, c.country, c.registration, c.registration, c.aeo, line, city, country, now, now)
    )
    for position, (name, script) in enumerate(((c.native, c.script), (c.latin, "Latn"))):
        keys = company_name_keys(name)
        rows["company_names"].append(
            (planted_id(f"company:{c.key}:name:{position}"), cid, position,
             "primary" if position == 0 else "alias", name, script, keys.text,
             list(keys.terms), list(keys.codes))
        )  # fmt: skip
    for person, role in c.officers:
        rows["person_companies"].append(
            (planted_id(f"company:{c.key}:officer:{person}:{role}"),
             planted_id(f"person:{person}"), cid, role)
        )  # fmt: skip
    _version(rows, "company", cid, now, {
        "names": [c.native, c.latin], "country": c.country,
        "registration_number": c.registration, "address_line": line,
    })  # fmt: skip


def _conveyance(v: CastConveyance, now: datetime, rows: Rows) -> None:
    vid = planted_id(f"conveyance:{v.key}")
    rows["conveyances"].append(
        (vid, 1, v.kind, v.name, v.flag, *_origin(v.foreign, f"V-{v.key}"), now, now)
    )
    for n, (kind, value, country) in enumerate(v.identifiers):
        rows["conveyance_identifiers"].append(
            (planted_id(f"conveyance:{v.key}:id:{n}"), vid, kind, value, country)
        )
    _version(rows, "conveyance", vid, now, {
        "kind": v.kind, "name": v.name,
        "identifiers": [{"kind": k, "value": val} for k, val, _ in v.identifiers],
    })  # fmt: skip


def occurred_at(s: CastSeizure, now: datetime) -> datetime:
    """When the planted seizure happened: ``days_ago`` days before the load, at its hour."""
    day = (now - timedelta(days=s.days_ago)).date()
    return datetime.combine(day, time(s.hour, 20), tzinfo=now.tzinfo)


def _seizure(s: CastSeizure, now: datetime, rows: Rows) -> None:
    sid = planted_id(f"seizure:{s.reference}")
    departure, transit, destination = s.route
    rows["seizures"].append(
        (sid, 1, s.reference, occurred_at(s, now), s.office, s.place, s.location, s.direction,
         s.mode, s.detection, s.technique, departure, destination, s.narrative, "validated",
         "B", 2, *_origin(s.foreign, s.reference.split("/")[-1]), now, now)
    )  # fmt: skip
    for position, (group, hs, description, quantity, unit, value) in enumerate(s.items):
        rows["seizure_items"].append(
            (planted_id(f"seizure:{s.reference}:item:{position}"), sid, position, group, hs,
             description, quantity, unit, value.quantize(Decimal("0.01")), "USD")
        )  # fmt: skip
    for position, country in enumerate(transit):
        rows["seizure_transit_countries"].append((sid, position, country))
    rows["seizure_concealments"].append((sid, s.concealment))
    links: dict[str, list[dict[str, str]]] = {}
    for kind, table, pairs in (
        ("person", "seizure_persons", s.persons),
        ("company", "seizure_companies", s.companies),
        ("conveyance", "seizure_conveyances", s.conveyances),
    ):
        for key, role in pairs:
            target = planted_id(f"{kind}:{key}")
            rows[table].append((planted_id(f"seizure:{s.reference}:{key}:{role}"), sid, target,
                                role))  # fmt: skip
            links.setdefault(table.removeprefix("seizure_"), []).append(
                {"id": str(target), "role": role}
            )
    _version(rows, "seizure", sid, now, {
        "reference": s.reference, "occurred_at": occurred_at(s, now).isoformat(),
        "status": "validated", "narrative": s.narrative,
        "items": [{"commodity_group": i[0], "hs_code": i[1], "quantity": str(i[3]),
                   "unit": i[4]} for i in s.items],
        **links,
    })  # fmt: skip


def planted_count() -> int:
    """How many records (persons, companies, conveyances, seizures) the networks hold."""
    return len(PERSONS) + len(COMPANIES) + len(CONVEYANCES) + len(SEIZURES)


def plant_rows(now: datetime, rows: Rows) -> int:
    """Append every planted record to ``rows`` (a batch of `PLANTED_COLUMNS`); return how many."""
    for person in PERSONS:
        _person(person, now, rows)
    for company in COMPANIES:
        _company(company, now, rows)
    for conveyance in CONVEYANCES:
        _conveyance(conveyance, now, rows)
    for seizure in SEIZURES:
        _seizure(seizure, now, rows)
    return planted_count()

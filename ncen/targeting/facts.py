"""The facts of seizures that profiles are matched against, loaded set-based.

`load_facts` reads, for a batch of seizure ids, the seizure row, its items, route and
concealment, and its live linked persons, companies and conveyances, in a fixed number of
queries whatever the batch size; each seizure's facts are a mapping from catalogue field
(`ncen.targeting.fields`) to the tuple of its values. Deleted seizures get no facts, and deleted
linked records are left out, as they are everywhere else.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

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
from ncen.targeting.fields import age_band_of, identifier_key, season_of

Values = tuple[object, ...]


@dataclass(slots=True)
class Facts:
    """One seizure's values per field, and the version they were read at."""

    seizure_id: uuid.UUID
    version: int
    values: dict[str, list[object]] = field(default_factory=lambda: defaultdict(list))

    def get(self, name: str) -> list[object]:
        """The values of field ``name`` (empty when it has none)."""
        return self.values.get(name, [])

    def add(self, name: str, value: object) -> None:
        """Add a value (None is no value)."""
        if value is not None and value not in self.values[name]:
            self.values[name].append(value)


def _chunks(ids: list[uuid.UUID], size: int = 5000) -> Iterable[list[uuid.UUID]]:
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def load_facts(session: Session, seizure_ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, Facts]:
    """The facts of the live seizures among ``seizure_ids`` (read in the session's transaction,
    so a write flushed but not committed is seen)."""
    result: dict[uuid.UUID, Facts] = {}
    for chunk in _chunks(list(dict.fromkeys(seizure_ids))):
        result.update(_load_chunk(session, chunk))
    return result


def _load_chunk(session: Session, ids: list[uuid.UUID]) -> dict[uuid.UUID, Facts]:
    facts: dict[uuid.UUID, Facts] = {}
    occurred: dict[uuid.UUID, object] = {}
    rows = session.execute(
        select(
            Seizure.id, Seizure.version, Seizure.office_code, Seizure.transport_mode,
            Seizure.departure_country, Seizure.destination_country, Seizure.direction,
            Seizure.status, Seizure.detection_method, Seizure.occurred_at,
        ).where(Seizure.id.in_(ids), Seizure.deleted_at.is_(None))
    )  # fmt: skip
    for sid, version, office, mode, dep, dest, direction, status, detection, at in rows:
        f = facts[sid] = Facts(sid, version)
        f.add("office", office)
        f.add("transport_mode", mode)
        f.add("departure_country", dep)
        f.add("destination_country", dest)
        f.add("route_country", dep)
        f.add("route_country", dest)
        f.add("direction", direction.value if direction else None)
        f.add("status", status.value)
        f.add("detection_method", detection)
        f.add("hour", float(at.hour))
        f.add("month", float(at.month))
        f.add("weekday", float(at.isoweekday()))
        f.add("season", season_of(at.month))
        occurred[sid] = at
    if not facts:
        return facts
    live = list(facts)
    _items(session, live, facts)
    for sid, country in session.execute(
        select(SeizureTransitCountry.seizure_id, SeizureTransitCountry.country).where(
            SeizureTransitCountry.seizure_id.in_(live)
        )
    ):
        facts[sid].add("transit_country", country)
        facts[sid].add("route_country", country)
    for sid, method in session.execute(
        select(SeizureConcealment.seizure_id, SeizureConcealment.method).where(
            SeizureConcealment.seizure_id.in_(live)
        )
    ):
        facts[sid].add("concealment", method)
    _persons(session, live, facts, occurred)
    _companies(session, live, facts, occurred)
    _conveyances(session, live, facts)
    return facts


def _items(session: Session, ids: list[uuid.UUID], facts: dict[uuid.UUID, Facts]) -> None:
    for sid, group, hs, quantity, value in session.execute(
        select(
            SeizureItem.seizure_id,
            SeizureItem.commodity_group,
            SeizureItem.hs_code,
            SeizureItem.quantity,
            SeizureItem.estimated_value,
        ).where(SeizureItem.seizure_id.in_(ids))
    ):
        f = facts[sid]
        f.add("commodity_group", group)
        if hs:
            f.add("hs_code", hs)
            f.add("hs_heading", hs[:4])
            f.add("hs_chapter", hs[:2])
        f.add("quantity", float(quantity) if quantity is not None else None)
        f.add("value", float(value) if value is not None else None)


def _persons(
    session: Session,
    ids: list[uuid.UUID],
    facts: dict[uuid.UUID, Facts],
    occurred: dict[uuid.UUID, object],
) -> None:
    by_person: dict[uuid.UUID, list[uuid.UUID]] = defaultdict(list)
    for sid, pid, role, gender, year, month, day, country in session.execute(
        select(
            SeizurePerson.seizure_id, SeizurePerson.person_id, SeizurePerson.role,
            Person.gender, Person.birth_year, Person.birth_month, Person.birth_day,
            Person.birth_country,
        )
        .join(Person, Person.id == SeizurePerson.person_id)
        .where(SeizurePerson.seizure_id.in_(ids), Person.deleted_at.is_(None))
    ):  # fmt: skip
        f = facts[sid]
        by_person[pid].append(sid)
        f.add("person.role", role)
        f.add("person.gender", gender.value)
        f.add("person.birth_country", country)
        if year is not None:
            at = occurred[sid]
            age = at.year - year  # type: ignore[attr-defined]
            if (month, day or 1) > (at.month, at.day) and month is not None:  # type: ignore[attr-defined]
                age -= 1
            f.add("person.age", float(age))
            f.add("person.age_band", age_band_of(age))
    if not by_person:
        return
    people = list(by_person)
    for pid, country in session.execute(
        select(PersonNationality.person_id, PersonNationality.country).where(
            PersonNationality.person_id.in_(people)
        )
    ):
        for sid in by_person[pid]:
            facts[sid].add("person.nationality", country)
    for pid, number in session.execute(
        select(IdentityDocument.person_id, IdentityDocument.number_norm).where(
            IdentityDocument.person_id.in_(people)
        )
    ):
        for sid in by_person[pid]:
            facts[sid].add("person.document", identifier_key(number))


def _companies(
    session: Session,
    ids: list[uuid.UUID],
    facts: dict[uuid.UUID, Facts],
    occurred: dict[uuid.UUID, object],
) -> None:
    for sid, country, aeo, created, registration, tax in session.execute(
        select(
            SeizureCompany.seizure_id, Company.country, Company.aeo_status, Company.created_at,
            Company.registration_number_norm, Company.tax_number_norm,
        )
        .join(Company, Company.id == SeizureCompany.company_id)
        .where(SeizureCompany.seizure_id.in_(ids), Company.deleted_at.is_(None))
    ):  # fmt: skip
        f = facts[sid]
        f.add("company.country", country)
        f.add("company.aeo", aeo.value)
        for number in (registration, tax):
            f.add("company.registration", identifier_key(number) if number else None)
        f.add("company.known_days", float((occurred[sid] - created).days))  # type: ignore[operator]


_KIND_FIELDS = {
    IdentifierKind.PLATE: "conveyance.plate",
    IdentifierKind.CONTAINER: "conveyance.container",
    IdentifierKind.BILL_OF_LADING: "conveyance.bill_of_lading",
}


def _conveyances(session: Session, ids: list[uuid.UUID], facts: dict[uuid.UUID, Facts]) -> None:
    by_conveyance: dict[uuid.UUID, list[uuid.UUID]] = defaultdict(list)
    for sid, cid, kind, flag in session.execute(
        select(SeizureConveyance.seizure_id, Conveyance.id, Conveyance.kind, Conveyance.flag)
        .join(Conveyance, Conveyance.id == SeizureConveyance.conveyance_id)
        .where(SeizureConveyance.seizure_id.in_(ids), Conveyance.deleted_at.is_(None))
    ):
        by_conveyance[cid].append(sid)
        facts[sid].add("conveyance.kind", kind.value)
        facts[sid].add("conveyance.flag", flag)
    if not by_conveyance:
        return
    for cid, kind, value in session.execute(
        select(
            ConveyanceIdentifier.conveyance_id,
            ConveyanceIdentifier.kind,
            ConveyanceIdentifier.value,
        ).where(ConveyanceIdentifier.conveyance_id.in_(list(by_conveyance)))
    ):
        key = identifier_key(value)
        for sid in by_conveyance[cid]:
            facts[sid].add("conveyance.identifier", key)
            name = _KIND_FIELDS.get(kind)
            if name:
                facts[sid].add(name, key)

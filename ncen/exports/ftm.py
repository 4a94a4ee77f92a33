"""An export as FollowTheMoney entities, one JSON object per line, for Aleph and other FtM tools.

**Mapping** (docs/exports.md repeats it), ncen record → FtM schema:

- person → Person: name, alias, gender, birthDate (partial), birthPlace, country (of birth),
  nationality, passportNumber / idNumber, address, phone, email, description, notes;
- company → Company: name, alias, jurisdiction, registrationNumber, taxNumber, address;
- conveyance → Vessel (vessels: name, flag, imoNumber, mmsi, callSign), Airplane (aircraft:
  registrationNumber), Vehicle (every other kind: vehicle, trailer, container, rail wagon,
  postal or express item, with the kind as ``type`` and any identifier as
  registrationNumber);
- seizure → Event: name (the reference), date, location (place), country (the route),
  summary (the items), description (the narrative);
- seizure–person, –company, –conveyance link → UnknownLink: subject (the record), object (the
  seizure's Event), role;
- person–company link → Directorship (director), Ownership (owner, shareholder, beneficial
  owner), Employment (employee, manager), UnknownLink for the other roles.

FtM has no seizure schema: Event is the closest (something that happened at a date and place,
with involved parties); Sanction is a measure against an entity, not a border event.
Entity ids are ``ncen-<record type>-<uuid>``, stable across exports. The handling code of every
entity is stated in ``notes`` (``Handling: H2 ...``), so that it travels with the entity into
the tool that opens it. A seizure's linked records are exported with it (an FtM reader needs
the entities its links name); `linked_records` returns them so that the caller audits them.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from typing import Any

from followthemoney import model
from followthemoney.proxy import EntityProxy
from sqlalchemy import select
from sqlalchemy.orm import Session

from ncen.companies.models import Company, PersonCompany
from ncen.conveyances.models import Conveyance, ConveyanceKind, IdentifierKind
from ncen.exports.handling import NOTICE
from ncen.persons.models import DocumentType, Gender, Person
from ncen.records import RecordMixin
from ncen.seizures.models import Seizure, SeizureCompany, SeizureConveyance, SeizurePerson

GENDERS = {Gender.FEMALE: "female", Gender.MALE: "male", Gender.OTHER: "other"}
RELATION_SCHEMATA = {
    "director": ("Directorship", "director", "organization"),
    "owner": ("Ownership", "owner", "asset"),
    "shareholder": ("Ownership", "owner", "asset"),
    "beneficial_owner": ("Ownership", "owner", "asset"),
    "employee": ("Employment", "employee", "employer"),
    "manager": ("Employment", "employee", "employer"),
}


def entity_id(record_type: str, record_id: uuid.UUID) -> str:
    """The FtM id of a record."""
    return f"ncen-{record_type}-{record_id}"


def _make(schema: str, record_type: str, record: RecordMixin) -> EntityProxy:
    entity = model.make_entity(schema)
    entity.id = entity_id(record_type, record.id)
    note = f"Handling: {record.handling_code.value}"
    if record.handling_code in NOTICE:
        note += f" ({NOTICE[record.handling_code]})"
    if record.handling_restrictions:
        note += f": {record.handling_restrictions}"
    if record.origin_node:
        note += f"; received from node {record.origin_node}"
    entity.add("notes", note)
    entity.add("modifiedAt", record.updated_at.date().isoformat())
    return entity


def person_entity(person: Person) -> EntityProxy:
    """A person as an FtM Person."""
    entity = _make("Person", "person", person)
    entity.add("name", person.display_name)
    entity.add("alias", [n.full_name for n in person.names if n.full_name != person.display_name])
    if person.gender in GENDERS:
        entity.add("gender", GENDERS[person.gender])
    if person.birth_year:
        parts = [f"{person.birth_year:04d}"]
        if person.birth_month:
            parts.append(f"{person.birth_month:02d}")
            if person.birth_day:
                parts.append(f"{person.birth_day:02d}")
        entity.add("birthDate", "-".join(parts))
    entity.add("birthPlace", person.birth_place)
    entity.add("country", person.birth_country)
    entity.add("nationality", [n.country for n in person.nationalities])
    for doc in person.documents:
        prop = "passportNumber" if doc.doc_type is DocumentType.PASSPORT else "idNumber"
        entity.add(prop, doc.number)
    entity.add("address", [", ".join(x for x in (a.line, a.city) if x) for a in person.addresses])
    for contact in person.contacts:
        entity.add("phone" if contact.kind.value == "phone" else "email", contact.value)
    entity.add("description", person.description)
    return entity


def company_entity(company: Company) -> EntityProxy:
    """A company as an FtM Company."""
    entity = _make("Company", "company", company)
    entity.add("name", company.display_name)
    entity.add("alias", [n.name for n in company.names if n.name != company.display_name])
    entity.add("jurisdiction", company.country)
    entity.add("registrationNumber", company.registration_number)
    entity.add("taxNumber", company.tax_number)
    entity.add("address", ", ".join(x for x in (company.address_line, company.address_city) if x))
    entity.add("description", company.description)
    return entity


def conveyance_entity(conveyance: Conveyance) -> EntityProxy:
    """A conveyance as an FtM Vessel, Airplane or Vehicle (see the mapping)."""
    schema = {ConveyanceKind.VESSEL: "Vessel", ConveyanceKind.AIRCRAFT: "Airplane"}.get(
        conveyance.kind, "Vehicle"
    )
    entity = _make(schema, "conveyance", conveyance)
    entity.add("name", conveyance.display_name)
    entity.add("type", conveyance.kind.value)
    entity.add("flag" if schema == "Vessel" else "country", conveyance.flag)
    for identifier in conveyance.identifiers:
        prop = {
            IdentifierKind.IMO: "imoNumber",
            IdentifierKind.MMSI: "mmsi",
            IdentifierKind.CALL_SIGN: "callSign",
        }.get(identifier.kind, "registrationNumber")
        if schema != "Vessel" and prop != "registrationNumber":
            prop = "registrationNumber"
        entity.add(prop, identifier.value)
    entity.add("description", conveyance.description)
    return entity


def seizure_entity(seizure: Seizure) -> EntityProxy:
    """A seizure as an FtM Event (its parties are linked by `seizure_links`)."""
    entity = _make("Event", "seizure", seizure)
    entity.add("name", seizure.reference)
    entity.add("date", seizure.occurred_at.date().isoformat())
    entity.add("location", seizure.place)
    countries = [seizure.departure_country, *(t.country for t in seizure.transit_countries)]
    entity.add("country", [c for c in [*countries, seizure.destination_country] if c])
    entity.add(
        "summary",
        "; ".join(
            " ".join(str(p) for p in (i.commodity_group, i.quantity, i.unit, i.description) if p)
            for i in seizure.items
        ),
    )
    entity.add("description", seizure.narrative)
    return entity


def _link(subject: str, obj: str, role: str, link_id: uuid.UUID) -> EntityProxy:
    entity = model.make_entity("UnknownLink")
    entity.id = f"ncen-link-{link_id}"
    entity.add("subject", subject)
    entity.add("object", obj)
    entity.add("role", role)
    return entity


def linked_records(session: Session, seizure_ids: list[uuid.UUID]) -> dict[str, list[Any]]:
    """The link rows of ``seizure_ids`` with their live records, per record type."""
    found: dict[str, list[Any]] = {}
    for key, link, target in (
        ("person", SeizurePerson, Person),
        ("company", SeizureCompany, Company),
        ("conveyance", SeizureConveyance, Conveyance),
    ):
        column = getattr(link, f"{key}_id")
        stmt = (
            select(link, target)
            .join(target, target.id == column)
            .where(link.seizure_id.in_(seizure_ids), target.deleted_at.is_(None))
            .order_by(link.id)
        )
        found[key] = [tuple(row) for row in session.execute(stmt)]
    return found


MAKERS: dict[str, Any] = {
    "person": person_entity,
    "company": company_entity,
    "conveyance": conveyance_entity,
    "seizure": seizure_entity,
}


def ftm_entities(
    session: Session,
    records: dict[str, list[RecordMixin]],
    linked: dict[str, list[Any]] | None = None,
) -> Iterator[EntityProxy]:
    """The FtM entities of ``records`` (per type), with the seizures' linked records and
    their links, and the person–company links among the exported persons and companies.
    Each entity is yielded once. ``linked``: the seizures' `linked_records` when the caller
    has read them already (it audits them)."""
    seen: set[str] = set()

    def once(entity: EntityProxy) -> Iterator[EntityProxy]:
        if entity.id not in seen:
            seen.add(str(entity.id))
            yield entity

    for record_type, found in records.items():
        for record in found:
            yield from once(MAKERS[record_type](record))
    seizure_ids = [s.id for s in records.get("seizure", [])]
    if seizure_ids:
        if linked is None:
            linked = linked_records(session, seizure_ids)
        for key, pairs in linked.items():
            for link, target in pairs:
                yield from once(MAKERS[key](target))
                subject = entity_id(key, target.id)
                event = entity_id("seizure", link.seizure_id)
                yield from once(_link(subject, event, link.role, link.id))
    people = {p.id for p in records.get("person", [])}
    firms = {c.id for c in records.get("company", [])}
    if people and firms:
        stmt = select(PersonCompany).where(
            PersonCompany.person_id.in_(people), PersonCompany.company_id.in_(firms)
        )
        for pc in session.scalars(stmt):
            yield from once(_person_company(pc))


def _person_company(pc: PersonCompany) -> EntityProxy:
    person, company = entity_id("person", pc.person_id), entity_id("company", pc.company_id)
    if pc.role not in RELATION_SCHEMATA:
        return _link(person, company, pc.role, pc.id)
    schema, party, firm = RELATION_SCHEMATA[pc.role]
    entity = model.make_entity(schema)
    entity.id = f"ncen-link-{pc.id}"
    entity.add(party, person)
    entity.add(firm, company)
    entity.add("role", pc.role)
    return entity


def ftm_lines(
    session: Session,
    records: dict[str, list[RecordMixin]],
    linked: dict[str, list[Any]] | None = None,
) -> Iterator[bytes]:
    """The entities of `ftm_entities` as JSON Lines (UTF-8)."""
    for entity in ftm_entities(session, records, linked):
        yield (json.dumps(entity.to_dict(), ensure_ascii=False, sort_keys=True) + "\n").encode()

"""Use cases for persons: create, update, soft-delete, restore, import a foreign person.

Every function takes the session and the acting user, checks the policy, validates all input
at once (`ValidationError` naming each bad field), writes, and records history and audit. The
caller owns the transaction.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

from sqlalchemy.orm import Session

from ncen import identifiers
from ncen.accounts.actor import Actor
from ncen.errors import InvalidIdentifierError, message_of
from ncen.persons.models import (
    ContactKind,
    DocumentType,
    Gender,
    IdentityDocument,
    NameKind,
    Person,
    PersonAddress,
    PersonContact,
    PersonName,
    PersonNationality,
)
from ncen.recordkeeping import (
    RecordKind,
    common_snapshot,
    create_record,
    jsonable_dict,
    read_handling,
    replace_children,
    set_deleted,
    update_record,
)
from ncen.records import Provenance
from ncen.reference.models import Country
from ncen.scripts import check_script, detect_script
from ncen.search.index import refresh_person_keys
from ncen.validation import Checker

RECORD_TYPE = "person"


def snapshot(person: Person) -> dict[str, Any]:
    """The person as plain JSON, for history, diffs and exchange."""
    return jsonable_dict(
        {
            **common_snapshot(person),
            "gender": person.gender,
            "birth_year": person.birth_year,
            "birth_month": person.birth_month,
            "birth_day": person.birth_day,
            "birth_place": person.birth_place,
            "birth_country": person.birth_country,
            "description": person.description,
            "names": [
                {
                    "kind": n.kind,
                    "full_name": n.full_name,
                    "given_names": n.given_names,
                    "family_name": n.family_name,
                    "patronymic": n.patronymic,
                    "script": n.script,
                }
                for n in person.names
            ],
            "nationalities": sorted(n.country for n in person.nationalities),
            "documents": [
                {
                    "doc_type": d.doc_type,
                    "number": d.number,
                    "issuing_country": d.issuing_country,
                    "expires_on": d.expires_on,
                }
                for d in person.documents
            ],
            "addresses": [
                {"line": a.line, "city": a.city, "postcode": a.postcode, "country": a.country}
                for a in person.addresses
            ],
            "contacts": [{"kind": c.kind, "value": c.value} for c in person.contacts],
        }
    )


def _normalise_contact(kind: ContactKind, value: str) -> str:
    if kind is ContactKind.EMAIL:
        return value.casefold()
    digits = "".join(ch for ch in value if ch.isdigit())
    return ("+" + digits) if value.lstrip().startswith(("+", "00")) else digits


def _read_names(c: Checker) -> list[PersonName]:
    names: list[PersonName] = []
    for i, raw in enumerate(c.items("names")):
        n = c.nested(raw, f"names.{i}")
        full = n.text("full_name", max_len=300)
        given = n.text("given_names")
        family = n.text("family_name")
        patronymic = n.text("patronymic")
        if full is None:
            full = " ".join(p for p in (given, patronymic, family) if p) or None
        if full is None:
            n.fail("full_name", "is required")
            continue
        kind = n.choice("kind", NameKind) or (NameKind.PRIMARY if not names else NameKind.ALIAS)
        script = n.identifier("script", check_script) or detect_script(full)
        names.append(
            PersonName(
                position=i,
                kind=kind,
                full_name=full,
                given_names=given,
                family_name=family,
                patronymic=patronymic,
                script=script,
            )
        )
    if not names and "names" not in c.errors:
        c.fail("names", "a person needs at least one name")
    return names


def _read_documents(c: Checker) -> list[IdentityDocument]:
    documents: list[IdentityDocument] = []
    for i, raw in enumerate(c.items("documents")):
        d = c.nested(raw, f"documents.{i}")
        doc_type = d.choice("doc_type", DocumentType) or DocumentType.OTHER
        number = d.identifier("number", identifiers.check_document_number, required=True)
        issuing = d.code("issuing_country", Country)
        expires = d.day("expires_on")
        if number:
            documents.append(
                IdentityDocument(
                    doc_type=doc_type,
                    number=str(raw.get("number", "")).strip()[:40],
                    number_norm=number,
                    issuing_country=issuing,
                    expires_on=expires,
                )
            )
    return documents


def _read_addresses(c: Checker) -> list[PersonAddress]:
    addresses: list[PersonAddress] = []
    for i, raw in enumerate(c.items("addresses")):
        a = c.nested(raw, f"addresses.{i}")
        line = a.text("line", required=True, max_len=300)
        city = a.text("city", max_len=120)
        postcode = a.text("postcode", max_len=20)
        country = a.code("country", Country)
        if line:
            addresses.append(
                PersonAddress(line=line, city=city, postcode=postcode, country=country)
            )
    return addresses


def _read_contacts(c: Checker) -> list[PersonContact]:
    contacts: list[PersonContact] = []
    for i, raw in enumerate(c.items("contacts")):
        k = c.nested(raw, f"contacts.{i}")
        kind = k.choice("kind", ContactKind, required=True)
        value = k.text("value", required=True, max_len=254)
        if kind is ContactKind.EMAIL and value and "@" not in value:
            k.fail("value", "is not an e-mail address")
        elif kind and value:
            contacts.append(
                PersonContact(kind=kind, value=value, value_norm=_normalise_contact(kind, value))
            )
    return contacts


def _apply(session: Session, person: Person, data: Mapping[str, Any]) -> None:
    """Validate every field of ``data`` and write them onto ``person`` (children replaced)."""
    c = Checker(session, data)
    gender = c.choice("gender", Gender) or Gender.UNKNOWN
    year = c.integer("birth_year")
    month = c.integer("birth_month")
    day = c.integer("birth_day")
    try:
        year, month, day = identifiers.check_partial_date(year, month, day)
    except InvalidIdentifierError as exc:
        c.fail("birth_date", message_of(exc))
    birth_place = c.text("birth_place")
    birth_country = c.code("birth_country", Country)
    description = c.text("description", max_len=10_000)
    handling, restrictions = read_handling(c)
    names = _read_names(c)
    nationalities = c.codes("nationalities", Country)
    documents = _read_documents(c)
    addresses = _read_addresses(c)
    contacts = _read_contacts(c)
    c.raise_if_errors()

    # Children first: their flush must not carry the parent's UPDATE (one version bump).
    replace_children(
        session,
        person,
        names=names,
        nationalities=[PersonNationality(country=cc) for cc in nationalities],
        documents=documents,
        addresses=addresses,
        contacts=contacts,
    )
    refresh_person_keys(session, person)
    person.gender = gender
    person.birth_year, person.birth_month, person.birth_day = year, month, day
    person.birth_place = birth_place
    person.birth_country = birth_country
    person.description = description
    person.handling_code = handling
    person.handling_restrictions = restrictions


PERSON: RecordKind[Person] = RecordKind(Person, RECORD_TYPE, _apply, snapshot)


def create_person(session: Session, actor: Actor, data: Mapping[str, Any]) -> Person:
    """Create a national person record from ``data`` (see `create_record`)."""
    return create_record(session, actor, PERSON, data)


def import_foreign_person(
    session: Session, actor: Actor, data: Mapping[str, Any], provenance: Provenance
) -> Person:
    """Create a person received from another node: a foreign record with ``provenance``, never
    merged into a national one; ``data`` is validated like `create_person`'s (see `create_record`).
    """
    return create_record(session, actor, PERSON, data, provenance=provenance)


def update_person(
    session: Session,
    actor: Actor,
    person_id: uuid.UUID,
    expected_version: int,
    data: Mapping[str, Any],
) -> Person:
    """Replace the person's fields if ``expected_version`` is current (see `update_record`)."""
    return update_record(
        session, actor, PERSON, person_id, expected_version=expected_version, data=data
    )


def delete_person(
    session: Session, actor: Actor, person_id: uuid.UUID, expected_version: int
) -> Person:
    """Soft-delete a person (see `set_deleted`)."""
    return set_deleted(
        session,
        actor,
        Person,
        person_id,
        expected_version,
        record_type=RECORD_TYPE,
        snapshot=snapshot,
        deleted=True,
    )


def restore_person(
    session: Session, actor: Actor, person_id: uuid.UUID, expected_version: int
) -> Person:
    """Undo a soft delete of a person."""
    return set_deleted(
        session,
        actor,
        Person,
        person_id,
        expected_version,
        record_type=RECORD_TYPE,
        snapshot=snapshot,
        deleted=False,
    )

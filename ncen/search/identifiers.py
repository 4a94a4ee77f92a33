"""Exact identifier search: passports and ID cards, conveyance identifiers, company numbers.

One box takes any identifier as typed ("N 1234-5678", "csqu 305438-3", "IMO 9074729") and
finds every live record that carries it. The input is normalised the way each identifier is
stored (`ncen.identifiers`: look-alike Cyrillic letters folded, separators dropped, IMO and
MMSI prefixes handled) and looked up by equality on B-tree indexed columns
(``identity_documents.number_norm``, ``conveyance_identifiers.value``,
``companies.registration_number_norm`` and ``tax_number_norm``): no scan, whatever the size of
the tables. Audited as ``search.identifiers`` with the hit count, not the identifier.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from ncen.accounts.actor import Actor
from ncen.audit import record_event
from ncen.companies.models import Company, CompanyName
from ncen.conveyances.models import Conveyance, ConveyanceIdentifier, IdentifierKind
from ncen.errors import ValidationError
from ncen.identifiers import normalize_document_number, normalize_identifier
from ncen.persons.models import IdentityDocument, Person, PersonName
from ncen.policy import Action, require
from ncen.search.normalise import clean, letter_count
from ncen.search.results import SearchResults, display_names

MIN_CHARS = 3
MAX_CHARS = 40
DEFAULT_LIMIT = 50


@dataclass(frozen=True, slots=True)
class IdentifierHit:
    """A record that carries the identifier searched for."""

    record_type: str  # person, company, conveyance
    record_id: uuid.UUID
    label: str
    identifier_kind: str  # passport, national_id, ..., vin, container, ..., registration_number
    value: str


def identifier_keys(raw: object) -> tuple[str, ...]:
    """Every stored form ``raw`` may take, one per normaliser; raises `ValidationError`."""
    if not isinstance(raw, str):
        raise ValidationError({"identifier": "enter an identifier to search for"})
    text = clean(raw[: MAX_CHARS * 4])
    if letter_count(text) < MIN_CHARS:
        raise ValidationError({"identifier": f"enter at least {MIN_CHARS} letters or digits"})
    keys = {normalize_document_number(text)}
    keys.update(normalize_identifier(kind.value, text) for kind in IdentifierKind)
    keys = {k for k in keys if MIN_CHARS <= len(k) <= MAX_CHARS}
    if not keys:
        raise ValidationError({"identifier": f"use at most {MAX_CHARS} letters or digits"})
    return tuple(sorted(keys))


def _persons(session: Session, keys: tuple[str, ...], limit: int) -> list[IdentifierHit]:
    rows = session.execute(
        select(IdentityDocument.person_id, IdentityDocument.doc_type, IdentityDocument.number)
        .join(Person, Person.id == IdentityDocument.person_id)
        .where(IdentityDocument.number_norm.in_(keys), Person.deleted_at.is_(None))
        .limit(limit)
    ).all()
    names = display_names(session, PersonName, PersonName.person_id, [r[0] for r in rows])
    return [
        IdentifierHit("person", pid, names.get(pid, ""), kind.value, number)
        for pid, kind, number in rows
    ]


def _companies(session: Session, keys: tuple[str, ...], limit: int) -> list[IdentifierHit]:
    rows = session.execute(
        select(
            Company.id,
            Company.registration_number,
            Company.registration_number_norm,
            Company.tax_number,
        )
        .where(
            or_(Company.registration_number_norm.in_(keys), Company.tax_number_norm.in_(keys)),
            Company.deleted_at.is_(None),
        )
        .limit(limit)
    ).all()
    names = display_names(session, CompanyName, CompanyName.company_id, [r[0] for r in rows])
    hits = []
    for cid, registration, registration_norm, tax in rows:
        by_registration = registration_norm in keys
        hits.append(
            IdentifierHit(
                "company",
                cid,
                names.get(cid, ""),
                "registration_number" if by_registration else "tax_number",
                (registration if by_registration else tax) or "",
            )
        )
    return hits


def _conveyances(session: Session, keys: tuple[str, ...], limit: int) -> list[IdentifierHit]:
    rows = session.execute(
        select(
            Conveyance.id, Conveyance.name, ConveyanceIdentifier.kind, ConveyanceIdentifier.value
        )
        .join(Conveyance, Conveyance.id == ConveyanceIdentifier.conveyance_id)
        .where(ConveyanceIdentifier.value.in_(keys), Conveyance.deleted_at.is_(None))
        .limit(limit)
    ).all()
    return [
        IdentifierHit("conveyance", vid, name or f"{kind.value.upper()} {value}", kind.value, value)
        for vid, name, kind, value in rows
    ]


def search_identifiers(
    session: Session, actor: Actor, raw: str, *, limit: int = DEFAULT_LIMIT
) -> SearchResults[IdentifierHit]:
    """Every live person, company and conveyance carrying the identifier ``raw``.

    Hits are grouped by record type (persons, companies, conveyances), at most ``limit`` of
    each. Raises `PermissionDeniedError`, or `ValidationError` for input with fewer than
    three letters or digits. Side effect: one ``search.identifiers`` audit event.
    """
    require(actor, Action.SEARCH)
    keys = identifier_keys(raw)
    limit = max(1, min(limit, 500))
    hits = (
        _persons(session, keys, limit)
        + _companies(session, keys, limit)
        + _conveyances(session, keys, limit)
    )
    record_event(
        session,
        actor,
        "search.identifiers",
        details={
            "kind": "identifier",
            "results": len(hits),
            "record_types": sorted({h.record_type for h in hits}),
        },
    )
    return SearchResults(tuple(hits), len(hits))

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
from typing import Any

from sqlalchemy import String, case, cast, func, literal, or_, select, union_all
from sqlalchemy.orm import Session

from ncen.accounts.actor import Actor
from ncen.companies.models import Company, CompanyName
from ncen.conveyances.models import Conveyance, ConveyanceIdentifier, IdentifierKind
from ncen.errors import ValidationError
from ncen.identifiers import normalize_document_number, normalize_identifier
from ncen.persons.models import IdentityDocument, NameKind, Person, PersonName
from ncen.policy import Action, require
from ncen.search.auditing import record_search
from ncen.search.normalise import clean, letter_count
from ncen.search.results import SearchResults

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


def _first_name(model: Any, owner: Any, record_id: Any) -> Any:
    """The display name of a record as a scalar subquery: its first primary name, else first."""
    label = model.full_name if hasattr(model, "full_name") else model.name
    return (
        select(label)
        .where(owner == record_id)
        .order_by((model.kind == NameKind.PRIMARY).desc(), model.position)
        .limit(1)
        .scalar_subquery()
    )


def lookup_statement(keys: tuple[str, ...], limit: int) -> Any:
    """One statement for the three lookups (one round trip): persons by document number,
    companies by registration or tax number, conveyances by identifier; each branch equality
    on a B-tree index and at most ``limit`` rows."""
    persons = (
        select(
            literal("person").label("record_type"),
            IdentityDocument.person_id.label("record_id"),
            cast(IdentityDocument.doc_type, String).label("kind"),
            IdentityDocument.number.label("value"),
            _first_name(PersonName, PersonName.person_id, IdentityDocument.person_id).label(
                "label"
            ),
        )
        .join(Person, Person.id == IdentityDocument.person_id)
        .where(IdentityDocument.number_norm.in_(keys), Person.deleted_at.is_(None))
        .limit(limit)
    )
    by_registration = Company.registration_number_norm.in_(keys)
    companies = (
        select(
            literal("company"),
            Company.id,
            case((by_registration, "registration_number"), else_="tax_number"),
            case((by_registration, Company.registration_number), else_=Company.tax_number),
            _first_name(CompanyName, CompanyName.company_id, Company.id),
        )
        .where(
            or_(by_registration, Company.tax_number_norm.in_(keys)), Company.deleted_at.is_(None)
        )
        .limit(limit)
    )
    conveyances = (
        select(
            literal("conveyance"),
            Conveyance.id,
            cast(ConveyanceIdentifier.kind, String),
            ConveyanceIdentifier.value,
            func.coalesce(
                Conveyance.name,
                func.upper(cast(ConveyanceIdentifier.kind, String))
                + " "
                + ConveyanceIdentifier.value,
            ),
        )
        .join(Conveyance, Conveyance.id == ConveyanceIdentifier.conveyance_id)
        .where(ConveyanceIdentifier.value.in_(keys), Conveyance.deleted_at.is_(None))
        .limit(limit)
    )
    return union_all(persons, companies, conveyances)


def search_identifiers(
    session: Session, actor: Actor, raw: str, *, limit: int = DEFAULT_LIMIT, audit: bool = True
) -> SearchResults[IdentifierHit]:
    """Every live person, company and conveyance carrying the identifier ``raw``.

    Hits are grouped by record type (persons, companies, conveyances), at most ``limit`` of
    each; one statement finds them all. Raises `PermissionDeniedError`, or `ValidationError` for
    input with fewer than three letters or digits. Side effect: one ``search.identifiers``
    audit event with the identifier typed and the records found, unless ``audit`` is False (the
    caller audits what it shows).
    """
    require(actor, Action.SEARCH)
    keys = identifier_keys(raw)
    limit = max(1, min(limit, 500))
    hits = tuple(
        IdentifierHit(row.record_type, row.record_id, row.label or "", row.kind, row.value or "")
        for row in session.execute(lookup_statement(keys, limit))
    )
    if audit:
        shown: dict[str, list[uuid.UUID]] = {}
        for hit in hits:
            shown.setdefault(hit.record_type, []).append(hit.record_id)
        record_search(
            session,
            actor,
            "search.identifiers",
            query={"identifier": raw},
            shown=shown,
            details={"results": len(hits)},
        )
    return SearchResults(hits, len(hits))

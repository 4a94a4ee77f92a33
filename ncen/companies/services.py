"""Use cases for companies (including importing a foreign company) and person–company links.

Same contract as every record service: session and actor in, policy checked, all input
validated at once, history and audit written; the caller owns the transaction.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ncen import identifiers
from ncen.accounts.actor import Actor
from ncen.companies.models import AeoStatus, Company, CompanyName, PersonCompany
from ncen.errors import NotFoundError, ValidationError
from ncen.history import ChangeKind
from ncen.persons.models import NameKind, Person
from ncen.policy import Action, require
from ncen.recordkeeping import (
    RecordKind,
    commit_change,
    common_snapshot,
    create_record,
    get_live,
    jsonable_dict,
    read_handling,
    replace_children,
    set_deleted,
    update_record,
)
from ncen.records import Provenance
from ncen.reference.models import Country, PersonCompanyRole
from ncen.scripts import check_script, detect_script
from ncen.search.index import refresh_company_keys
from ncen.validation import Checker

RECORD_TYPE = "company"


def normalize_registration(raw: str) -> str:
    """Registration and tax numbers compare without case, spaces and punctuation."""
    return identifiers.normalize_document_number(raw)


def snapshot(company: Company) -> dict[str, Any]:
    """The company as plain JSON, for history, diffs and exchange."""
    return jsonable_dict(
        {
            **common_snapshot(company),
            "names": [{"kind": n.kind, "name": n.name, "script": n.script} for n in company.names],
            "country": company.country,
            "registration_number": company.registration_number,
            "tax_number": company.tax_number,
            "aeo_status": company.aeo_status,
            "address_line": company.address_line,
            "address_city": company.address_city,
            "address_country": company.address_country,
            "description": company.description,
        }
    )


def _read_names(c: Checker) -> list[CompanyName]:
    names: list[CompanyName] = []
    for i, raw in enumerate(c.items("names")):
        n = c.nested(raw, f"names.{i}")
        name = n.text("name", required=True, max_len=300)
        kind = n.choice("kind", NameKind) or (NameKind.PRIMARY if not names else NameKind.ALIAS)
        script = n.identifier("script", check_script)
        if name:
            names.append(
                CompanyName(position=i, kind=kind, name=name, script=script or detect_script(name))
            )
    if not names and "names" not in c.errors:
        c.fail("names", "a company needs at least one name")
    return names


def _apply(session: Session, company: Company, data: Mapping[str, Any]) -> None:
    c = Checker(session, data)
    names = _read_names(c)
    country = c.code("country", Country)
    registration = c.text("registration_number", max_len=64)
    tax = c.text("tax_number", max_len=64)
    aeo = c.choice("aeo_status", AeoStatus) or AeoStatus.NONE
    address_line = c.text("address_line", max_len=300)
    address_city = c.text("address_city", max_len=120)
    address_country = c.code("address_country", Country)
    description = c.text("description", max_len=10_000)
    handling, restrictions = read_handling(c)
    c.raise_if_errors()

    # Children first: their flush must not carry the parent's UPDATE (one version bump).
    replace_children(session, company, names=names)
    refresh_company_keys(session, company)
    company.country = country
    company.registration_number = registration
    company.registration_number_norm = (
        normalize_registration(registration) if registration else None
    )
    company.tax_number = tax
    company.tax_number_norm = normalize_registration(tax) if tax else None
    company.aeo_status = aeo
    company.address_line = address_line
    company.address_city = address_city
    company.address_country = address_country
    company.description = description
    company.handling_code = handling
    company.handling_restrictions = restrictions


COMPANY: RecordKind[Company] = RecordKind(Company, RECORD_TYPE, _apply, snapshot)


def create_company(session: Session, actor: Actor, data: Mapping[str, Any]) -> Company:
    """Create a national company record from ``data`` (see `create_record`)."""
    return create_record(session, actor, COMPANY, data)


def import_foreign_company(
    session: Session, actor: Actor, data: Mapping[str, Any], provenance: Provenance
) -> Company:
    """Create a company received from another node: a foreign record with ``provenance``, never
    merged into a national one; ``data`` is validated like `create_company`'s (see `create_record`).
    """
    return create_record(session, actor, COMPANY, data, provenance=provenance)


def update_company(
    session: Session,
    actor: Actor,
    company_id: uuid.UUID,
    expected_version: int,
    data: Mapping[str, Any],
) -> Company:
    """Replace the company's fields if ``expected_version`` is current (see `update_record`)."""
    return update_record(
        session, actor, COMPANY, company_id, expected_version=expected_version, data=data
    )


def delete_company(
    session: Session, actor: Actor, company_id: uuid.UUID, expected_version: int
) -> Company:
    """Soft-delete a company (see `set_deleted`)."""
    return set_deleted(
        session,
        actor,
        Company,
        company_id,
        expected_version,
        record_type=RECORD_TYPE,
        snapshot=snapshot,
        deleted=True,
    )


def link_person_to_company(
    session: Session,
    actor: Actor,
    *,
    person_id: uuid.UUID,
    company_id: uuid.UUID,
    role: str,
    note: str | None = None,
) -> PersonCompany:
    """Record that a person holds ``role`` in a company. Both records must exist.

    Raises `NotFoundError`, `ValidationError` (unknown role, duplicate link) or
    `PermissionDeniedError`. Audited on the company.
    """
    require(actor, Action.CREATE_RECORDS)
    c = Checker(session, {"role": role, "note": note})
    checked_role = c.code("role", PersonCompanyRole, required=True)
    checked_note = c.text("note", max_len=2000)
    c.raise_if_errors()
    get_live(session, Person, person_id, "person")
    company = get_live(session, Company, company_id, RECORD_TYPE)
    duplicate = session.execute(
        select(PersonCompany.id).where(
            PersonCompany.person_id == person_id,
            PersonCompany.company_id == company_id,
            PersonCompany.role == checked_role,
        )
    ).first()
    if duplicate:
        raise ValidationError({"role": "this person is already linked to the company in this role"})
    link = PersonCompany(
        person_id=person_id, company_id=company_id, role=checked_role, note=checked_note
    )
    session.add(link)
    before = snapshot(company)
    commit_change(
        session,
        actor,
        company,
        record_type=RECORD_TYPE,
        kind=ChangeKind.LINK,
        before=before,
        after=snapshot(company),
        details={"person_id": str(person_id), "role": checked_role},
    )
    return link


def unlink_person_from_company(session: Session, actor: Actor, link_id: uuid.UUID) -> None:
    """Remove a person–company link. Raises `NotFoundError` or `PermissionDeniedError`."""
    link = session.get(PersonCompany, link_id)
    if link is None:
        raise NotFoundError("person-company link", link_id)
    company = get_live(session, Company, link.company_id, RECORD_TYPE)
    require(actor, Action.UPDATE_RECORD, company)
    details = {"person_id": str(link.person_id), "role": link.role}
    session.delete(link)
    snap = snapshot(company)
    commit_change(
        session,
        actor,
        company,
        record_type=RECORD_TYPE,
        kind=ChangeKind.UNLINK,
        before=snap,
        after=snap,
        details=details,
    )

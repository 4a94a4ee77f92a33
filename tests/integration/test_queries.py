"""Record reads: list filters, linked records with roles, and the audit of every nominal read."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import select

from ncen.accounts.models import Role
from ncen.audit import AuditEvent
from ncen.companies.queries import CompanyFilters, read_company
from ncen.companies.queries import list_statement as company_list
from ncen.companies.services import create_company, link_person_to_company
from ncen.conveyances.queries import ConveyanceFilters, read_conveyance
from ncen.conveyances.queries import list_statement as conveyance_list
from ncen.conveyances.services import create_conveyance
from ncen.errors import NotFoundError, PermissionDeniedError
from ncen.persons.queries import PersonFilters, read_person
from ncen.persons.queries import list_statement as person_list
from ncen.persons.services import create_person
from ncen.seizures.queries import SeizureFilters, read_seizure
from ncen.seizures.queries import list_statement as seizure_list
from ncen.seizures.services import link_entity, record_seizure
from tests.conftest import make_actor
from tests.factories import company_data, conveyance_data, person_data, seizure_data


@pytest.fixture
def case(session, investigator):
    """A seizure linked to a person (courier), a company (importer) and a container."""
    with session.begin():
        seizure = record_seizure(session, investigator, seizure_data(transit_countries=["UZ"]))
        person = create_person(session, investigator, person_data())
        company = create_company(session, investigator, company_data())
        conveyance = create_conveyance(session, investigator, conveyance_data())
        for kind, target, role in (
            ("person", person, "courier"),
            ("company", company, "importer"),
            ("conveyance", conveyance, "container"),
        ):
            link_entity(
                session,
                investigator,
                seizure.id,
                seizure.version,
                kind=kind,
                target_id=target.id,
                role=role,
            )
        link_person_to_company(
            session, investigator, person_id=person.id, company_id=company.id, role="director"
        )
    return seizure, person, company, conveyance


def ids(session, stmt) -> set[uuid.UUID]:
    return {r.id for r in session.execute(stmt).scalars()}


def test_seizure_filters(session, case):
    seizure = case[0]
    assert seizure.id in ids(session, seizure_list(SeizureFilters(country="UZ")))
    assert seizure.id in ids(session, seizure_list(SeizureFilters(commodity_group="tobacco")))
    assert seizure.id not in ids(session, seizure_list(SeizureFilters(commodity_group="drugs")))
    assert seizure.id in ids(session, seizure_list(SeizureFilters(text="khorgos")))
    assert seizure.id not in ids(session, seizure_list(SeizureFilters(text="%")))
    assert seizure.id not in ids(session, seizure_list(SeizureFilters(foreign=True)))


def test_entity_filters(session, case):
    _, person, company, conveyance = case
    assert person.id in ids(session, person_list(PersonFilters(document="n1234 5678")))
    assert person.id in ids(session, person_list(PersonFilters(name="мухаммад")))
    assert person.id not in ids(session, person_list(PersonFilters(nationality="CN")))
    assert company.id in ids(session, company_list(CompanyFilters(number="120-540-012-345")))
    assert conveyance.id in ids(
        session, conveyance_list(ConveyanceFilters(identifier="csqu 3054383"))
    )


def test_detail_views_show_links_with_roles_and_are_audited(session, case, analyst):
    seizure, person, company, conveyance = case
    with session.begin():
        detail = read_seizure(session, analyst, seizure.id)
        person_detail = read_person(session, analyst, person.id)
        company_detail = read_company(session, analyst, company.id)
        conveyance_detail = read_conveyance(session, analyst, conveyance.id)
    assert [(p.record_id, p.role) for p in detail.persons] == [(person.id, "courier")]
    assert [c.role for c in detail.companies] == ["importer"]
    assert [v.role for v in detail.conveyances] == ["container"]
    assert [(s.id, role) for s, role in person_detail.seizures] == [(seizure.id, "courier")]
    assert [role for _, _, role in person_detail.companies] == ["director"]
    assert [role for _, _, role in company_detail.persons] == ["director"]
    assert [role for _, role in conveyance_detail.seizures] == ["container"]
    reads = session.execute(
        select(AuditEvent.action, AuditEvent.record_id)
        .where(AuditEvent.actor_id == analyst.user_id)
        .order_by(AuditEvent.id)
    ).all()
    assert reads == [
        ("seizure.read", str(seizure.id)),
        ("person.read", str(person.id)),
        ("company.read", str(company.id)),
        ("conveyance.read", str(conveyance.id)),
    ]


def test_administrator_reads_no_nominal_data(session, case):
    admin = make_actor(session, Role.ADMINISTRATOR)
    with pytest.raises(PermissionDeniedError), session.begin():
        read_person(session, admin, case[1].id)


def test_missing_record(session, analyst):
    with pytest.raises(NotFoundError), session.begin():
        read_person(session, analyst, uuid.uuid4())

"""Company and conveyance services, and the person–company link."""

from __future__ import annotations

import uuid

import pytest

from ncen.companies.services import (
    create_company,
    link_person_to_company,
    unlink_person_from_company,
    update_company,
)
from ncen.conveyances.services import create_conveyance, update_conveyance
from ncen.errors import ConflictError, NotFoundError, ValidationError
from ncen.persons.services import create_person
from tests.factories import company_data, conveyance_data, person_data


def test_company_numbers_are_normalised(session, investigator):
    with session.begin():
        company = create_company(session, investigator, company_data())
    assert company.registration_number_norm == "120540012345"
    assert [n.script for n in company.names] == ["Cyrl", "Latn"]


def test_company_refusals(session, investigator):
    with pytest.raises(ValidationError) as caught, session.begin():
        create_company(
            session, investigator, company_data(names=[], country="ZZ", aeo_status="gold")
        )
    assert set(caught.value.errors) == {"names", "country", "aeo_status"}


def test_company_stale_update(session, investigator):
    with session.begin():
        company = create_company(session, investigator, company_data())
    with session.begin():
        update_company(session, investigator, company.id, 1, company_data(country="UZ"))
    with pytest.raises(ConflictError), session.begin():
        update_company(session, investigator, company.id, 1, company_data(country="KG"))


def test_person_company_link(session, investigator):
    with session.begin():
        person = create_person(session, investigator, person_data())
        company = create_company(session, investigator, company_data())
    with session.begin():
        link = link_person_to_company(
            session, investigator, person_id=person.id, company_id=company.id, role="director"
        )
    assert company.version == 2
    with pytest.raises(ValidationError), session.begin():
        link_person_to_company(
            session, investigator, person_id=person.id, company_id=company.id, role="director"
        )
    with pytest.raises(NotFoundError), session.begin():
        link_person_to_company(
            session, investigator, person_id=uuid.uuid4(), company_id=company.id, role="owner"
        )
    with session.begin():
        unlink_person_from_company(session, investigator, link.id)
    with pytest.raises(NotFoundError), session.begin():
        unlink_person_from_company(session, investigator, link.id)


@pytest.mark.parametrize(
    ("kind", "value", "canonical"),
    [
        ("container", "CSQU 305438-3", "CSQU3054383"),
        ("imo", "IMO 9074729", "IMO9074729"),
        ("vin", "1M8GDM9AXKP042788", "1M8GDM9AXKP042788"),
        ("plate", "123 ABC-02", "123ABC02"),
    ],
)
def test_conveyance_identifiers_checked_and_normalised(
    session, investigator, kind, value, canonical
):
    with session.begin():
        conveyance = create_conveyance(
            session,
            investigator,
            conveyance_data(kind="vehicle", identifiers=[{"kind": kind, "value": value}]),
        )
    assert conveyance.identifiers[0].value == canonical


@pytest.mark.parametrize(
    ("kind", "value"),
    [("container", "CSQU3054384"), ("imo", "IMO 9074728"), ("vin", "1M8GDM9AYKP042788")],
)
def test_bad_check_digits_refused(session, investigator, kind, value):
    with pytest.raises(ValidationError) as caught, session.begin():
        create_conveyance(
            session,
            investigator,
            conveyance_data(identifiers=[{"kind": kind, "value": value}]),
        )
    assert "check digit" in caught.value.errors["identifiers.0.value"]


def test_conveyance_needs_kind_and_identity(session, investigator):
    with pytest.raises(ValidationError) as caught, session.begin():
        create_conveyance(session, investigator, {"identifiers": []})
    assert set(caught.value.errors) == {"kind", "identifiers"}


def test_conveyance_update_replaces_identifiers(session, investigator):
    with session.begin():
        conveyance = create_conveyance(session, investigator, conveyance_data())
    with session.begin():
        update_conveyance(
            session,
            investigator,
            conveyance.id,
            1,
            conveyance_data(
                identifiers=[
                    {"kind": "container", "value": "CSQU3054383"},
                    {"kind": "bill_of_lading", "value": "MEDU 1234567"},
                ]
            ),
        )
    assert sorted(i.kind.value for i in conveyance.identifiers) == ["bill_of_lading", "container"]
    assert conveyance.version == 2

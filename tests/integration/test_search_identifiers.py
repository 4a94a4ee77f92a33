"""Exact identifier search: documents, conveyance identifiers, company numbers, as typed."""

from __future__ import annotations

import pytest

from ncen.companies.services import create_company
from ncen.conveyances.services import create_conveyance
from ncen.errors import ValidationError
from ncen.persons.services import create_person, delete_person
from ncen.search.identifiers import search_identifiers
from tests.factories import company_data, conveyance_data, person_data


@pytest.fixture
def records(session, system):
    with session.begin():
        person = create_person(session, system, person_data())
        company = create_company(session, system, company_data(tax_number="KZ-99 887766"))
        container = create_conveyance(session, system, conveyance_data())
        truck = create_conveyance(
            session,
            system,
            {
                "kind": "vehicle",
                "name": "Volvo FH",
                "identifiers": [{"kind": "plate", "value": "123 ABC 02", "country": "KZ"}],
            },
        )
    return {"person": person, "company": company, "container": container, "truck": truck}


def found(session, actor, raw):
    return [
        (h.record_type, h.record_id, h.identifier_kind)
        for h in search_identifiers(session, actor, raw).hits
    ]


def test_passport_number_as_typed(session, analyst, records):
    person = records["person"]
    for typed in ("N 1234-5678", "n12345678", "N.1234.5678", "Ｎ１２３４５６７８"):
        assert found(session, analyst, typed) == [("person", person.id, "passport")], typed
    hit = search_identifiers(session, analyst, "N12345678").hits[0]
    assert hit.label == "Алиев Мухаммад Ибрагимович"
    assert hit.value == "N 1234-5678"


def test_conveyance_identifiers(session, analyst, records):
    assert found(session, analyst, "csqu 305438-3") == [
        ("conveyance", records["container"].id, "container")
    ]
    assert found(session, analyst, "123abc02") == [("conveyance", records["truck"].id, "plate")]


def test_company_registration_and_tax_numbers(session, analyst, records):
    company = records["company"]
    assert found(session, analyst, "120540012345") == [
        ("company", company.id, "registration_number")
    ]
    assert found(session, analyst, "kz99887766") == [("company", company.id, "tax_number")]


def test_no_partial_matches_and_no_deleted_records(session, analyst, supervisor, records):
    assert found(session, analyst, "1234567") == []
    session.commit()
    person = records["person"]
    with session.begin():
        delete_person(session, supervisor, person.id, person.version)
    assert found(session, analyst, "N12345678") == []


@pytest.mark.parametrize(
    "raw", ["", "   ", "a", "--", "🚚🚚", None, "x" * 10_000, "%%%___", ".*(a|b)+$"]
)
def test_unusable_identifiers_are_refused(session, analyst, raw):
    with pytest.raises(ValidationError) as caught:
        search_identifiers(session, analyst, raw)
    assert "identifier" in caught.value.errors


@pytest.mark.parametrize("raw", ["'; DROP TABLE persons; --", "%abc%_", "N1(2|3)+$", "\ud800abc"])
def test_metacharacters_are_just_characters(session, analyst, records, raw):
    assert found(session, analyst, raw) == []

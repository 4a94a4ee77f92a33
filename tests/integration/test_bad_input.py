"""Hostile input at the service layer (issue 12, items 14 and 15): control characters in list
filters, dates at the edge of the calendar, bidirectional controls and line breaks in names,
identifiers, free text and file names. Every one is refused by one `Checker` rule (or, for
file names, neutralised) with a message naming the field, and nothing is written."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from ncen.accounts.models import Role
from ncen.accounts.services import create_user
from ncen.companies.queries import CompanyFilters
from ncen.companies.services import create_company
from ncen.conveyances.queries import ConveyanceFilters
from ncen.conveyances.services import create_conveyance
from ncen.errors import ValidationError
from ncen.persons.models import Person
from ncen.persons.queries import PersonFilters
from ncen.persons.services import create_person
from ncen.pictures.services import clean_filename
from ncen.reference.services import add_code
from ncen.search.saved import save_search
from ncen.seizures.queries import SeizureFilters
from ncen.seizures.services import record_seizure
from tests.factories import company_data, conveyance_data, person_data, seizure_data

# Every bidirectional formatting character of Unicode (UAX #9): embeddings, overrides, isolates,
# the implicit marks and the Arabic letter mark.
BIDI = [
    "\u202a", "\u202b", "\u202c", "\u202d", "\u202e",
    "\u2066", "\u2067", "\u2068", "\u2069", "\u200e", "\u200f", "\u061c",
]  # fmt: skip


# --- item 14: list filters -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("make", "field"),
    [
        (lambda v: PersonFilters(name=v), "name"),
        (lambda v: PersonFilters(document=v), "document"),
        (lambda v: SeizureFilters(text=v), "text"),
        (lambda v: SeizureFilters(office_code=v), "office_code"),
        (lambda v: CompanyFilters(name=v), "name"),
        (lambda v: CompanyFilters(number=v), "number"),
        (lambda v: ConveyanceFilters(identifier=v), "identifier"),
    ],
)
@pytest.mark.parametrize("bad", ["\x00", "a\x1bb", "a\nb", "\x85", "\u202eabc", "\ud800"])
def test_list_filters_refuse_control_characters(make, field, bad) -> None:
    with pytest.raises(ValidationError) as caught:
        make(bad)
    assert field in caught.value.errors
    assert "character" in caught.value.errors[field]


def test_ordinary_filter_text_is_accepted() -> None:
    assert PersonFilters(name="Алиев Мухаммад").describe() == {"name": "Алиев Мухаммад"}
    assert SeizureFilters(text="محمد علی").text == "محمد علی"


# --- item 14: dates ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "when", ["0001-01-01T00:00:00+05:00", "9999-12-31T23:00:00-05:00", "0001-01-01T00:00+00:00"]
)
def test_seizure_time_outside_the_calendar_is_refused(session, investigator, when) -> None:
    with pytest.raises(ValidationError) as caught, session.begin():
        record_seizure(session, investigator, seizure_data(occurred_at=when))
    assert "out of range" in caught.value.errors["occurred_at"]


@pytest.mark.parametrize("expires", ["0001-01-01", "9999-12-31", "1066-10-14"])
def test_document_expiry_outside_the_plausible_range_is_refused(
    session, investigator, expires
) -> None:
    documents = [{"doc_type": "passport", "number": "N1234567", "expires_on": expires}]
    with pytest.raises(ValidationError) as caught, session.begin():
        create_person(session, investigator, person_data(documents=documents))
    assert "out of range" in caught.value.errors["documents.0.expires_on"]


# --- item 15: bidirectional controls and line breaks ----------------------------------------


@pytest.mark.parametrize("char", BIDI)
def test_bidi_controls_are_refused_in_person_names(session, investigator, char) -> None:
    names = [{"full_name": f"{char}veilA Ali", "kind": "primary"}]
    with pytest.raises(ValidationError) as caught, session.begin():
        create_person(session, investigator, person_data(names=names))
    assert "text-direction control" in caught.value.errors["names.0.full_name"]
    assert f"U+{ord(char):04X}" in caught.value.errors["names.0.full_name"]
    assert session.execute(select(func.count()).select_from(Person)).scalar_one() == 0


@pytest.mark.parametrize("brk", ["\n", "\r", "\r\n", "\t", "\u2028", "\u2029", "\x85"])
def test_line_breaks_are_refused_in_names(session, investigator, brk) -> None:
    names = [{"full_name": f"Aliev{brk}Mukhammad", "kind": "primary"}]
    with pytest.raises(ValidationError) as caught, session.begin():
        create_person(session, investigator, person_data(names=names))
    assert "names.0.full_name" in caught.value.errors


def test_bidi_controls_are_refused_in_company_names_and_identifiers(session, investigator):
    with pytest.raises(ValidationError) as caught, session.begin():
        create_company(
            session,
            investigator,
            company_data(names=[{"name": "Silk \u202eRoad"}], registration_number="12\u2066345"),
        )
    assert "text-direction control" in caught.value.errors["names.0.name"]
    assert "text-direction control" in caught.value.errors["registration_number"]
    identifiers = [{"kind": "container", "value": "CSQU\u202e3054383"}]
    with pytest.raises(ValidationError) as caught, session.begin():
        create_conveyance(session, investigator, conveyance_data(identifiers=identifiers))
    assert "text-direction control" in caught.value.errors["identifiers.0.value"]


def test_free_text_refuses_bidi_controls_but_keeps_line_breaks(session, investigator) -> None:
    with pytest.raises(ValidationError) as caught, session.begin():
        record_seizure(
            session,
            investigator,
            seizure_data(narrative="Paid \u202e0001\u202c USD", place="Khorgos\nborder"),
        )
    assert "text-direction control" in caught.value.errors["narrative"]
    assert "line break" in caught.value.errors["place"]
    with session.begin():
        seizure = record_seizure(
            session, investigator, seizure_data(narrative="First line.\r\nSecond\tline.")
        )
    assert seizure.narrative == "First line.\r\nSecond\tline."


def test_right_to_left_names_without_controls_are_accepted(session, investigator) -> None:
    # Persian names need the zero-width non-joiner (U+200C): it is not a direction control.
    names = [{"full_name": "محمد\u200cعلی رضایی", "kind": "primary"}]
    with session.begin():
        person = create_person(session, investigator, person_data(names=names))
    assert person.names[0].full_name == "محمد\u200cعلی رضایی"


@pytest.mark.parametrize("char", BIDI)
def test_file_names_lose_their_bidi_controls(char) -> None:
    assert clean_filename(f"photo{char}gpj.exe") == "photogpj.exe"
    assert clean_filename("x\u2028y\u0000z.jpg") == "xyz.jpg"


# --- item 14/15: the text inputs that do not go through a Checker ---------------------------


@pytest.mark.parametrize("bad", ["Anna\x00", "Anna \u202eadmin", "Anna\nBerg"])
def test_account_display_names_refuse_control_characters(session, system, bad) -> None:
    with pytest.raises(ValidationError) as caught, session.begin():
        create_user(
            session,
            system,
            username="anna",
            display_name=bad,
            password="a long enough passphrase 42",
            roles=[Role.ANALYST],
        )
    assert "character" in caught.value.errors["display_name"]


@pytest.mark.parametrize("bad", ["Port\x00", "Port \u202eof", "Port\nof Aktau"])
def test_reference_labels_refuse_control_characters(session, system, bad) -> None:
    with pytest.raises(ValidationError) as caught, session.begin():
        add_code(session, system, "location_types", "harbour", bad)
    assert "character" in caught.value.errors["label"]


@pytest.mark.parametrize(
    ("field", "value"), [("name", "mine\x00"), ("name", "mine\u202e"), ("q", "Aliev\x00")]
)
def test_saved_searches_refuse_control_characters(session, analyst, field, value) -> None:
    name, params = ("watch", {"q": "Aliev"}) if field == "q" else (value, {"q": "Aliev"})
    if field == "q":
        params = {"q": value}
    with pytest.raises(ValidationError) as caught, session.begin():
        save_search(session, analyst, name=name, kind="persons", params=params)
    assert "character" in caught.value.errors["name" if field == "name" else "params"]

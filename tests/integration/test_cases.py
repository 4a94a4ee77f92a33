"""Recording a whole case: every part's errors at once, and all-or-nothing writes."""

from __future__ import annotations

import io
import uuid

import pytest
from PIL import Image
from sqlalchemy import func, select

from ncen.companies.models import Company
from ncen.companies.services import create_company
from ncen.errors import ValidationError
from ncen.persons.models import Person
from ncen.pictures.models import Picture
from ncen.pictures.store import PictureStore
from ncen.seizures.cases import CaseInput, Participant, record_case
from ncen.seizures.models import Seizure
from ncen.seizures.queries import read_seizure
from ncen.settings import Settings
from tests.factories import company_data, person_data, seizure_data


def jpeg() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 30, 30)).save(buffer, "JPEG")
    return buffer.getvalue()


def counts(session) -> tuple[int, int, int, int]:
    result = tuple(
        session.execute(select(func.count()).select_from(m)).scalar_one()
        for m in (Seizure, Person, Company, Picture)
    )
    session.commit()
    return result  # type: ignore[return-value]


def test_case_with_new_person_existing_company_and_picture(session, investigator, tmp_path):
    with session.begin():
        company = create_company(session, investigator, company_data())
    case = CaseInput(
        seizure=seizure_data(),
        persons=[Participant(role="courier", new=person_data())],
        companies=[Participant(role="importer", existing_id=company.id)],
        pictures=[("hidden.jpg", jpeg())],
        picture_caption="Cigarettes behind the tiles",
    )
    with session.begin():
        seizure = record_case(
            session, investigator, case, store=PictureStore(tmp_path), limits=Settings()
        )
    with session.begin():
        detail = read_seizure(session, investigator, seizure.id)
    assert [p.role for p in detail.persons] == ["courier"]
    assert [(c.record_id, c.role) for c in detail.companies] == [(company.id, "importer")]
    assert seizure.version == 4  # created, two links, one picture


def test_every_part_reports_its_errors_and_nothing_is_written(session, investigator, tmp_path):
    before = counts(session)
    case = CaseInput(
        seizure=seizure_data(departure_country="ZZ"),
        persons=[
            Participant(role="courier", new=person_data(names=[])),
            Participant(role="cook", new=person_data()),
            Participant(role="driver"),
        ],
        companies=[Participant(role="importer", existing_id=uuid.uuid4())],
        pictures=[("notes.jpg", b"this is not a picture")],
    )
    with pytest.raises(ValidationError) as caught, session.begin():
        record_case(session, investigator, case, store=PictureStore(tmp_path), limits=Settings())
    errors = caught.value.errors
    assert "departure_country" in errors
    assert "persons.0.new.names" in errors
    assert "persons.2" in errors
    # The seizure failed, yet roles and pictures were still checked: one round of corrections.
    assert "cook" in errors["persons.1.role"]
    assert "pictures.files.0" in errors
    assert counts(session) == before


def test_valid_seizure_with_bad_link_role_rolls_back_everything(session, investigator, tmp_path):
    before = counts(session)
    case = CaseInput(
        seizure=seizure_data(),
        persons=[Participant(role="cook", new=person_data())],
        companies=[Participant(role="importer", existing_id=uuid.uuid4())],
    )
    with pytest.raises(ValidationError) as caught, session.begin():
        record_case(session, investigator, case)
    assert "cook" in caught.value.errors["persons.0.role"]
    assert "not found" in caught.value.errors["companies.0"]
    assert counts(session) == before

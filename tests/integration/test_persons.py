"""Person services: names in several scripts, documents, partial birth dates, every refusal."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from ncen.errors import ConflictError, NotFoundError, PermissionDeniedError, ValidationError
from ncen.history import list_versions
from ncen.persons.models import IdentityDocument, NameKind, Person, PersonName
from ncen.persons.services import create_person, delete_person, restore_person, update_person
from tests.factories import person_data


def test_create_person_with_names_in_several_scripts(session, investigator):
    with session.begin():
        person = create_person(
            session,
            investigator,
            person_data(
                names=[
                    {"full_name": "Алиев Мухаммад", "kind": "primary"},
                    {"full_name": "محمد علی", "kind": "alias"},
                    {"full_name": "王伟", "kind": "alias"},
                    {"given_names": "Mukhammad", "family_name": "Aliev"},
                ]
            ),
        )
    scripts = [n.script for n in person.names]
    assert scripts == ["Cyrl", "Arab", "Hani", "Latn"]
    assert person.names[3].full_name == "Mukhammad Aliev"
    assert person.names[3].kind is NameKind.ALIAS
    assert person.display_name == "Алиев Мухаммад"
    assert {n.country for n in person.nationalities} == {"KZ", "UZ"}
    document = person.documents[0]
    assert (document.number, document.number_norm) == ("N 1234-5678", "N12345678")
    assert person.contacts[0].value_norm == "+77015551234"


def test_cyrillic_lookalike_passport_letters_normalise_to_latin(session, investigator):
    with session.begin():
        person = create_person(
            session,
            investigator,
            person_data(documents=[{"doc_type": "passport", "number": "Н 0012345"}]),
        )
    assert person.documents[0].number_norm == "H0012345"


def test_person_without_any_name_is_refused(session, investigator):
    with pytest.raises(ValidationError) as caught, session.begin():
        create_person(session, investigator, person_data(names=[]))
    assert "at least one name" in caught.value.errors["names"]
    with pytest.raises(ValidationError) as caught, session.begin():
        create_person(session, investigator, person_data(names=[{"full_name": "   "}]))
    assert "names.0.full_name" in caught.value.errors


def test_every_bad_field_reported_and_nothing_written(session, investigator):
    before = session.execute(select(func.count()).select_from(Person)).scalar_one()
    session.commit()
    with pytest.raises(ValidationError) as caught, session.begin():
        create_person(
            session,
            investigator,
            person_data(
                gender="Q",
                birth_year=1984,
                birth_month=2,
                birth_day=30,
                birth_country="XX",
                nationalities=["KZ", "QQ"],
                documents=[{"doc_type": "passport", "number": "!!"}],
                contacts=[{"kind": "email", "value": "not-an-address"}],
            ),
        )
    errors = caught.value.errors
    assert set(errors) >= {
        "gender",
        "birth_date",
        "birth_country",
        "nationalities.1",
        "documents.0.number",
        "contacts.0.value",
    }
    after = session.execute(select(func.count()).select_from(Person)).scalar_one()
    names = session.execute(select(func.count()).select_from(PersonName)).scalar_one()
    docs = session.execute(select(func.count()).select_from(IdentityDocument)).scalar_one()
    assert after == before
    assert (names, docs) == (0, 0)


@pytest.mark.parametrize(
    ("year", "month", "day"),
    [(None, 5, None), (1990, None, 3), (2999, None, None), (1800, None, None)],
)
def test_impossible_partial_birth_dates_refused(session, investigator, year, month, day):
    with pytest.raises(ValidationError) as caught, session.begin():
        create_person(
            session,
            investigator,
            person_data(birth_year=year, birth_month=month, birth_day=day),
        )
    assert "birth_date" in caught.value.errors


def test_partial_birth_date_year_only(session, investigator):
    with session.begin():
        person = create_person(
            session, investigator, person_data(birth_year=1979, birth_month=None)
        )
    assert (person.birth_year, person.birth_month, person.birth_day) == (1979, None, None)


def test_update_stale_version_and_history(session, investigator):
    with session.begin():
        person = create_person(session, investigator, person_data())
    with session.begin():
        update_person(session, investigator, person.id, 1, person_data(birth_year=1985))
    with pytest.raises(ConflictError), session.begin():
        update_person(session, investigator, person.id, 1, person_data(birth_year=1990))
    versions = list_versions(session, "person", person.id)
    assert [v.version for v in versions] == [1, 2]
    assert versions[1].changes == {"birth_year": [1984, 1985]}


def test_soft_delete_and_restore(session, investigator, supervisor):
    with session.begin():
        person = create_person(session, investigator, person_data())
    with pytest.raises(PermissionDeniedError), session.begin():
        delete_person(session, investigator, person.id, person.version)
    with session.begin():
        delete_person(session, supervisor, person.id, person.version)
    with pytest.raises(NotFoundError), session.begin():
        update_person(session, supervisor, person.id, person.version, person_data())
    with session.begin():
        restore_person(session, supervisor, person.id, person.version)
    assert person.deleted_at is None
    kinds = [v.kind.value for v in list_versions(session, "person", person.id)]
    assert kinds == ["create", "delete", "restore"]


def test_administrator_cannot_create_records(session):
    from ncen.accounts.models import Role
    from tests.conftest import make_actor

    admin = make_actor(session, Role.ADMINISTRATOR)
    with pytest.raises(PermissionDeniedError), session.begin():
        create_person(session, admin, person_data())

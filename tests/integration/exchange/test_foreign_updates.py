"""The originator's updates reach receivers: a newer version is applied once, an older or
repeated one is not, and a retracted record is never brought back."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import select

from ncen.accounts.actor import Actor
from ncen.errors import NotFoundError, PermissionDeniedError
from ncen.foreign import update_foreign_record
from ncen.history import ChangeKind, list_versions
from ncen.persons.models import Person
from ncen.persons.services import PERSON, import_foreign_person, update_person
from ncen.records import Provenance
from ncen.seizures.foreign import import_foreign_seizure, update_foreign_seizure
from ncen.seizures.models import Seizure
from ncen.seizures.services import update_seizure
from tests.factories import person_data, seizure_data


def provenance(origin_id: str, version: int, node: str = "fr-ncen") -> Provenance:
    return Provenance(node, origin_id, uuid.uuid4(), origin_version=version)


def test_update_of_a_foreign_person_is_one_new_version_with_provenance(session, system):
    person = import_foreign_person(session, system, person_data(), provenance("p-1", 1))
    assert person.origin_version == 1
    update_foreign_record(
        session,
        system,
        PERSON,
        person.id,
        data=person_data(birth_year=1986),
        provenance=provenance("p-1", 3),
    )
    assert (person.birth_year, person.origin_version, person.version) == (1986, 3, 2)
    latest = list_versions(session, "person", person.id)[-1]
    assert latest.kind is ChangeKind.UPDATE
    assert latest.changes["birth_year"] == [1984, 1986]


def test_only_the_originator_updates_and_never_a_deleted_record(session, system):
    person = import_foreign_person(session, system, person_data(), provenance("p-2", 1))
    with pytest.raises(PermissionDeniedError):
        update_foreign_record(
            session,
            system,
            PERSON,
            person.id,
            data=person_data(),
            provenance=provenance("p-2", 2, node="de-ncen"),
        )
    person.deleted_at = person.created_at  # as a retraction leaves it
    session.flush()
    with pytest.raises(NotFoundError):
        update_foreign_record(
            session, system, PERSON, person.id, data=person_data(), provenance=provenance("p-2", 2)
        )


def test_update_of_a_foreign_seizure_replaces_fields_items_and_links(session, system):
    first = import_foreign_person(session, system, person_data(), provenance("p-3", 1))
    second = import_foreign_person(session, system, person_data(), provenance("p-4", 1))
    data = seizure_data(
        reference="SZ-1",
        status="submitted",
        persons=[{"id": str(first.id), "role": "courier", "note": None}],
    )
    seizure = import_foreign_seizure(session, system, data, provenance("s-1", 1))
    newer = seizure_data(
        reference="SZ-1",
        status="validated",
        place="Dostyk",
        persons=[{"id": str(second.id), "role": "driver", "note": None}],
    )
    update_foreign_seizure(session, system, seizure.id, newer, provenance("s-1", 2))
    snapshot = list_versions(session, "seizure", seizure.id)[-1].snapshot
    assert (seizure.place, seizure.status.value, seizure.origin_version) == (
        "Dostyk",
        "validated",
        2,
    )
    assert snapshot["persons"] == [{"id": str(second.id), "role": "driver", "note": None}]
    assert seizure.reference == "fr-ncen/SZ-1"


def test_national_update_services_still_refuse_foreign_edits_by_investigators(
    session, investigator
):
    officer = Actor.system("exchange")
    person = import_foreign_person(session, officer, person_data(), provenance("p-5", 1))
    with pytest.raises(PermissionDeniedError):
        update_person(session, investigator, person.id, person.version, person_data())
    seizure = import_foreign_seizure(
        session, officer, seizure_data(reference="X"), provenance("s-9", 1)
    )
    with pytest.raises(PermissionDeniedError):
        update_seizure(session, investigator, seizure.id, seizure.version, seizure_data())
    assert session.execute(select(Seizure.place).where(Seizure.id == seizure.id)).scalar_one()
    assert session.get(Person, person.id).version == 1

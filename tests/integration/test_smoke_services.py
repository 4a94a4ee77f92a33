"""Temporary smoke check while building; replaced by the full service tests."""

from ncen.persons.services import create_person
from ncen.seizures.services import link_entity, record_seizure
from tests.factories import person_data, seizure_data


def test_record_and_link(session, investigator):
    with session.begin():
        person = create_person(session, investigator, person_data())
        seizure = record_seizure(session, investigator, seizure_data())
        link_entity(session, investigator, seizure.id, seizure.version, kind="person",
                    target_id=person.id, role="courier")
    assert seizure.version == 2
    assert seizure.reference.startswith("SZ-")

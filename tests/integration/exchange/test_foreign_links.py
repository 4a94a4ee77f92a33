"""Analysts state that a received record is one of ours with a link, never a merge."""

from __future__ import annotations

import uuid

import pytest

from exchange.errors import PolicyError
from exchange.records.links import link_foreign
from ncen.accounts.actor import Actor
from ncen.errors import PermissionDeniedError
from ncen.persons.services import create_person, import_foreign_person
from ncen.records import Provenance
from tests.factories import person_data


def test_analyst_links_a_foreign_person_to_a_national_one(session, analyst, investigator):
    national = create_person(session, investigator, person_data())
    foreign = import_foreign_person(
        session, Actor.system("exchange"), person_data(), Provenance("fr-ncen", "p-1", uuid.uuid4())
    )
    link = link_foreign(
        session,
        analyst,
        record_type="persons",
        foreign_id=foreign.id,
        national_id=national.id,
        note="same passport",
    )
    assert (link.foreign_id, link.national_id) == (foreign.id, national.id)
    with pytest.raises(PermissionDeniedError):
        link_foreign(
            session,
            investigator,
            record_type="persons",
            foreign_id=foreign.id,
            national_id=national.id,
            note=None,
        )
    with pytest.raises(PolicyError):  # both national: nothing to link
        link_foreign(
            session,
            analyst,
            record_type="persons",
            foreign_id=national.id,
            national_id=national.id,
            note=None,
        )

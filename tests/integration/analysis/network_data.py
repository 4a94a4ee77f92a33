"""A small planted network for the chart and timeline tests, built through the services.

Two persons and a company in one seizure (P driver, C importer), a second person Q in a second
seizure; records are created by an investigator, read by an analyst.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from ncen.accounts.actor import Actor
from ncen.analysis.graph import NodeKey
from ncen.companies.services import create_company
from ncen.persons.services import create_person
from ncen.seizures.services import link_entity, record_seizure
from tests import factories


@dataclass
class Network:
    """The records of the planted network, as node keys and as rows."""

    person: Any
    other: Any
    company: Any
    seizure: Any
    second: Any

    def key(self, name: str) -> NodeKey:
        """The node key of the record ``name`` (person, other, company, seizure, second)."""
        record = getattr(self, name)
        kind = {"other": "person", "second": "seizure"}.get(name, name)
        return NodeKey(kind, record.id)


def plant(session: Session, author: Actor) -> Network:
    """Create the network as ``author`` (an investigator) and flush it."""
    person = create_person(
        session,
        author,
        factories.person_data(
            birth_year=1984, birth_month=None,
            documents=[{"doc_type": "passport", "number": "N 1234-5678",
                        "issuing_country": "KZ", "expires_on": "2031-05-17"}],
        ),
    )  # fmt: skip
    other = create_person(
        session,
        author,
        factories.person_data(
            names=[{"full_name": "Ivan Petrov", "kind": "primary"}], birth_year=1990,
            birth_month=3, documents=[], contacts=[],
        ),
    )  # fmt: skip
    company = create_company(session, author, factories.company_data())
    seizure = record_seizure(
        session, author, factories.seizure_data(occurred_at="2025-02-01T10:00:00+00:00")
    )
    second = record_seizure(
        session, author, factories.seizure_data(occurred_at="2025-06-01T10:00:00+00:00")
    )
    link_entity(session, author, seizure.id, seizure.version, kind="person",
                target_id=person.id, role="driver")  # fmt: skip
    link_entity(session, author, seizure.id, seizure.version, kind="company",
                target_id=company.id, role="importer")  # fmt: skip
    link_entity(session, author, second.id, second.version, kind="person",
                target_id=other.id, role="courier")  # fmt: skip
    session.flush()
    return Network(person, other, company, seizure, second)

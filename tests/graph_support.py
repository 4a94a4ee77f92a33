"""Planted graphs for the entity-graph tests: a courier ring, a namesake, a hub, strays.

`plant_ring` builds, through the public services (and plain link rows where the services would
only slow the test down), the network the issue describes: couriers who share a company, a
truck and phone numbers over several seizures, plus the cases every graph answer must survive:
a namesake of a courier with no link to anyone, an isolated person, a deleted person who took
part in a seizure, a received (foreign) person, and a hub company in ``hub_seizures`` seizures.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session

from ncen.accounts.actor import Actor
from ncen.analysis.entities import NodeKey
from ncen.companies.models import PersonCompany
from ncen.companies.services import create_company
from ncen.conveyances.services import create_conveyance
from ncen.persons.services import create_person, delete_person
from ncen.seizures.models import Seizure, SeizureCompany, SeizureConveyance, SeizurePerson
from ncen.seizures.services import record_seizure
from tests.factories import company_data, conveyance_data, person_data, seizure_data

NOW = datetime.now(UTC)


@dataclass
class Ring:
    """Keys of the planted records, by role in the story."""

    a: NodeKey  # courier A: director of the company, drives the truck in S1
    b: NodeKey  # courier B: same phone as A, drives in S2
    d: NodeKey  # courier D: same e-mail as B, passenger in S3
    namesake: NodeKey  # same name as A, no link to anyone
    isolated: NodeKey
    deleted: NodeKey  # took part in S1, then deleted
    foreign: NodeKey  # received from another node, in S3
    company: NodeKey
    truck: NodeKey
    s1: NodeKey
    s2: NodeKey
    s3: NodeKey
    references: dict[str, str] = field(default_factory=dict)
    hub: NodeKey | None = None


def _person(session: Session, actor: Actor, name: str, **overrides: Any) -> NodeKey:
    data = person_data(
        names=[{"full_name": name, "kind": "primary"}],
        documents=overrides.pop("documents", []),
        contacts=overrides.pop("contacts", []),
        **overrides,
    )
    return NodeKey("person", create_person(session, actor, data).id)


def _seizure(session: Session, actor: Actor, days_ago: int) -> tuple[NodeKey, str]:
    occurred = (NOW - timedelta(days=days_ago)).isoformat()
    seizure = record_seizure(session, actor, seizure_data(occurred_at=occurred))
    return NodeKey("seizure", seizure.id), seizure.reference


def _link(session: Session, seizure: NodeKey, key: NodeKey, role: str) -> None:
    if key.kind == "person":
        session.add(SeizurePerson(seizure_id=seizure.id, person_id=key.id, role=role))
    elif key.kind == "company":
        session.add(SeizureCompany(seizure_id=seizure.id, company_id=key.id, role=role))
    else:
        session.add(SeizureConveyance(seizure_id=seizure.id, conveyance_id=key.id, role=role))


def plant_ring(session: Session, actor: Actor, *, hub_seizures: int = 0) -> Ring:
    """Plant the ring (see module docstring) with ``actor`` (a supervisor); flushes."""
    a = _person(
        session,
        actor,
        "Arman Seitkali",
        documents=[{"doc_type": "passport", "number": "N 1111-2222", "issuing_country": "KZ"}],
        contacts=[{"kind": "phone", "value": "+7 701 555 12 34"}],
        addresses=[{"line": "12 Abay Avenue, flat 4", "city": "Almaty", "country": "KZ"}],
    )
    b = _person(
        session,
        actor,
        "Bolat Nurlanov",
        contacts=[
            {"kind": "phone", "value": "+7 (701) 555-12-34"},
            {"kind": "email", "value": "Bolat.N@example.org"},
        ],
    )
    d = _person(
        session,
        actor,
        "Dana Akhmetova",
        contacts=[{"kind": "email", "value": "bolat.n@example.org"}],
    )
    namesake = _person(
        session,
        actor,
        "Arman Seitkali",
        documents=[{"doc_type": "passport", "number": "N 9999-0000", "issuing_country": "KZ"}],
    )
    isolated = _person(session, actor, "Ivan Odinokov")
    deleted = _person(
        session, actor, "Gone Person", contacts=[{"kind": "phone", "value": "+7 701 555 12 34"}]
    )
    foreign = _person(session, actor, "Farid Karimov")
    company = NodeKey("company", create_company(session, actor, company_data()).id)
    truck = NodeKey(
        "conveyance",
        create_conveyance(
            session,
            actor,
            conveyance_data(
                kind="vehicle",
                identifiers=[{"kind": "plate", "value": "123ABC02", "country": "KZ"}],
            ),
        ).id,
    )
    (s1, r1), (s2, r2), (s3, r3) = (_seizure(session, actor, n) for n in (30, 20, 10))
    _link(session, s1, a, "driver")
    _link(session, s1, a, "owner")
    _link(session, s1, deleted, "passenger")
    _link(session, s1, truck, "means_of_transport")
    _link(session, s1, company, "importer")
    _link(session, s2, b, "driver")
    _link(session, s2, truck, "means_of_transport")
    _link(session, s2, company, "importer")
    _link(session, s3, d, "passenger")
    _link(session, s3, foreign, "passenger")
    _link(session, s3, company, "consignee")
    session.add(PersonCompany(person_id=a.id, company_id=company.id, role="director"))
    session.flush()
    gone = delete_person(session, actor, deleted.id, 1)
    assert gone.deleted_at is not None
    from ncen.persons.models import Person

    record = session.get(Person, foreign.id)
    assert record is not None
    record.origin_node = "KZ-NODE-2"
    record.origin_id = str(uuid.uuid4())
    record.received_bundle_id = uuid.uuid4()
    session.flush()
    ring = Ring(a, b, d, namesake, isolated, deleted, foreign, company, truck, s1, s2, s3)
    ring.references = {"s1": r1, "s2": r2, "s3": r3}
    if hub_seizures:
        ring.hub = plant_hub(session, actor, hub_seizures)
    return ring


def plant_hub(session: Session, actor: Actor, seizures: int) -> NodeKey:
    """A company that took part in ``seizures`` seizures (rows inserted directly; the services
    would take minutes and prove nothing more here)."""
    hub = NodeKey(
        "company", create_company(session, actor, company_data(registration_number=None)).id
    )
    rows = [
        Seizure(
            id=uuid.uuid4(),
            reference=f"HUB-{uuid.uuid4().hex[:12]}",
            occurred_at=NOW - timedelta(days=n),
            created_by_id=actor.user_id,
        )
        for n in range(seizures)
    ]
    session.add_all(rows)
    session.flush()
    session.add_all(
        SeizureCompany(seizure_id=s.id, company_id=hub.id, role="carrier") for s in rows
    )
    session.flush()
    return hub

"""Retractions and updates of records this node shared, and their application by receivers.

Sending: `queue_retraction` names the seizures to withdraw; the message lists them with every
record they link to that was shared, and goes to each peer that received any of them
(`SharedRecord`). `changed_since_shared` lists shared records changed since, so the officer can
offer the update by re-sending (`exchange.outbox.queue_records`).

Receiving: `receive_retraction` runs inside the import transaction of a verified bundle, whose
sender signed the message. Only records that the *sender* originated are touched. Each is
soft-deleted through the domain services (history and audit), then its content is removed:
child rows (names, documents, items…), free-text columns, picture links and the stored history
snapshots; the kept signed record set that carried it is emptied so it can never be forwarded.
A `Tombstone` keeps who retracted what, when and why.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import delete, inspect, select, update
from sqlalchemy.orm import Session

from exchange.errors import PolicyError
from exchange.models import Peer, ReceivedRecordSet
from exchange.netmodels import SharedRecord, Tombstone
from exchange.node import NodeContext
from exchange.opening import OpenedBundle
from exchange.outbox import QueuedBundle, queue_message
from ncen.accounts.actor import Actor
from ncen.audit import record_event
from ncen.companies.models import Company
from ncen.companies.services import delete_company
from ncen.conveyances.models import Conveyance
from ncen.conveyances.services import delete_conveyance
from ncen.history import RecordVersion
from ncen.persons.models import Person
from ncen.persons.services import delete_person
from ncen.pictures.models import PictureLink
from ncen.records import RecordMixin
from ncen.seizures.models import Seizure, SeizureCompany, SeizureConveyance, SeizurePerson
from ncen.seizures.services import delete_seizure

_MODELS: dict[str, tuple[type[RecordMixin], str, Callable[..., Any]]] = {
    "seizures": (Seizure, "seizure", delete_seizure),
    "persons": (Person, "person", delete_person),
    "companies": (Company, "company", delete_company),
    "conveyances": (Conveyance, "conveyance", delete_conveyance),
}
_SCRUBBED_TEXT = (
    "narrative",
    "concealment_description",
    "place",
    "description",
    "birth_place",
    "registration_number",
    "tax_number",
    "address_line",
    "address_city",
    "name",
    "handling_restrictions",
)
_LINK_MODELS = (SeizurePerson, SeizureCompany, SeizureConveyance)


def queue_retraction(
    session: Session,
    actor: Actor,
    node: NodeContext,
    *,
    references: Sequence[str],
    reason: str,
    legal_basis: str,
    now: datetime,
) -> QueuedBundle:
    """Send a signed retraction of national seizures (and what was shared with them) to every
    peer that received them. Raises `PolicyError` when none of them was shared."""
    seizures = list(
        session.execute(select(Seizure).where(Seizure.reference.in_(list(references)))).scalars()
    )
    if not seizures or any(s.origin_node is not None for s in seizures):
        raise PolicyError("only seizures recorded by this node can be retracted")
    ids = [s.id for s in seizures]
    linked: list[tuple[str, uuid.UUID]] = [("seizures", i) for i in ids]
    for model, column, record_type in (
        (SeizurePerson, "person_id", "persons"),
        (SeizureCompany, "company_id", "companies"),
        (SeizureConveyance, "conveyance_id", "conveyances"),
    ):
        rows = session.execute(
            select(getattr(model, column)).where(model.seizure_id.in_(ids))
        ).scalars()
        linked += [(record_type, row) for row in rows]
    shared = session.execute(
        select(SharedRecord.record_type, SharedRecord.record_id, SharedRecord.peer_node_id).where(
            SharedRecord.record_id.in_([record_id for _, record_id in linked])
        )
    ).all()
    wanted = set(linked)
    peers = sorted({peer for kind, rid, peer in shared if (kind, rid) in wanted})
    if not peers:
        raise PolicyError("these seizures were never sent to a peer")
    records = sorted(
        {(kind, str(rid)) for kind, rid, _ in shared if (kind, rid) in wanted},
    )
    return queue_message(
        session,
        actor,
        node,
        recipients=peers,
        kind="retraction",
        body={
            "records": [{"record_type": k, "origin_id": i} for k, i in records],
            "reason": reason,
        },
        legal_basis=legal_basis,
        purpose="retraction",
        now=now,
    )


def changed_since_shared(session: Session) -> list[tuple[str, Seizure, int, list[str]]]:
    """Shared seizures whose version moved on since they were sent: (reference, seizure,
    version sent, peers) for the "offer the update for re-sending" list."""
    rows = session.execute(
        select(SharedRecord, Seizure)
        .join(Seizure, Seizure.id == SharedRecord.record_id)
        .where(SharedRecord.record_type == "seizures", Seizure.deleted_at.is_(None))
    ).all()
    latest: dict[uuid.UUID, tuple[Seizure, int, set[str]]] = {}
    for shared, seizure in rows:
        seizure_obj, version, peers = latest.get(seizure.id, (seizure, 0, set()))
        peers.add(shared.peer_node_id)
        latest[seizure.id] = (seizure_obj, max(version, shared.version), peers)
    return [
        (seizure.reference, seizure, version, sorted(peers))
        for seizure, version, peers in latest.values()
        if seizure.version > version
    ]


def _scrub(session: Session, record: RecordMixin, record_type: str) -> None:
    mapper = inspect(type(record))
    for relationship in mapper.relationships:
        if "delete-orphan" in relationship.cascade and relationship.uselist:
            getattr(record, relationship.key).clear()
    for name in _SCRUBBED_TEXT:
        column = mapper.columns.get(name)
        if column is not None and column.nullable:
            setattr(record, name, None)
    column_name = {"seizures": "seizure_id", "persons": "person_id"}.get(record_type)
    column_name = column_name or {"companies": "company_id"}.get(record_type, "conveyance_id")
    session.execute(delete(PictureLink).where(getattr(PictureLink, column_name) == record.id))
    if record_type == "seizures":
        for model in _LINK_MODELS:
            session.execute(delete(model).where(model.seizure_id == record.id))
    session.flush()
    session.execute(
        update(RecordVersion)
        .where(RecordVersion.record_id == record.id)
        .values(snapshot={"retracted": True}, changes={"retracted": [None, True]})
    )


def receive_retraction(
    session: Session,
    node: NodeContext,
    sender: Peer,
    opened: OpenedBundle,
    message: dict[str, Any],
) -> None:
    """Apply a verified retraction from ``sender`` (see the module docstring)."""
    actor = Actor.system("exchange-inbox")
    reason = message["body"]["reason"]
    for item in message["body"]["records"]:
        record_type, origin_id = item["record_type"], item["origin_id"]
        model, singular, delete_service = _MODELS[record_type]
        exists = session.execute(
            select(Tombstone.id).where(
                Tombstone.origin_node == sender.node_id,
                Tombstone.origin_id == origin_id,
                Tombstone.record_type == record_type,
            )
        ).first()
        if exists:
            continue
        record = session.execute(
            select(model).where(model.origin_node == sender.node_id, model.origin_id == origin_id)
        ).scalar_one_or_none()
        label = f"{singular} {origin_id}"
        if record is not None:
            label = str(getattr(record, "reference", label))
            if record.deleted_at is None:
                delete_service(session, actor, record.id, record.version)
            _scrub(session, record, record_type)
            session.execute(
                update(ReceivedRecordSet)
                .where(
                    ReceivedRecordSet.originator_node_id == sender.node_id,
                    ReceivedRecordSet.bundle_id == record.received_bundle_id,
                )
                .values(data=b"", contents={"retracted": True})
            )
        session.add(
            Tombstone(
                origin_node=sender.node_id,
                origin_id=origin_id,
                record_type=record_type,
                local_id=record.id if record is not None else None,
                label=label[:200],
                reason=reason[:300],
                bundle_id=opened.header.bundle_id,
            )
        )
        session.flush()
        record_event(
            session,
            actor,
            "exchange.retraction",
            record_type=singular,
            record_id=record.id if record is not None else origin_id,
            details={"origin_node": sender.node_id, "origin_id": origin_id, "reason": reason},
        )

"""Retractions and updates of records this node shared, and their application by receivers.

Sending: `queue_retraction` names the seizures to withdraw; the message lists them with every
record they link to that was shared, and goes to each peer that received any of them
(`SharedRecord`). `changed_since_shared` lists shared records changed since, so the officer can
offer the update by re-sending (`exchange.network.outbox.queue_records`).

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

from sqlalchemy import Engine, delete, event, inspect, or_, select, text, update
from sqlalchemy.orm import Session

from exchange.crypto.opening import OpenedBundle
from exchange.errors import PolicyError
from exchange.models import Peer, ReceivedRecordSet
from exchange.netmodels import ForeignLink, SharedRecord, Tombstone
from exchange.network.node import NodeContext
from exchange.network.outbox import QueuedBundle, queue_message
from ncen.accounts.actor import Actor
from ncen.audit import record_event
from ncen.companies.models import Company
from ncen.companies.services import delete_company
from ncen.conveyances.models import Conveyance
from ncen.conveyances.services import delete_conveyance
from ncen.history import RecordVersion
from ncen.merging.models import MergeDecision
from ncen.persons.models import Person
from ncen.persons.services import delete_person
from ncen.pictures.models import Picture, PictureLink
from ncen.pictures.store import Kind, PictureStore
from ncen.records import RecordMixin
from ncen.seizures.models import Seizure, SeizureCompany, SeizureConveyance, SeizurePerson
from ncen.seizures.services import delete_seizure
from ncen.watch.models import Alert

_MODELS: dict[str, tuple[type[RecordMixin], str, Callable[..., Any]]] = {
    "seizures": (Seizure, "seizure", delete_seizure),
    "persons": (Person, "person", delete_person),
    "companies": (Company, "company", delete_company),
    "conveyances": (Conveyance, "conveyance", delete_conveyance),
}
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


# Columns a retracted record keeps: its identity, provenance and bookkeeping, which the tombstone
# and the audit trail refer to. Every other nullable column is content and is emptied.
_KEPT_COLUMNS = frozenset(
    {
        "id",
        "version",
        "handling_code",
        "origin_node",
        "origin_id",
        "received_bundle_id",
        "origin_version",
        "deleted_at",
        "created_at",
        "updated_at",
        "created_by_id",
        "validated_by_id",
        "validated_at",
    }
)
_PICTURE_COLUMNS = {
    "seizures": "seizure_id",
    "persons": "person_id",
    "companies": "company_id",
    "conveyances": "conveyance_id",
}
# Terms still used by a live name form keep their place in the vocabulary.
_UNUSED_TERMS = text(
    "DELETE FROM name_terms WHERE term = ANY(CAST(:terms AS text[])) "
    "AND NOT EXISTS (SELECT 1 FROM person_names WHERE search_terms @> ARRAY[name_terms.term]) "
    "AND NOT EXISTS (SELECT 1 FROM company_names WHERE search_terms @> ARRAY[name_terms.term])"
)


def _name_terms(record: RecordMixin) -> set[str]:
    names = getattr(record, "names", None) or []
    return {term for name in names for term in (getattr(name, "search_terms", None) or [])}


def _scrub(session: Session, record: RecordMixin, record_type: str) -> set[str]:
    """Remove the content of a retracted (already soft-deleted) record; return the sha256 of the
    pictures whose last link it held (their rows are deleted here, their files after commit)."""
    mapper = inspect(type(record))
    terms = _name_terms(record)
    for relationship in mapper.relationships:
        if "delete-orphan" in relationship.cascade and relationship.uselist:
            getattr(record, relationship.key).clear()
    for column in mapper.columns:
        if column.key not in _KEPT_COLUMNS and column.nullable and column.computed is None:
            setattr(record, column.key, None)
    link_column = getattr(PictureLink, _PICTURE_COLUMNS[record_type])
    picture_ids = list(
        session.execute(
            delete(PictureLink).where(link_column == record.id).returning(PictureLink.picture_id)
        ).scalars()
    )
    if record_type == "seizures":
        for model in _LINK_MODELS:
            session.execute(delete(model).where(model.seizure_id == record.id))
    session.flush()
    # A picture is one row per content: it goes (with its caption) only when no other record
    # links to it any more; otherwise the other record still uses it and it stays.
    orphans = list(
        session.execute(
            delete(Picture)
            .where(
                Picture.id.in_(picture_ids),
                ~select(PictureLink.id).where(PictureLink.picture_id == Picture.id).exists(),
            )
            .returning(Picture.sha256)
        ).scalars()
    )
    if terms:
        session.execute(_UNUSED_TERMS, {"terms": sorted(terms)})
    # History snapshots held every version's content; the rows stay as bare "a version existed"
    # markers (who and when), the content goes.
    session.execute(
        update(RecordVersion)
        .where(RecordVersion.record_id == record.id)
        .values(snapshot={"retracted": True}, changes={"retracted": [None, True]})
    )
    # Alerts explain a match with the names matched; analyst links carry notes; merge
    # decisions carry evidence. They all describe the retracted record.
    session.execute(delete(Alert).where(Alert.record_id == record.id))
    session.execute(delete(ForeignLink).where(ForeignLink.foreign_id == record.id))
    session.execute(
        delete(MergeDecision).where(
            or_(MergeDecision.record_a_id == record.id, MergeDecision.record_b_id == record.id)
        )
    )
    return set(orphans)


def _empty_kept_record_sets(
    session: Session, originator: str, record_type: str, origin_id: str
) -> None:
    """Empty every kept signed record set of ``originator`` that carried the record: the first
    version received as well as the updates. A set is signed as a whole, so it cannot be cut;
    emptied, it can no longer be forwarded (`exchange.records.export` refuses it)."""
    session.execute(
        update(ReceivedRecordSet)
        .where(
            ReceivedRecordSet.originator_node_id == originator,
            ReceivedRecordSet.contents.contains({record_type: [origin_id]}),
        )
        .values(data=b"", contents={"retracted": True})
    )


def _remove_files_after_commit(session: Session, store: PictureStore, hashes: set[str]) -> None:
    """Delete the files of pictures whose rows this transaction deleted, once it has committed.

    Files cannot share the transaction: deleting them before the commit would leave rows without
    files if it rolled back. After the commit, each file is removed unless a picture row of the
    same content exists again (an upload of identical content committed meanwhile).
    """
    if not hashes:
        return
    bind = session.get_bind()

    def remove(_session: Session) -> None:
        event.remove(session, "after_rollback", forget)
        query = select(Picture.sha256).where(Picture.sha256.in_(sorted(hashes)))
        if isinstance(bind, Engine):
            with bind.connect() as connection:
                alive = set(connection.execute(query).scalars())
        else:  # a session bound to a connection (tests): it is free again after the commit
            alive = set(bind.execute(query).scalars())
        for sha256 in hashes - alive:
            for kind in Kind:
                store.path(kind, sha256).unlink(missing_ok=True)

    def forget(_session: Session) -> None:
        event.remove(session, "after_commit", remove)

    event.listen(session, "after_commit", remove, once=True)
    event.listen(session, "after_rollback", forget, once=True)


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
    doomed: set[str] = set()
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
            doomed |= _scrub(session, record, record_type)
        _empty_kept_record_sets(session, sender.node_id, record_type, origin_id)
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
    _remove_files_after_commit(session, node.store, doomed)

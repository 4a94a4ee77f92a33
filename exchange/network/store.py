"""What the node remembers about bundles: those accepted (replay guard) and those it sealed.

`DatabaseReplayGuard` answers opening's `ReplayGuard` questions. Opening itself records nothing:
`record_received` marks a bundle as accepted and moves the sender's sequence number, and is
called in the same transaction as the import, after locking the sender's row, so two imports of
the same bundle can never both commit. `next_sequence` hands out the per-recipient sequence
numbers of outgoing bundles from a counter row updated in place (gaps are harmless, repeats are
impossible). `record_sent` keeps what was sealed, to whom, for the ledger.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Mapping
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from exchange.crypto.header import BundleHeader
from exchange.crypto.opening import OpenedBundle, OpenedRecordSet
from exchange.errors import PeerError, ReplayError, SequenceError
from exchange.models import Peer, ReceivedBundle, ReceivedRecordSet, SentBundle
from ncen.accounts.actor import Actor


def header_digest(header: BundleHeader) -> str:
    """SHA-256 of the header's canonical bytes (the same bytes that were signed)."""
    return hashlib.sha256(header.to_bytes()).hexdigest()


class DatabaseReplayGuard:
    """`ReplayGuard` over the received-bundles table and the peers' sequence numbers."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def seen(self, bundle_id: uuid.UUID) -> bool:
        return self._session.get(ReceivedBundle, bundle_id) is not None

    def last_sequence(self, sender_node_id: str) -> int | None:
        return self._session.execute(
            select(Peer.last_sequence_in).where(Peer.node_id == sender_node_id)
        ).scalar_one_or_none()


def received_bundle(session: Session, bundle_id: uuid.UUID) -> ReceivedBundle | None:
    """The record of an accepted bundle, or None."""
    return session.get(ReceivedBundle, bundle_id)


def record_received(
    session: Session, actor: Actor, opened: OpenedBundle, summary: Mapping[str, Any]
) -> ReceivedBundle:
    """Mark ``opened`` as accepted and move its sender's sequence number.

    Locks the sender's row first and checks replay and sequence again under the lock, so a
    concurrent import of the same bundle fails here (`ReplayError`, `SequenceError`) instead of
    importing twice. Writes the received-bundle row and the received record sets (kept byte for
    byte, with their originator statements, for onward forwarding).
    """
    header = opened.header
    peer = session.execute(
        select(Peer)
        .where(Peer.node_id == header.sender_node_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).scalar_one_or_none()
    if peer is None:
        raise PeerError(f"sender {header.sender_node_id} is no longer registered")
    if session.get(ReceivedBundle, header.bundle_id) is not None:
        raise ReplayError(f"bundle {header.bundle_id} was already accepted")
    sequence = opened.recipient.sequence
    if peer.last_sequence_in is not None and sequence <= peer.last_sequence_in:
        raise SequenceError(f"sequence {sequence} is not after {peer.last_sequence_in}")
    peer.last_sequence_in = sequence
    row = ReceivedBundle(
        bundle_id=header.bundle_id,
        sender_node_id=header.sender_node_id,
        sequence=sequence,
        header_sha256=header_digest(header),
        created=header.created,
        received_by=actor.username[:64],
        summary=dict(summary),
    )
    session.add(row)
    session.flush()
    for record_set in opened.record_sets:
        _keep_record_set(session, header.bundle_id, record_set)
    session.flush()
    return row


def _keep_record_set(session: Session, bundle_id: uuid.UUID, record_set: OpenedRecordSet) -> None:
    statement = record_set.originator
    existing = session.execute(
        select(ReceivedRecordSet.id).where(
            ReceivedRecordSet.originator_node_id == statement.originator_node_id,
            ReceivedRecordSet.record_set_id == statement.record_set_id,
        )
    ).first()
    if existing is not None:  # the same signed record set, forwarded to us again
        return
    records = record_set.records
    session.add(
        ReceivedRecordSet(
            bundle_id=bundle_id,
            name=record_set.name,
            originator_node_id=statement.originator_node_id,
            record_set_id=statement.record_set_id,
            originator_statement=record_set.originator_statement.to_json(),
            data=record_set.data,
            contents={
                kind: [record["id"] for record in records[kind]]
                for kind in ("seizures", "persons", "companies", "conveyances")
            },
        )
    )


def next_sequence(session: Session, node_id: str) -> int:
    """The next sequence number towards ``node_id`` (1, 2, ...); raises `PeerError` if the peer
    is not registered. The counter row stays locked until the caller's transaction ends."""
    value = session.execute(
        update(Peer)
        .where(Peer.node_id == node_id)
        .values(last_sequence_out=Peer.last_sequence_out + 1)
        .returning(Peer.last_sequence_out)
    ).scalar_one_or_none()
    if value is None:
        raise PeerError(f"no peer {node_id!r} is registered")
    return int(value)


def record_sent(
    session: Session, actor: Actor, header: BundleHeader, summary: Mapping[str, Any]
) -> SentBundle:
    """Keep what was sealed: recipients with key ids and sequence numbers, codes, contents."""
    row = SentBundle(
        bundle_id=header.bundle_id,
        created=header.created,
        expires=header.expires,
        recipients=[
            {"node_id": r.node_id, "key_id": r.key_id, "sequence": r.sequence}
            for r in header.recipients
        ],
        handling_codes=list(header.handling_codes),
        header_sha256=header_digest(header),
        sealed_by=actor.username[:64],
        summary=dict(summary),
    )
    session.add(row)
    session.flush()
    return row

"""Sealing a selection of seizures into a bundle file for named peers (offline exchange).

`seal_seizures` exports the selection (`exchange.records.export`), applies the sharing policy
(`exchange.services.policy`: distribution, validated status, H2, agreements, and the officer's H3
confirmation per recipient, recorded with the legal basis) for every recipient, takes each
recipient's next sequence number, seals the bundle into a temporary file next to the
destination, and records what was sent (sent-bundle row and an ``exchange.seal`` audit event)
in the caller's transaction. The file becomes visible under its name only with
`SealedFile.publish`, which the caller runs after the commit, so a bundle whose sequence numbers
were not committed never appears (`SealedFile.discard`).
"""

from __future__ import annotations

import os
import secrets
import uuid
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from exchange.crypto.bundle import Recipient, RecordSet, seal_bundle
from exchange.crypto.canonical import canonical_json
from exchange.crypto.header import KIND_ATTACHMENT, BundleHeader
from exchange.crypto.keys import NodeIdentity
from exchange.errors import PolicyError
from exchange.netmodels import SharedRecord
from exchange.network.store import next_sequence, record_sent
from exchange.records.export import ExportedRecords, export_seizures
from exchange.records.recordschema import RECORDS_SCHEMA, RECORDS_SCHEMA_V1
from exchange.services.policy import check_sharing, h3_confirmations
from exchange.services.trust import encryption_key_for, get_peer
from ncen.accounts.actor import Actor
from ncen.audit import record_event
from ncen.pictures.store import PictureIntegrityError, PictureStore
from ncen.policy import Action, require

DEFAULT_LIFETIME = timedelta(days=30)


class _PublishedAfterCommit:
    """A bundle sealed into ``temporary``, moved to ``destination`` once the transaction that
    recorded it commits, or removed if it rolls back."""

    temporary: Path
    destination: Path

    def publish(self) -> Path:
        """Move the bundle to its destination (atomic within one file system)."""
        os.replace(self.temporary, self.destination)
        return self.destination

    def discard(self) -> None:
        """Remove the temporary file (the transaction failed: nothing was sent)."""
        self.temporary.unlink(missing_ok=True)


def _recipients(session: Session, peers: Sequence[Any], now: datetime) -> list[Recipient]:
    """Each peer's current encryption key and next sequence number, in the peers' order (the
    sequence is drawn in this transaction, so a rolled-back seal never uses it up)."""
    return [
        Recipient(peer.node_id, encryption_key_for(peer, now), next_sequence(session, peer.node_id))
        for peer in peers
    ]


@dataclass(frozen=True)
class SealedFile(_PublishedAfterCommit):
    """A sealed bundle in a temporary file, to publish under ``destination`` after commit."""

    header: BundleHeader
    exported: ExportedRecords
    temporary: Path
    destination: Path


def _check_pictures(header: BundleHeader, exported: ExportedRecords) -> None:
    """The store is content-addressed: each attachment must hash to the name it was read by."""
    pictures = [entry.sha256 for entry in header.contents if entry.kind == KIND_ATTACHMENT]
    if pictures != exported.picture_hashes:
        raise PictureIntegrityError(
            "a picture original in the store no longer matches its sha256; run an integrity "
            "check of the picture store"
        )


def seal_seizures(
    session: Session,
    actor: Actor,
    *,
    identity: NodeIdentity,
    store: PictureStore,
    recipients: Sequence[str],
    references: Sequence[str],
    destination: Path,
    now: datetime,
    lifetime: timedelta = DEFAULT_LIFETIME,
    h3_confirmed: Collection[str] = (),
    legal_basis: str = "",
) -> SealedFile:
    """Seal the seizures with ``references`` (and what they link to) for ``recipients``.

    ``h3_confirmed`` names the recipients the officer confirmed for the H3 records; confirming
    needs a ``legal_basis``, recorded with each confirmation (``exchange.h3_confirmation``
    audit event). Needs ``RUN_EXCHANGE``. Raises `PeerError` (unknown peer, no valid key),
    `PolicyError`, `NotFoundError`, `PictureStoreError`, `KeyExpiredError` (our signing key),
    or `OSError` writing the file; the destination must not exist. Side effects: a temporary
    file next to ``destination``; sequence numbers, the sent-bundle row and the audit events in
    the session, and a shared-record row per national record and recipient (for retractions).
    """
    require(actor, Action.RUN_EXCHANGE)
    if destination.exists():
        raise FileExistsError(f"{destination} exists; choose another file name")
    peers = [get_peer(session, node_id) for node_id in dict.fromkeys(recipients)]
    exported = export_seizures(session, store, references, own_node_id=identity.node_id)
    check_sharing(exported.records, peers, h3_confirmed=h3_confirmed)
    confirmations = h3_confirmations(exported.records, peers)
    if confirmations and not legal_basis.strip():
        raise PolicyError("state the legal basis under which the H3 records are confirmed")
    sealed_for = _recipients(session, peers, now)
    temporary = destination.with_name(f".{destination.name}.{secrets.token_hex(6)}.tmp")
    try:
        with temporary.open("xb") as sink:
            header = seal_bundle(
                sink,
                sender=identity,
                recipients=sealed_for,
                record_sets=exported.record_sets,
                attachments=exported.attachments,
                handling_codes=exported.handling_codes,
                records_schema=RECORDS_SCHEMA,
                created=now,
                expires=now + lifetime,
            )
            sink.flush()
            os.fsync(sink.fileno())
        _check_pictures(header, exported)
        summary = exported.summary()
        record_sent(session, actor, header, summary)
        # What left on a file is shared like what left online: a retraction must reach it.
        for record in exported.records:
            if record.originator is None:
                for peer in peers:
                    session.add(
                        SharedRecord(
                            record_type=record.record_type,
                            record_id=uuid.UUID(record.origin_id),
                            peer_node_id=peer.node_id,
                            bundle_id=header.bundle_id,
                            version=record.version,
                        )
                    )
        session.flush()
        record_event(
            session,
            actor,
            "exchange.seal",
            record_type="bundle",
            record_id=header.bundle_id,
            details={
                "recipients": [
                    {"node_id": r.node_id, "key_id": r.key_id, "sequence": r.sequence}
                    for r in header.recipients
                ],
                "handling_codes": list(header.handling_codes),
                **({"legal_basis": legal_basis.strip()} if legal_basis.strip() else {}),
                **summary,
            },
        )
        for confirmation in confirmations:
            record_event(
                session,
                actor,
                "exchange.h3_confirmation",
                record_type="bundle",
                record_id=header.bundle_id,
                details={**confirmation, "legal_basis": legal_basis.strip()},
            )
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return SealedFile(header, exported, temporary, destination)


@dataclass(frozen=True)
class SealedMessageFile(_PublishedAfterCommit):
    """A sealed message bundle (a retraction) in a temporary file, published after commit."""

    header: BundleHeader
    temporary: Path
    destination: Path


def seal_message_file(
    session: Session,
    actor: Actor,
    *,
    identity: NodeIdentity,
    recipients: Sequence[str],
    message: dict[str, Any],
    destination: Path,
    now: datetime,
    lifetime: timedelta = DEFAULT_LIFETIME,
) -> SealedMessageFile:
    """Seal ``message`` (a validated `exchange.network.protocol.new_message` value) alone, as an
    online bundle carries it, into a file for ``recipients``.

    Needs ``RUN_EXCHANGE``. Raises `PeerError`, `PolicyError` (a suspended peer), `OSError`;
    the destination must not exist. Side effects: a temporary file next to ``destination``;
    sequence numbers, the sent-bundle row, the sent terms and an ``exchange.seal`` audit event
    in the session.
    """
    # Imported here: the protocol module's message set is the online exchange's.
    from exchange.netmodels import Direction, ExchangeTerms
    from exchange.network.protocol import MESSAGE_SET

    require(actor, Action.RUN_EXCHANGE)
    if destination.exists():
        raise FileExistsError(f"{destination} exists; choose another file name")
    peers = [get_peer(session, node_id) for node_id in dict.fromkeys(recipients)]
    suspended = [p.node_id for p in peers if p.status.value != "active"]
    if suspended:
        raise PolicyError(f"peers {', '.join(suspended)} are suspended")
    sealed_for = _recipients(session, peers, now)
    temporary = destination.with_name(f".{destination.name}.{secrets.token_hex(6)}.tmp")
    try:
        with temporary.open("xb") as sink:
            header = seal_bundle(
                sink,
                sender=identity,
                recipients=sealed_for,
                record_sets=[RecordSet(MESSAGE_SET, canonical_json(message))],
                attachments=[],
                handling_codes=["H0"],
                # As an online message alone: records schema v1 in the header.
                records_schema=RECORDS_SCHEMA_V1,
                created=now,
                expires=now + lifetime,
            )
            sink.flush()
            os.fsync(sink.fileno())
        summary = {"kind": message["type"]}
        record_sent(session, actor, header, summary)
        session.add(
            ExchangeTerms(
                bundle_id=header.bundle_id,
                direction=Direction.SENT,
                peer_node_id=None,
                kind=message["type"],
                legal_basis=message["legal_basis"],
                purpose=message["purpose"],
                message=message,
            )
        )
        session.flush()
        record_event(
            session,
            actor,
            "exchange.seal",
            record_type="bundle",
            record_id=header.bundle_id,
            details={
                "recipients": [
                    {"node_id": r.node_id, "key_id": r.key_id, "sequence": r.sequence}
                    for r in header.recipients
                ],
                "legal_basis": message["legal_basis"],
                "purpose": message["purpose"],
                **summary,
            },
        )
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return SealedMessageFile(header, temporary, destination)

"""The durable outbox: seal a bundle for peers and queue one delivery per recipient.

`preview_records` answers "who will receive what" before anything is sealed: per recipient, the
records that would leave (with handling codes and nominal flag), every policy refusal and the
H3 records that need the officer's confirmation for that recipient. `queue_records` seals
seizures (with their links and pictures) plus a ``records`` message that states the legal
basis, the purpose and the distribution of each seizure; it refuses H3 records for any recipient
the officer did not confirm, and records each confirmation (``exchange.h3_confirmation`` audit
event, with the legal basis and the restrictions confirmed); `queue_message` seals
a message alone (retraction, RFI, hit check, replies). Both apply the sharing policy for every
recipient, take each recipient's next sequence number, write the bundle to
``<instance>/exchange/outbox/<bundle id>.ncb`` (fsynced, renamed into place) *before* the
caller commits, and add in the caller's transaction: the sent-bundle row, one `Delivery` per
recipient (state ``queued``), the terms, the shared-record rows and an ``exchange.queue`` audit
event. A rolled-back transaction leaves at most an orphan file that nothing refers to;
`exchange.network.delivery` sends what was committed, surviving restarts because all state is in
PostgreSQL.
"""

from __future__ import annotations

import hashlib
import os
import secrets
import uuid
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from exchange.crypto.bundle import Attachment, Recipient, RecordSet, seal_bundle
from exchange.crypto.canonical import canonical_json
from exchange.errors import PolicyError
from exchange.models import Peer, ReceivedRecordSet
from exchange.netmodels import (
    Delivery,
    Direction,
    Distribution,
    DistributionLevel,
    ExchangeTerms,
    SharedRecord,
)
from exchange.network.node import NodeContext
from exchange.network.protocol import MESSAGE_SET, new_message
from exchange.network.store import next_sequence, record_sent
from exchange.records.export import ExportedRecords, OutgoingRecord, export_seizures
from exchange.records.recordschema import RECORDS_SCHEMA, RECORDS_SCHEMA_V1
from exchange.services.policy import (
    DistributionRule,
    check_sharing,
    h3_confirmations,
    h3_records,
    violations,
)
from exchange.services.trust import encryption_key_for, get_peer
from ncen.accounts.actor import Actor
from ncen.audit import record_event
from ncen.policy import Action, require
from ncen.seizures.models import Seizure

DEFAULT_LIFETIME = timedelta(days=30)


@dataclass
class RecipientPreview:
    """What one recipient would get, why it may not, and the H3 records that need the officer's
    confirmation for it (``h3``: not a refusal, a question the send form asks)."""

    node_id: str
    country: str
    records: list[OutgoingRecord]
    problems: list[str]
    h3: list[OutgoingRecord] = field(default_factory=list)

    @property
    def allowed(self) -> bool:
        return not self.problems

    @property
    def counts(self) -> dict[str, int]:
        result: dict[str, int] = {}
        for record in self.records:
            result[record.record_type] = result.get(record.record_type, 0) + 1
        return result


@dataclass
class Preview:
    """The "who will receive what" of a selection, before sealing."""

    exported: ExportedRecords
    recipients: list[RecipientPreview] = field(default_factory=list)
    distribution: dict[str, DistributionRule] = field(default_factory=dict)

    @property
    def allowed(self) -> bool:
        return all(r.allowed for r in self.recipients)


@dataclass(frozen=True)
class QueuedBundle:
    """A sealed bundle waiting in the outbox."""

    bundle_id: uuid.UUID
    recipients: tuple[tuple[str, int], ...]  # (node id, sequence)
    size: int
    sha256: str
    summary: Mapping[str, Any]


def distribution_rules(exported: ExportedRecords) -> dict[str, DistributionRule]:
    """The distribution each seizure in ``exported`` states (as sealed), by origin id."""
    return {
        r.origin_id: r.distribution
        for r in exported.records
        if r.record_type == "seizures" and r.distribution is not None
    }


def preview_records(
    session: Session, node: NodeContext, recipients: Sequence[str], references: Sequence[str]
) -> Preview:
    """Export the selection and check it against every recipient, writing nothing.

    Raises `PeerError` (unknown peer), `NotFoundError` (unknown reference), `PolicyError` (a
    received record set that cannot be forwarded whole) or `PictureMissingError`.
    """
    peers = [get_peer(session, node_id) for node_id in dict.fromkeys(recipients)]
    exported = export_seizures(session, node.store, references, own_node_id=node.node_id)
    preview = Preview(exported, distribution=distribution_rules(exported))
    for peer in peers:
        preview.recipients.append(
            RecipientPreview(
                peer.node_id,
                peer.country,
                exported.records,
                violations(exported.records, [peer]),
                h3_records(exported.records, peer),
            )
        )
    return preview


def _write_bundle(
    node: NodeContext,
    bundle_id: uuid.UUID,
    *,
    recipients: Sequence[Recipient],
    record_sets: Sequence[RecordSet],
    attachments: Sequence[Attachment],
    handling_codes: Sequence[str],
    records_schema: str,
    now: datetime,
    lifetime: timedelta,
) -> tuple[Any, int, str]:
    final = node.bundle_path(bundle_id)
    temporary = final.with_name(f".{final.name}.{secrets.token_hex(6)}.tmp")
    try:
        with temporary.open("xb") as sink:
            header = seal_bundle(
                sink,
                sender=node.identity,
                recipients=recipients,
                record_sets=record_sets,
                attachments=attachments,
                handling_codes=handling_codes,
                records_schema=records_schema,
                created=now,
                expires=now + lifetime,
                bundle_id=bundle_id,
            )
            sink.flush()
            os.fsync(sink.fileno())
        digest = hashlib.sha256()
        with temporary.open("rb") as handle:
            while block := handle.read(1024 * 1024):
                digest.update(block)
        size = temporary.stat().st_size
        os.replace(temporary, final)
        directory = os.open(final.parent, os.O_RDONLY)
        try:
            os.fsync(directory)
        finally:
            os.close(directory)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return header, size, digest.hexdigest()


def _seal_and_queue(
    session: Session,
    actor: Actor,
    node: NodeContext,
    *,
    peers: Sequence[Peer],
    message: dict[str, Any],
    exported: ExportedRecords | None,
    now: datetime,
    lifetime: timedelta,
    confirmations: Sequence[dict[str, Any]] = (),
) -> QueuedBundle:
    bundle_id = uuid.uuid4()
    keys = [encryption_key_for(peer, now) for peer in peers]
    sealed_for = [
        Recipient(peer.node_id, key, next_sequence(session, peer.node_id))
        for peer, key in zip(peers, keys, strict=True)
    ]
    record_sets = list(exported.record_sets) if exported else []
    record_sets.append(RecordSet(MESSAGE_SET, canonical_json(message)))
    handling = exported.handling_codes if exported else ["H0"]
    final = node.bundle_path(bundle_id)
    try:
        header, size, sha256 = _write_bundle(
            node,
            bundle_id,
            recipients=sealed_for,
            record_sets=record_sets,
            attachments=exported.attachments if exported else [],
            handling_codes=handling,
            # A message alone carries no record: it keeps records schema v1 in its header, so
            # a node that reads only v1 still gets retractions, RFIs and hit checks.
            records_schema=RECORDS_SCHEMA if exported else RECORDS_SCHEMA_V1,
            now=now,
            lifetime=lifetime,
        )
        summary: dict[str, Any] = {"kind": message["type"]}
        if exported:
            summary.update(exported.summary())
        if confirmations:
            summary["h3_confirmed"] = [c["peer"] for c in confirmations]
        record_sent(session, actor, header, summary)
        for recipient in sealed_for:
            session.add(
                Delivery(
                    bundle_id=bundle_id,
                    peer_node_id=recipient.node_id,
                    sequence=recipient.sequence,
                    size=size,
                    sha256=sha256,
                    expires=header.expires,
                    next_attempt_at=now,
                )
            )
        session.add(
            ExchangeTerms(
                bundle_id=bundle_id,
                direction=Direction.SENT,
                peer_node_id=None,
                kind=message["type"],
                legal_basis=message["legal_basis"],
                purpose=message["purpose"],
                message=message,
            )
        )
        if exported:
            for record in exported.records:
                if record.originator is not None:
                    continue
                for peer in peers:
                    session.add(
                        SharedRecord(
                            record_type=record.record_type,
                            record_id=uuid.UUID(record.origin_id),
                            peer_node_id=peer.node_id,
                            bundle_id=bundle_id,
                            version=record.version,
                        )
                    )
        session.flush()
        record_event(
            session,
            actor,
            "exchange.queue",
            record_type="bundle",
            record_id=bundle_id,
            details={
                "recipients": [{"node_id": r.node_id, "sequence": r.sequence} for r in sealed_for],
                "legal_basis": message["legal_basis"],
                "purpose": message["purpose"],
                "sha256": sha256,
                **summary,
            },
        )
        for confirmation in confirmations:
            record_event(
                session,
                actor,
                "exchange.h3_confirmation",
                record_type="bundle",
                record_id=bundle_id,
                details={**confirmation, "legal_basis": message["legal_basis"]},
            )
    except BaseException:
        final.unlink(missing_ok=True)
        raise
    return QueuedBundle(
        bundle_id, tuple((r.node_id, r.sequence) for r in sealed_for), size, sha256, summary
    )


def queue_records(
    session: Session,
    actor: Actor,
    node: NodeContext,
    *,
    recipients: Sequence[str],
    references: Sequence[str],
    legal_basis: str,
    purpose: str,
    now: datetime,
    lifetime: timedelta = DEFAULT_LIFETIME,
    h3_confirmed: Collection[str] = (),
) -> QueuedBundle:
    """Seal the seizures with ``references`` for ``recipients`` and queue the deliveries.

    ``h3_confirmed`` names the recipients for which the exchange officer confirmed that the
    restrictions of the H3 records allow them; an H3 record for any other recipient is refused.
    Needs ``RUN_EXCHANGE``. Raises `PolicyError` (every refusal at once), `PeerError`,
    `NotFoundError`, `SchemaError` (empty legal basis or purpose), `PictureMissingError`.
    Writes the bundle file, then rows and audit (one ``exchange.h3_confirmation`` event per
    confirmed recipient of H3 records) in the caller's transaction (see module doc).
    """
    require(actor, Action.RUN_EXCHANGE)
    if not recipients:
        raise PolicyError("choose at least one recipient")
    preview = preview_records(session, node, recipients, references)
    peers = [get_peer(session, r.node_id) for r in preview.recipients]
    records = preview.exported.records
    check_sharing(records, peers, h3_confirmed=h3_confirmed)
    message = new_message(
        "records",
        legal_basis=legal_basis.strip(),
        purpose=purpose.strip(),
        body={
            "distribution": {
                origin_id: rule.to_json() for origin_id, rule in preview.distribution.items()
            }
        },
    )
    return _seal_and_queue(
        session,
        actor,
        node,
        peers=peers,
        message=message,
        exported=preview.exported,
        now=now,
        lifetime=lifetime,
        confirmations=h3_confirmations(records, peers),
    )


def queue_message(
    session: Session,
    actor: Actor,
    node: NodeContext,
    *,
    recipients: Sequence[str],
    kind: str,
    body: Mapping[str, Any],
    legal_basis: str,
    purpose: str,
    now: datetime,
    lifetime: timedelta = DEFAULT_LIFETIME,
) -> QueuedBundle:
    """Seal a message of ``kind`` alone for ``recipients`` and queue it (see `queue_records`)."""
    require(actor, Action.RUN_EXCHANGE)
    peers = [get_peer(session, node_id) for node_id in dict.fromkeys(recipients)]
    suspended = [p.node_id for p in peers if p.status.value != "active"]
    if suspended:
        raise PolicyError(f"peers {', '.join(suspended)} are suspended")
    message = new_message(kind, legal_basis=legal_basis, purpose=purpose, body=body)
    return _seal_and_queue(
        session,
        actor,
        node,
        peers=peers,
        message=message,
        exported=None,
        now=now,
        lifetime=lifetime,
    )


def set_distribution(
    session: Session,
    actor: Actor,
    reference: str,
    level: DistributionLevel,
    peers: Sequence[str] = (),
) -> Distribution:
    """Mark a national seizure's distribution. Needs ``RUN_EXCHANGE``; audits
    ``exchange.distribution``. Raises `PolicyError` for a foreign seizure or unknown peers."""
    require(actor, Action.RUN_EXCHANGE)
    seizure = session.execute(
        select(Seizure).where(Seizure.reference == reference, Seizure.deleted_at.is_(None))
    ).scalar_one_or_none()
    if seizure is None:
        raise PolicyError(f"no seizure {reference}")
    if seizure.origin_node is not None:
        raise PolicyError("a received seizure keeps the distribution its originator stated")
    names = sorted(dict.fromkeys(peers)) if level is DistributionLevel.NAMED_PEERS else []
    if level is DistributionLevel.NAMED_PEERS and not names:
        raise PolicyError("name at least one peer for the named_peers distribution")
    for name in names:
        get_peer(session, name)
    row = session.get(Distribution, seizure.id)
    if row is None:
        row = Distribution(seizure_id=seizure.id, level=level, peers=names, set_by="")
        session.add(row)
    row.level, row.peers, row.set_by = level, names, actor.username[:64]
    session.flush()
    record_event(
        session,
        actor,
        "exchange.distribution",
        record_type="seizure",
        record_id=seizure.id,
        details={"level": level.value, "peers": names},
    )
    return row


def kept_record_set(session: Session, bundle_id: uuid.UUID) -> list[ReceivedRecordSet]:
    """The record sets kept from a received bundle (for the inbox page)."""
    return list(
        session.execute(
            select(ReceivedRecordSet).where(ReceivedRecordSet.bundle_id == bundle_id)
        ).scalars()
    )

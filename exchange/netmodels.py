"""Tables of the exchange network (part 2): deliveries, inbox, terms, tombstones, RFIs, hit checks.

They sit on `ncen.db.Base` like the part 1 tables of `exchange.models`, which imports this
module so that Alembic's ``env.py`` and the drift test see them. Migration ``0005`` creates them.

- `Delivery`: one row per (sent bundle, recipient): the durable outbox *and* the sent half of
  the per-peer ledger (state, attempts, the next attempt, the verified signed receipt);
- `InboxEntry`: every bundle that reached the endpoint (or was pulled), accepted or not, with
  the signed receipt this node gave: the received half of the ledger and, through its unique
  partial index, the idempotency key that makes a retried delivery answer the same receipt;
- `ExchangeTerms`: legal basis, purpose and distribution of every bundle, both directions;
- `SharedRecord`: which record went to which peer in which version (retractions and updates);
- `Distribution`: a national seizure's distribution level (absent: ``global_cen``);
- `Tombstone`: what a retraction removed, kept as an auditable trace;
- `ForeignLink`: an analyst's link between a foreign and a national record;
- `InformationRequest`, `HitCheck`, `HitKey`: RFIs and keyed-hash hit/no-hit checks.
"""

from __future__ import annotations

import enum
import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlalchemy.orm import Mapped, mapped_column

from ncen.db import Base, UUIDPrimaryKey, enum_column, utcnow


class DeliveryState(enum.StrEnum):
    """Where a bundle stands towards one recipient (the ledger's states)."""

    QUEUED = "queued"  # waiting for its (next) attempt, or for the peer to pull it
    ACCEPTED = "accepted"  # signed receipt verified: imported by the peer
    REJECTED = "rejected"  # signed receipt verified: refused by the peer (generic reason)
    EXPIRED = "expired"  # not delivered before the bundle expired


class InboxOutcome(enum.StrEnum):
    """What this node answered to an incoming bundle."""

    ACCEPTED = "accepted"
    REJECTED = "rejected"


class Direction(enum.StrEnum):
    SENT = "sent"
    RECEIVED = "received"


class DistributionLevel(enum.StrEnum):
    """How far a national seizure (and what it links to) may travel."""

    NATIONAL_ONLY = "national_only"
    NAMED_PEERS = "named_peers"
    ALL_PEERS = "all_peers"
    GLOBAL_CEN = "global_cen"  # all peers, and non-nominal in the CEN export


class RequestState(enum.StrEnum):
    OPEN = "open"
    ANSWERED = "answered"


class HitResult(enum.StrEnum):
    PENDING = "pending"
    HIT = "hit"
    NO_HIT = "no_hit"
    REFUSED = "refused"


class Delivery(UUIDPrimaryKey, Base):
    """A sent bundle towards one recipient: the outbox row and the sent side of the ledger.

    The bundle file lives in ``<instance>/exchange/outbox/<bundle id>.ncb``. A worker claims the
    oldest due row of a peer whose earlier rows are all done (`exchange.network.outbox`), so a peer
    receives its bundles in sequence order, which its replay guard requires.
    """

    __tablename__ = "exchange_deliveries"
    __table_args__ = (
        UniqueConstraint("bundle_id", "peer_node_id"),
        Index("ix_exchange_deliveries_peer_sequence", "peer_node_id", "sequence"),
        Index(
            "ix_exchange_deliveries_due",
            "next_attempt_at",
            postgresql_where=text("state = 'queued'"),
        ),
    )

    bundle_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("exchange_sent_bundles.bundle_id"), index=True
    )
    peer_node_id: Mapped[str] = mapped_column(ForeignKey("exchange_peers.node_id"))
    sequence: Mapped[int] = mapped_column(BigInteger)
    state: Mapped[DeliveryState] = mapped_column(
        enum_column(DeliveryState, 16), default=DeliveryState.QUEUED
    )
    size: Mapped[int] = mapped_column(BigInteger)
    sha256: Mapped[str] = mapped_column(String(64))
    expires: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    last_attempt_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    last_error: Mapped[str | None] = mapped_column(Text)
    reason: Mapped[str | None] = mapped_column(String(64))
    receipt: Mapped[dict[str, Any] | None] = mapped_column(JSONB)
    receipt_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class InboxEntry(UUIDPrimaryKey, Base):
    """One incoming bundle as this node saw it, and the signed receipt it answered with."""

    __tablename__ = "exchange_inbox"
    __table_args__ = (
        Index(
            "uq_exchange_inbox_accepted",
            "bundle_id",
            unique=True,
            postgresql_where=text("outcome = 'accepted'"),
        ),
    )

    bundle_id: Mapped[uuid.UUID | None] = mapped_column(index=True)
    sender_node_id: Mapped[str | None] = mapped_column(String(64), index=True)
    sequence: Mapped[int | None] = mapped_column(BigInteger)
    received_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    size: Mapped[int] = mapped_column(BigInteger)
    sha256: Mapped[str] = mapped_column(String(64))
    channel: Mapped[str] = mapped_column(String(8))  # push, pull, file
    outcome: Mapped[InboxOutcome] = mapped_column(enum_column(InboxOutcome, 16))
    code: Mapped[str | None] = mapped_column(String(32))
    detail: Mapped[str | None] = mapped_column(Text)
    receipt: Mapped[dict[str, Any] | None] = mapped_column(JSONB)


class ExchangeTerms(Base):
    """Legal basis, purpose and distribution of one bundle (sent or received)."""

    __tablename__ = "exchange_terms"

    bundle_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    direction: Mapped[Direction] = mapped_column(enum_column(Direction, 8))
    peer_node_id: Mapped[str | None] = mapped_column(String(64))  # the sender, when received
    kind: Mapped[str] = mapped_column(String(32))  # records, retraction, rfi, hit-check, ...
    legal_basis: Mapped[str] = mapped_column(String(300))
    purpose: Mapped[str] = mapped_column(String(300))
    message: Mapped[dict[str, Any]] = mapped_column(JSONB, default=dict)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class SharedRecord(UUIDPrimaryKey, Base):
    """A record that left towards a peer, in which version, in which bundle."""

    __tablename__ = "exchange_shared_records"
    __table_args__ = (Index("ix_exchange_shared_records_record", "record_type", "record_id"),)

    record_type: Mapped[str] = mapped_column(String(16))
    record_id: Mapped[uuid.UUID] = mapped_column()
    peer_node_id: Mapped[str] = mapped_column(ForeignKey("exchange_peers.node_id"), index=True)
    bundle_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("exchange_sent_bundles.bundle_id"))
    version: Mapped[int] = mapped_column(Integer)
    shared_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Distribution(Base):
    """The distribution level of a national seizure; ``peers`` for ``named_peers``."""

    __tablename__ = "exchange_distributions"

    seizure_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("seizures.id", ondelete="CASCADE"), primary_key=True
    )
    level: Mapped[DistributionLevel] = mapped_column(enum_column(DistributionLevel, 16))
    peers: Mapped[list[str]] = mapped_column(ARRAY(String(64)), default=list)
    set_by: Mapped[str] = mapped_column(String(64))
    set_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Tombstone(UUIDPrimaryKey, Base):
    """A retracted record: who retracted what, when and why; its content is gone."""

    __tablename__ = "exchange_tombstones"
    __table_args__ = (UniqueConstraint("origin_node", "origin_id", "record_type"),)

    origin_node: Mapped[str] = mapped_column(String(64))
    origin_id: Mapped[str] = mapped_column(String(128))
    record_type: Mapped[str] = mapped_column(String(16))
    local_id: Mapped[uuid.UUID | None] = mapped_column()
    label: Mapped[str] = mapped_column(String(200))
    reason: Mapped[str] = mapped_column(String(300))
    bundle_id: Mapped[uuid.UUID] = mapped_column()
    retracted_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class ForeignLink(UUIDPrimaryKey, Base):
    """An analyst's statement that a foreign record and a national record are related."""

    __tablename__ = "exchange_foreign_links"
    __table_args__ = (
        UniqueConstraint("foreign_type", "foreign_id", "national_type", "national_id"),
    )

    foreign_type: Mapped[str] = mapped_column(String(16))
    foreign_id: Mapped[uuid.UUID] = mapped_column()
    national_type: Mapped[str] = mapped_column(String(16))
    national_id: Mapped[uuid.UUID] = mapped_column()
    note: Mapped[str | None] = mapped_column(String(500))
    created_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class InformationRequest(UUIDPrimaryKey, Base):
    """A request for information, sent or received; ``id`` is shared by both nodes."""

    __tablename__ = "exchange_rfis"

    direction: Mapped[Direction] = mapped_column(enum_column(Direction, 8))
    peer_node_id: Mapped[str] = mapped_column(ForeignKey("exchange_peers.node_id"), index=True)
    subject: Mapped[str] = mapped_column(String(200))
    question: Mapped[str] = mapped_column(Text)
    legal_basis: Mapped[str] = mapped_column(String(300))
    state: Mapped[RequestState] = mapped_column(
        enum_column(RequestState, 16), default=RequestState.OPEN
    )
    reply: Mapped[str | None] = mapped_column(Text)
    request_bundle_id: Mapped[uuid.UUID | None] = mapped_column()
    reply_bundle_id: Mapped[uuid.UUID | None] = mapped_column()
    created_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    answered_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class PullNonce(Base):
    """The nonce of a pull request already answered, kept for twice `PULL_WINDOW` so that a
    replay reaching any server process of the node is refused (`exchange.network.pulling`)."""

    __tablename__ = "exchange_pull_nonces"

    nonce: Mapped[str] = mapped_column(String(64), primary_key=True)
    peer_node_id: Mapped[str] = mapped_column(String(64))
    seen_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)


class HitKey(Base):
    """The keyed-hash key agreed with one peer for hit/no-hit checks (never leaves encrypted).

    ``key`` holds it sealed with `ncen.secretbox` (``exchange.services.hitcheck`` seals and opens
    it).
    """

    __tablename__ = "exchange_hit_keys"

    peer_node_id: Mapped[str] = mapped_column(
        ForeignKey("exchange_peers.node_id", ondelete="CASCADE"), primary_key=True
    )
    key: Mapped[bytes] = mapped_column(LargeBinary)
    proposed_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class HitCheck(UUIDPrimaryKey, Base):
    """A hit/no-hit check asked of a peer or answered for one; the identifier is never kept."""

    __tablename__ = "exchange_hit_checks"

    direction: Mapped[Direction] = mapped_column(enum_column(Direction, 8))
    peer_node_id: Mapped[str] = mapped_column(ForeignKey("exchange_peers.node_id"), index=True)
    kind: Mapped[str] = mapped_column(String(32))
    digest: Mapped[str] = mapped_column(String(64))
    result: Mapped[HitResult] = mapped_column(enum_column(HitResult, 16), default=HitResult.PENDING)
    asked_by: Mapped[str] = mapped_column(String(64))
    asked_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
    answered_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

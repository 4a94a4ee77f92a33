"""Tables of the exchange: the peer registry with pinned keys, and the bundles sent and received.

The tables live on `ncen.db.Base` (one schema, one Alembic history, one drift check) but are
declared here, because `ncen` must not import `exchange`; ``migrations/env.py`` and the drift
test import this module. Migration ``0004`` creates them.

This module also declares one unique index per record table on ``(origin_node, origin_id)``: a
record received from a node exists at most once here, whichever bundle brought it. National
records have no origin and are unaffected (NULLs never collide in a unique index).
"""

from __future__ import annotations

import enum
import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    UniqueConstraint,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ncen.companies.models import Company
from ncen.conveyances.models import Conveyance
from ncen.db import Base, Timestamps, UUIDPrimaryKey, enum_column, utcnow
from ncen.persons.models import Person
from ncen.seizures.models import Seizure


class PeerStatus(enum.StrEnum):
    """Whether bundles from and to a peer are accepted."""

    ACTIVE = "active"
    SUSPENDED = "suspended"


class KeyPurpose(enum.StrEnum):
    """What a pinned key is for."""

    SIGNING = "signing"
    ENCRYPTION = "encryption"


class Peer(Timestamps, Base):
    """Another node this node exchanges with, and the agreement that governs what it receives.

    ``last_sequence_in`` is the highest sequence number accepted from the peer (replay guard);
    ``last_sequence_out`` the last one this node used towards it.
    """

    __tablename__ = "exchange_peers"

    node_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    country: Mapped[str] = mapped_column(String(2), ForeignKey("countries.code"))
    endpoint: Mapped[str | None] = mapped_column(String(500))
    status: Mapped[PeerStatus] = mapped_column(
        enum_column(PeerStatus, 16), default=PeerStatus.ACTIVE
    )
    may_receive_nominal: Mapped[bool] = mapped_column(Boolean, default=False)
    allowed_handling_codes: Mapped[list[str]] = mapped_column(ARRAY(String(2)), default=list)
    keyset_serial: Mapped[int] = mapped_column(Integer)
    last_sequence_in: Mapped[int | None] = mapped_column(BigInteger)
    last_sequence_out: Mapped[int] = mapped_column(BigInteger, default=0)

    keys: Mapped[list[PeerKey]] = relationship(
        cascade="all, delete-orphan", order_by="PeerKey.pinned_at", lazy="selectin"
    )


class PeerKey(UUIDPrimaryKey, Base):
    """A public key pinned for a peer. Keys are never deleted: a rotated-out signing key still
    verifies what it signed inside its window; ``current`` marks the keys of the latest key set."""

    __tablename__ = "exchange_peer_keys"
    __table_args__ = (UniqueConstraint("peer_node_id", "key_id"),)

    peer_node_id: Mapped[str] = mapped_column(
        ForeignKey("exchange_peers.node_id", ondelete="CASCADE"), index=True
    )
    purpose: Mapped[KeyPurpose] = mapped_column(enum_column(KeyPurpose, 16))
    algorithm: Mapped[str] = mapped_column(String(32))
    key_id: Mapped[str] = mapped_column(String(64))
    public_key: Mapped[bytes] = mapped_column(LargeBinary)
    not_before: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    not_after: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    current: Mapped[bool] = mapped_column(Boolean, default=True)
    pinned_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    revocation_reason: Mapped[str | None] = mapped_column(String(32))
    revocation: Mapped[dict[str, Any] | None] = mapped_column(JSONB)


class PeerKeySet(UUIDPrimaryKey, Base):
    """A signed key set accepted from a peer, kept as evidence of why its keys are trusted."""

    __tablename__ = "exchange_peer_keysets"
    __table_args__ = (UniqueConstraint("peer_node_id", "serial"),)

    peer_node_id: Mapped[str] = mapped_column(
        ForeignKey("exchange_peers.node_id", ondelete="CASCADE"), index=True
    )
    serial: Mapped[int] = mapped_column(Integer)
    statement: Mapped[dict[str, Any]] = mapped_column(JSONB)
    accepted_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    accepted_by: Mapped[str] = mapped_column(String(64))


class ReceivedBundle(Base):
    """A bundle accepted from a peer: the replay guard and the inbox's idempotency key."""

    __tablename__ = "exchange_received_bundles"

    bundle_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    sender_node_id: Mapped[str] = mapped_column(ForeignKey("exchange_peers.node_id"), index=True)
    sequence: Mapped[int] = mapped_column(BigInteger)
    header_sha256: Mapped[str] = mapped_column(String(64))
    created: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    received_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    received_by: Mapped[str] = mapped_column(String(64))
    summary: Mapped[dict[str, Any]] = mapped_column(JSONB, default=dict)


class ReceivedRecordSet(UUIDPrimaryKey, Base):
    """A record set as received, byte for byte, with its originator's signed statement: what is
    forwarded when a received record goes on to another node (the signature survives)."""

    __tablename__ = "exchange_received_record_sets"
    __table_args__ = (UniqueConstraint("originator_node_id", "record_set_id"),)

    bundle_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("exchange_received_bundles.bundle_id"), index=True
    )
    name: Mapped[str] = mapped_column(String(255))
    originator_node_id: Mapped[str] = mapped_column(String(64))
    record_set_id: Mapped[uuid.UUID] = mapped_column()
    originator_statement: Mapped[dict[str, Any]] = mapped_column(JSONB)
    data: Mapped[bytes] = mapped_column(LargeBinary)
    # The origin ids of the records in the set, by type: {"seizures": [...], "persons": [...]}.
    contents: Mapped[dict[str, Any]] = mapped_column(JSONB, default=dict)


class SentBundle(Base):
    """A bundle this node sealed: to whom (keys and sequence numbers) and what it carried."""

    __tablename__ = "exchange_sent_bundles"

    bundle_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    created: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    expires: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    recipients: Mapped[list[dict[str, Any]]] = mapped_column(JSONB)
    handling_codes: Mapped[list[str]] = mapped_column(ARRAY(String(8)))
    header_sha256: Mapped[str] = mapped_column(String(64))
    sealed_by: Mapped[str] = mapped_column(String(64))
    summary: Mapped[dict[str, Any]] = mapped_column(JSONB, default=dict)


# One record per (origin node, origin id) and record type; see the module docstring.
ORIGIN_INDEXES = tuple(
    Index(f"uq_{model.__tablename__}_origin", model.origin_node, model.origin_id, unique=True)
    for model in (Seizure, Person, Company, Conveyance)
)


# The network tables of part 2 share this metadata; importing them here registers them wherever
# the exchange tables are loaded (Alembic's env.py, the drift test).
import exchange.casemodels  # noqa: E402
import exchange.netmodels  # noqa: E402
import exchange.profilemodels  # noqa: E402, F401

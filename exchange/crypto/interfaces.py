"""What opening a bundle needs from the rest of the node, as protocols and plain values.

`open_bundle` asks three questions it cannot answer from the bundle itself: which keys are
pinned for a sender (`TrustLookup`), whether a bundle or sequence number was seen before
(`ReplayGuard`), and whether records follow the schema (`RecordsValidator`). The database-backed
peer registry and inbox implement the first two; tests implement them in memory. The protocols
are read-only on purpose: opening records nothing, so the caller records "seen" and the new
sequence number in the same transaction as the import.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

from exchange.crypto.keys import SigningPublicKey


@dataclass(frozen=True)
class PinnedSigningKey:
    """A signing key pinned for a peer (verified out of band by fingerprint), with its window."""

    key: SigningPublicKey
    not_before: datetime
    not_after: datetime

    def valid_at(self, moment: datetime) -> bool:
        return self.not_before <= moment <= self.not_after


@dataclass(frozen=True)
class PeerTrust:
    """What we trust about one peer node: status, pinned signing keys (current and past),
    and the ids of its keys that are revoked."""

    node_id: str
    active: bool
    signing_keys: tuple[PinnedSigningKey, ...]
    revoked_key_ids: frozenset[str] = field(default_factory=frozenset)

    def signing_key(self, key_id: str) -> PinnedSigningKey | None:
        """The pinned key with this key id, or None."""
        for pinned in self.signing_keys:
            if pinned.key.key_id == key_id:
                return pinned
        return None


class TrustLookup(Protocol):
    """Read access to the peer registry."""

    def peer(self, node_id: str) -> PeerTrust | None:
        """The peer with this node id, or None if it is not registered."""
        ...


class ReplayGuard(Protocol):
    """Read access to what this node has already accepted."""

    def seen(self, bundle_id: uuid.UUID) -> bool:
        """True if a bundle with this id was already accepted."""
        ...

    def last_sequence(self, sender_node_id: str) -> int | None:
        """The highest sequence number accepted from this sender to us, or None."""
        ...


class RecordsValidator(Protocol):
    """Checks one decrypted record set; raises `SchemaError` to refuse it."""

    def __call__(self, records_schema: str, name: str, records: Any) -> None: ...

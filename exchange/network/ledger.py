"""The per-peer ledger: every bundle sent to and received from a peer, with state, and the
reconciliation "what has this peer acknowledged from us".

Sent entries are the `Delivery` rows (state, attempts, last local error, the peer's signed
receipt); received entries are the `InboxEntry` rows (outcome and the receipt we gave). The
summary counts each state; ``acknowledged`` is the set of bundle ids the peer signed an
``accepted`` receipt for, which must equal the set of bundles it lists as accepted from us in
*its* ledger: `reconcile` compares the two sets when an operator has both (the tests do).
"""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, or_, select
from sqlalchemy.orm import Session

from exchange.models import SentBundle
from exchange.netmodels import Delivery, DeliveryState, InboxEntry, InboxOutcome
from ncen.validation import check_filter_texts


@dataclass
class PeerLedger:
    """Counts per state in both directions, and the acknowledged bundle ids."""

    node_id: str
    sent: Counter[str] = field(default_factory=Counter)
    received: Counter[str] = field(default_factory=Counter)
    acknowledged: set[uuid.UUID] = field(default_factory=set)
    imported: set[uuid.UUID] = field(default_factory=set)
    sealed_to_file: set[uuid.UUID] = field(default_factory=set)


def peer_ledger(session: Session, node_id: str) -> PeerLedger:
    """The ledger summary of ``node_id``."""
    ledger = PeerLedger(node_id)
    for bundle_id, state in session.execute(
        select(Delivery.bundle_id, Delivery.state).where(Delivery.peer_node_id == node_id)
    ).all():
        ledger.sent[state.value] += 1
        if state is DeliveryState.ACCEPTED:
            ledger.acknowledged.add(bundle_id)
    for received_id, outcome in session.execute(
        select(InboxEntry.bundle_id, InboxEntry.outcome).where(InboxEntry.sender_node_id == node_id)
    ).all():
        ledger.received[outcome.value] += 1
        if outcome is InboxOutcome.ACCEPTED and received_id is not None:
            ledger.imported.add(received_id)
    ledger.sealed_to_file = {
        e.bundle_id for e in sealed_files(session, node_id) if e.bundle_id is not None
    }
    if ledger.sealed_to_file:
        ledger.sent["file"] += len(ledger.sealed_to_file)
    return ledger


@dataclass(frozen=True)
class LedgerEntry:
    """One bundle in the ledger of a peer: sent (online or on a file) or received."""

    direction: str  # "sent" or "received"
    bundle_id: uuid.UUID | None
    channel: str  # push/pull (online), file
    state: str  # queued, accepted, rejected, expired; "sealed" for a file we wrote
    at: datetime
    sequence: int | None = None
    attempts: int = 0
    reason: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "direction": self.direction,
            "bundle_id": str(self.bundle_id) if self.bundle_id else None,
            "channel": self.channel,
            "state": self.state,
            "at": self.at.isoformat(),
            "sequence": self.sequence,
            "attempts": self.attempts,
            "reason": self.reason,
        }


def sealed_files(session: Session, node_id: str) -> list[LedgerEntry]:
    """Bundles sealed to a file for ``node_id`` (sent bundles naming it, with no delivery)."""
    online = select(Delivery.bundle_id).where(Delivery.peer_node_id == node_id)
    rows = session.execute(
        select(SentBundle)
        .where(
            SentBundle.recipients.contains([{"node_id": node_id}]),
            SentBundle.bundle_id.not_in(online),
        )
        .order_by(SentBundle.created.desc())
    ).scalars()
    entries = []
    for row in rows:
        sequence = next(
            (r.get("sequence") for r in row.recipients if r.get("node_id") == node_id), None
        )
        entries.append(
            LedgerEntry(
                "sent",
                row.bundle_id,
                "file",
                "sealed",
                row.created,
                sequence,
                reason=str(row.summary.get("kind") or "records"),
            )
        )
    return entries


def ledger_entries(session: Session, node_id: str, limit: int = 20) -> list[LedgerEntry]:
    """The latest ``limit`` bundles each way with ``node_id``, newest first: every delivery
    (state, attempts, the peer's reason or our last error), every file sealed for it, and every
    bundle received from it (channel, outcome, the refusal's code and detail)."""
    sent = [
        LedgerEntry(
            "sent",
            d.bundle_id,
            "online",
            d.state.value,
            d.receipt_at or d.last_attempt_at or d.created_at,
            d.sequence,
            d.attempts,
            d.reason or d.last_error,
        )
        for d in session.execute(deliveries_statement(node_id).limit(limit)).scalars()
    ]
    sent = sorted(sent + sealed_files(session, node_id)[:limit], key=lambda e: e.at, reverse=True)
    received = [
        LedgerEntry(
            "received",
            e.bundle_id,
            e.channel,
            e.outcome.value,
            e.received_at,
            e.sequence,
            reason=f"[{e.code}] {e.detail}" if e.code else None,
        )
        for e in session.execute(inbox_statement(node_id).limit(limit)).scalars()
    ]
    return sent[:limit] + received


# Not a state of its own: the deliveries that need the officer's eye (see `failed_condition`).
FAILED = "failed"


def failed_condition() -> ColumnElement[bool]:
    """A delivery that failed: refused by the peer, expired undelivered, or still queued after
    an attempt that went wrong (``last_error`` is cleared by a successful attempt)."""
    return or_(
        Delivery.state.in_((DeliveryState.REJECTED, DeliveryState.EXPIRED)),
        (Delivery.state == DeliveryState.QUEUED) & Delivery.last_error.is_not(None),
    )


def deliveries_statement(node_id: str | None = None, state: str | None = None) -> Select[Delivery]:
    """Deliveries, newest first, optionally of one peer or state (for paginated pages);
    ``state`` is a `DeliveryState` value or `FAILED`.

    Raises `ValidationError` for a node id with control or text-direction characters.
    """
    check_filter_texts({"peer": node_id})
    stmt = select(Delivery).order_by(Delivery.created_at.desc(), Delivery.sequence.desc())
    if node_id:
        stmt = stmt.where(Delivery.peer_node_id == node_id)
    if state == FAILED:
        stmt = stmt.where(failed_condition())
    elif state:
        stmt = stmt.where(Delivery.state == DeliveryState(state))
    return stmt


def inbox_statement(node_id: str | None = None) -> Select[InboxEntry]:
    """Inbox entries, newest first, optionally of one sender.

    Raises `ValidationError` for a node id with control or text-direction characters.
    """
    check_filter_texts({"peer": node_id})
    stmt = select(InboxEntry).order_by(InboxEntry.received_at.desc())
    if node_id:
        stmt = stmt.where(InboxEntry.sender_node_id == node_id)
    return stmt


@dataclass(frozen=True)
class Reconciliation:
    """Where two ledgers disagree (both empty: they agree)."""

    acknowledged_not_imported: frozenset[uuid.UUID]
    imported_not_acknowledged: frozenset[uuid.UUID]
    # Files we sealed for the peer that it has not opened (not a disagreement: media travel).
    files_not_opened: frozenset[uuid.UUID] = frozenset()

    @property
    def agree(self) -> bool:
        return not self.acknowledged_not_imported and not self.imported_not_acknowledged


def reconcile(
    acknowledged: Iterable[uuid.UUID],
    imported: Iterable[uuid.UUID],
    sealed_to_file: Iterable[uuid.UUID] = (),
) -> Reconciliation:
    """Compare the sender's acknowledged bundle ids with the receiver's imported ones. A file
    bundle has no receipt: once opened it counts as acknowledged, until then as on its way."""
    files, theirs = frozenset(sealed_to_file), frozenset(imported)
    ours = frozenset(acknowledged) | (files & theirs)
    return Reconciliation(ours - theirs, theirs - ours, files - theirs)

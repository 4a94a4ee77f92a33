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

from sqlalchemy import ColumnElement, Select, or_, select
from sqlalchemy.orm import Session

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
    return ledger


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

    @property
    def agree(self) -> bool:
        return not self.acknowledged_not_imported and not self.imported_not_acknowledged


def reconcile(acknowledged: Iterable[uuid.UUID], imported: Iterable[uuid.UUID]) -> Reconciliation:
    """Compare the sender's acknowledged bundle ids with the receiver's imported ones."""
    ours, theirs = frozenset(acknowledged), frozenset(imported)
    return Reconciliation(ours - theirs, theirs - ours)

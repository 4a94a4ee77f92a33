"""Carrying a retention deletion to the exchange: the composition layer's half of a deletion.

``ncen`` may not import the exchange, so `ncen.retention.services.delete_record` erases the
record here and returns a `Deletion`; the view then calls `propagate_deletion` in the *same*
transaction, so either both happen or neither does:

- a **national** record that was sent to peers (``exchange_shared_records`` says which) is
  retracted from each active one: a signed ``retraction`` message naming it, queued through
  `exchange.network.outbox.queue_message` like the exchange officer's retractions
  (`exchange.services.retractions`), and applied by each receiver with `receive_retraction`. Peers
  that are suspended cannot be sent anything; they are named in the audit event so that an exchange
  officer retracts by hand when the peer is resumed. If the node cannot seal (its keys are
  missing), the deletion fails as a whole rather than leave peers holding what was deleted;
- a **received** record is the originator's to retract; here the signed record sets kept for
  forwarding that carry it are emptied, as `receive_retraction` does, so its content does not
  survive in them.

The retraction names no reason written by the supervisor (it may itself be nominal): peers
learn only that a retention review deleted the record.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from exchange.models import Peer, PeerStatus, ReceivedRecordSet
from exchange.netmodels import SharedRecord
from exchange.network.node import NodeContext
from exchange.network.outbox import QueuedBundle, queue_message
from ncen.accounts.actor import Actor
from ncen.audit import record_event
from ncen.retention.services import Deletion

# Record types as the exchange names them (plural), by the singular name of ncen.
EXCHANGE_TYPES = {
    "seizure": "seizures",
    "person": "persons",
    "company": "companies",
    "conveyance": "conveyances",
}
RETRACTION_REASON = "deleted after a retention review"
LEGAL_BASIS = "data protection: retention review of the originator"


def peers_holding(session: Session, record_type: str, record_id: object) -> list[str]:
    """The peers this node sent the record to (from the sent-record ledger), sorted."""
    rows = session.execute(
        select(SharedRecord.peer_node_id)
        .where(
            SharedRecord.record_type == EXCHANGE_TYPES[record_type],
            SharedRecord.record_id == record_id,
        )
        .distinct()
    ).scalars()
    return sorted(rows)


def propagate_deletion(
    session: Session,
    actor: Actor,
    deletion: Deletion,
    node: Callable[[], NodeContext],
    *,
    now: datetime,
) -> QueuedBundle | None:
    """Retract a national record from the peers that received it, or empty the kept record sets
    of a received one (see the module docstring). ``node`` loads the node's identity only when
    a retraction is to be sealed. Audits ``retention.retraction`` (peers notified and not).
    Raises what `queue_message` and ``node()`` raise (`ExchangeError`): the caller rolls back."""
    exchange_type = EXCHANGE_TYPES[deletion.record_type]
    if not deletion.national:
        if deletion.origin_node is not None and deletion.origin_id is not None:
            session.execute(
                update(ReceivedRecordSet)
                .where(
                    ReceivedRecordSet.originator_node_id == deletion.origin_node,
                    ReceivedRecordSet.contents.contains({exchange_type: [deletion.origin_id]}),
                )
                .values(data=b"", contents={"retracted": True})
            )
        return None
    holders = peers_holding(session, deletion.record_type, deletion.record_id)
    if not holders:
        return None
    rows = session.execute(select(Peer.node_id, Peer.status).where(Peer.node_id.in_(holders)))
    statuses = {row.node_id: row.status for row in rows}
    active = [p for p in holders if statuses.get(p) is PeerStatus.ACTIVE]
    queued = None
    if active:
        # The exchange requires RUN_EXCHANGE to seal; the supervisor's decision is the
        # authority here, so the node seals on its behalf and the audit names both.
        queued = queue_message(
            session,
            Actor.system("retention-review"),
            node(),
            recipients=active,
            kind="retraction",
            body={
                "records": [{"record_type": exchange_type, "origin_id": str(deletion.record_id)}],
                "reason": RETRACTION_REASON,
            },
            legal_basis=LEGAL_BASIS,
            purpose="retraction",
            now=now,
        )
    record_event(
        session,
        actor,
        "retention.retraction",
        record_type=deletion.record_type,
        record_id=deletion.record_id,
        details={
            "peers": active,
            "not_notified": [p for p in holders if p not in active],
            "bundle_id": str(queued.bundle_id) if queued else None,
        },
    )
    return queued

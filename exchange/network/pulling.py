"""Server side of the pull protocol, for peers behind NAT that cannot be reached by a push.

A peer registered without an endpoint gets no push: its deliveries stay ``queued`` until it
asks. It asks with a signed pull request (`exchange.network.protocol.make_pull_request`), checked
against its pinned signing key, addressed to this node, fresh (five minutes) and with a nonce
not seen before by any server process of this node (`remember_nonce`: a row in PostgreSQL,
kept for twice the window, which bounds what must be remembered).

- ``list``: the bundles queued for it, in sequence order (at most 50), and the receipts this
  node gave for its latest bundles (so a receipt lost with a push answer is not lost);
- a bundle id: that bundle's file, if a delivery of it to this peer is still queued.

The peer then posts its signed receipt (`exchange.network.delivery.apply_returned_receipt`).
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Session

from exchange.crypto.signing import SignedStatement
from exchange.errors import ReplayError, SignatureError, UnknownSenderError
from exchange.models import Peer, PeerStatus
from exchange.netmodels import Delivery, DeliveryState, PullNonce
from exchange.network.delivery import recent_receipts_for
from exchange.network.node import NodeContext
from exchange.network.protocol import (
    PULL_WINDOW,
    PullRequest,
    read_pull_request,
    verify_pull_request,
)
from exchange.services.trust import peer_trust


def remember_nonce(session: Session, peer_node_id: str, nonce: str, now: datetime) -> None:
    """Record ``nonce`` as used; raise `ReplayError` if any process of the node saw it already.

    One atomic ``INSERT … ON CONFLICT DO NOTHING``: two processes given the same request at once
    cannot both pass. Nonces older than twice `PULL_WINDOW` are forgotten on the way (a request
    that old is refused for its time anyway).
    """
    session.execute(delete(PullNonce).where(PullNonce.seen_at < now - 2 * PULL_WINDOW))
    inserted = session.execute(
        insert(PullNonce)
        .values(nonce=nonce[:64], peer_node_id=peer_node_id, seen_at=now)
        .on_conflict_do_nothing(index_elements=[PullNonce.nonce])
        .returning(PullNonce.nonce)
    ).scalar_one_or_none()
    if inserted is None:
        raise ReplayError("pull request nonce already used")


def verify_pull(
    session: Session, node: NodeContext, signed: SignedStatement, now: datetime
) -> PullRequest:
    """Check a pull request; raise `UnknownSenderError`, `SignatureError`, `FormatError` or
    `ReplayError`. Side effect: remembers its nonce (`remember_nonce`) in the caller's
    transaction."""
    claimed = read_pull_request(signed)
    peer = session.get(Peer, claimed.node_id)
    if peer is None or peer.status is not PeerStatus.ACTIVE:
        raise UnknownSenderError(f"pull request from {claimed.node_id!r}, not an active peer")
    trust = peer_trust(peer)
    pinned = trust.signing_key(signed.signer_key_id)
    if pinned is None or signed.signer_key_id in trust.revoked_key_ids:
        raise SignatureError("pull request signed by a key that is not pinned")
    request = verify_pull_request(signed, pinned.key, own_node_id=node.node_id, now=now)
    remember_nonce(session, request.node_id, request.nonce, now)
    return request


def pull_listing(session: Session, request: PullRequest) -> dict[str, Any]:
    """What is queued for the requesting peer, and the receipts given for its bundles."""
    rows = session.execute(
        select(Delivery)
        .where(Delivery.peer_node_id == request.node_id, Delivery.state == DeliveryState.QUEUED)
        .order_by(Delivery.sequence)
        .limit(50)
    ).scalars()
    return {
        "bundles": [
            {"bundle_id": str(d.bundle_id), "sequence": d.sequence, "size": d.size} for d in rows
        ],
        "receipts": recent_receipts_for(session, request.node_id),
    }


def pulled_bundle(session: Session, node: NodeContext, request: PullRequest) -> Path | None:
    """The file of the bundle named by ``request.want``, if still queued for that peer."""
    delivery = session.execute(
        select(Delivery).where(
            Delivery.peer_node_id == request.node_id,
            Delivery.state == DeliveryState.QUEUED,
        )
    ).scalars()
    for row in delivery:
        if str(row.bundle_id) == request.want:
            path = node.bundle_path(row.bundle_id)
            return path if path.is_file() else None
    return None

"""Delivering the outbox: claim a due delivery, push it, verify the signed receipt, or back off.

**Why ``SELECT … FOR UPDATE SKIP LOCKED`` and not a queue library.** A delivery is not a free
job: a peer must receive its bundles in sequence order (its replay guard refuses a sequence
number below the last accepted one), and the row *is* the ledger entry, the peer's receipt
included. `claim_next` picks the oldest due ``queued`` row whose peer has no earlier
``queued`` row (head of line per peer), locks it with ``SKIP LOCKED`` so several workers never
take the same row, and keeps the lock for the whole attempt: a worker that dies (SIGKILL, lost
connection) releases it with its transaction, and the row is due again at once, with no lease
to expire. While one worker holds a peer's head row, the ``NOT EXISTS`` condition makes every
later row of that peer ineligible, so order holds with any number of workers. A library
(procrastinate, pgqueuer) would give retries and scheduling but keep its own job table beside
the ledger, and neither orders jobs per key; the query is 12 lines and its tests kill workers.

Retries back off exponentially (`ExchangeConfig.backoff`) and stop when the bundle expires.
Outcomes are definitive only with a verified receipt bound to the bytes sent: ``accepted`` or
``rejected`` (the peer's generic reason). Transport errors, 5xx, 403, 429, or a receipt that
does not verify or acknowledges other bytes (whatever its outcome) are retried.
"""

from __future__ import annotations

import logging
import threading
import uuid
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from sqlalchemy import Engine, select, text, update
from sqlalchemy.orm import Session

from exchange.crypto.interfaces import PeerTrust
from exchange.crypto.keys import SigningPublicKey
from exchange.crypto.opening import UnverifiedBundleError
from exchange.crypto.signing import SignedStatement, verify_statement
from exchange.errors import ExchangeError, SignatureError, UnknownSenderError
from exchange.models import Peer
from exchange.netmodels import Delivery, DeliveryState, InboxEntry
from exchange.network.node import NodeContext
from exchange.network.protocol import (
    DOMAIN_RECEIPT,
    Receipt,
    make_pull_request,
    parse_receipt,
    verify_receipt,
)
from exchange.network.transport import PermanentTransportError, Transport, TransportError
from exchange.services.trust import peer_trust
from ncen.accounts.actor import Actor
from ncen.audit import record_event

log = logging.getLogger(__name__)
ACTOR = Actor.system("exchange-worker")

_CLAIM = text(
    """
    SELECT d.id FROM exchange_deliveries AS d
    JOIN exchange_peers AS p ON p.node_id = d.peer_node_id
    WHERE d.state = 'queued' AND d.next_attempt_at <= :now
      AND p.endpoint IS NOT NULL AND p.status = 'active'
      AND NOT EXISTS (
        SELECT 1 FROM exchange_deliveries AS e
        WHERE e.peer_node_id = d.peer_node_id AND e.state = 'queued' AND e.sequence < d.sequence
      )
    ORDER BY d.next_attempt_at, d.sequence
    LIMIT 1
    FOR UPDATE OF d SKIP LOCKED
    """
)


def claim_next(session: Session, now: datetime) -> Delivery | None:
    """Lock and return the next due delivery (see the module docstring), or None."""
    delivery_id = session.execute(_CLAIM, {"now": now}).scalar_one_or_none()
    if delivery_id is None:
        return None
    return session.get(Delivery, delivery_id, populate_existing=True)


def _pinned_key(peer: Peer, signed: SignedStatement) -> SigningPublicKey:
    trust: PeerTrust = peer_trust(peer)
    pinned = trust.signing_key(signed.signer_key_id)
    if pinned is None or signed.signer_key_id in trust.revoked_key_ids:
        raise SignatureError(f"receipt signed by key {signed.signer_key_id}, not pinned")
    return pinned.key


def _verify(peer: Peer, delivery: Delivery, signed: SignedStatement) -> Receipt:
    return verify_receipt(
        signed,
        _pinned_key(peer, signed),
        receiver_node_id=peer.node_id,
        bundle_id=delivery.bundle_id,
        sent_sha256=delivery.sha256,
        sent_size=delivery.size,
    )


def apply_receipt(session: Session, delivery: Delivery, receipt: Receipt, now: datetime) -> None:
    """Record a verified receipt on its delivery: accepted or rejected (final states)."""
    delivery.state = DeliveryState.ACCEPTED if receipt.accepted else DeliveryState.REJECTED
    delivery.reason = None if receipt.accepted else receipt.reason[:64]
    delivery.receipt = receipt.signed.to_json()
    delivery.receipt_at = now
    delivery.last_error = None
    session.flush()
    record_event(
        session,
        ACTOR,
        "exchange.receipt",
        record_type="bundle",
        record_id=delivery.bundle_id,
        details={
            "peer": delivery.peer_node_id,
            "outcome": receipt.outcome,
            "reason": receipt.reason,
            "receipt_time": receipt.time.isoformat(),
        },
    )


def _expire(session: Session, delivery: Delivery) -> None:
    delivery.state = DeliveryState.EXPIRED
    delivery.reason = "expired"
    session.flush()
    record_event(
        session,
        ACTOR,
        "exchange.expired",
        record_type="bundle",
        record_id=delivery.bundle_id,
        details={"peer": delivery.peer_node_id, "attempts": delivery.attempts},
    )


def _bundle_file(node: NodeContext, delivery: Delivery) -> Path:
    path = node.bundle_path(delivery.bundle_id)
    if not path.is_file():
        raise TransportError(f"bundle file {path.name} is missing from the outbox")
    return path


def deliver_next(
    session: Session, node: NodeContext, transport: Transport, now: datetime
) -> Delivery | None:
    """One attempt at the next due delivery, inside the caller's transaction; None if idle."""
    delivery = claim_next(session, now)
    if delivery is None:
        return None
    if now > delivery.expires:
        _expire(session, delivery)
        return delivery
    peer = session.get(Peer, delivery.peer_node_id)
    if peer is None or peer.endpoint is None:  # the claim query excludes both
        return delivery
    delivery.attempts += 1
    delivery.last_attempt_at = now
    try:
        signed = transport.post_bundle(peer.endpoint, _bundle_file(node, delivery))
        receipt = _verify(peer, delivery, signed)
    except PermanentTransportError as error:
        delivery.state = DeliveryState.REJECTED
        delivery.reason = error.code
        delivery.last_error = str(error)[:2000]
        log.warning("delivery of %s to %s refused: %s", delivery.bundle_id, peer.node_id, error)
    except Exception as error:  # noqa: BLE001 - any other failure: in the ledger, retried later
        delivery.next_attempt_at = now + node.config.backoff(delivery.attempts)
        delivery.last_error = f"{type(error).__name__}: {error}"[:2000]
        log.info("delivery of %s to %s failed: %s", delivery.bundle_id, peer.node_id, error)
    else:
        apply_receipt(session, delivery, receipt, now)
    session.flush()
    return delivery


def expire_pull_deliveries(session: Session, now: datetime) -> int:
    """Mark queued deliveries that expired (those waiting to be pulled too); return how many."""
    ids = session.execute(
        select(Delivery.id)
        .where(Delivery.state == DeliveryState.QUEUED, Delivery.expires < now)
        .with_for_update(skip_locked=True)
    ).scalars()
    count = 0
    for delivery_id in list(ids):
        delivery = session.get(Delivery, delivery_id)
        if delivery is not None:
            _expire(session, delivery)
            count += 1
    return count


# ----------------------------------------------------------------------- pull (client side)


def pull_from_peer(  # noqa: PLR0917 - the loop's collaborators
    session_factory: Callable[[], Session],
    node: NodeContext,
    transport: Transport,
    peer_node_id: str,
    now: Callable[[], datetime],
    receive: Callable[..., SignedStatement],
) -> int:
    """Fetch what ``peer_node_id`` holds for us, import it, and give it our receipts.

    ``receive`` is `exchange.network.inbox.accept_bundle` (passed in to keep the modules apart).
    Returns the number of bundles fetched. Transport errors propagate (the loop retries).
    """
    with session_factory() as session:
        peer = session.get(Peer, peer_node_id)
        if peer is None or peer.endpoint is None:
            return 0
        endpoint = peer.endpoint
    listing = transport.pull_list(
        endpoint,
        make_pull_request(
            node.identity.signing,
            node_id=node.node_id,
            peer_node_id=peer_node_id,
            want="list",
            now=now(),
        ),
    )
    _apply_pulled_receipts(session_factory, listing.get("receipts"), peer_node_id, now())
    fetched = 0
    bundles = listing.get("bundles")
    for entry in bundles if isinstance(bundles, list) else []:
        bundle_id = str(entry.get("bundle_id")) if isinstance(entry, dict) else ""
        sink = node.work_dir / f"pulled-{uuid.uuid4()}.ncb"
        try:
            transport.pull_bundle(
                endpoint,
                make_pull_request(
                    node.identity.signing,
                    node_id=node.node_id,
                    peer_node_id=peer_node_id,
                    want=bundle_id,
                    now=now(),
                ),
                sink,
                node.config.limits.max_bundle_bytes,
            )
            receipt = receive(session_factory, node, sink, channel="pull", now=now())
        except UnverifiedBundleError as error:  # nothing kept, nothing to acknowledge
            log.warning(
                "bundle %s pulled from %s is unverifiable: %s", bundle_id, peer_node_id, error
            )
            continue
        finally:
            sink.unlink(missing_ok=True)
        transport.post_receipt(endpoint, receipt)
        fetched += 1
    return fetched


def _apply_pulled_receipts(
    session_factory: Callable[[], Session], receipts: object, peer_node_id: str, now: datetime
) -> None:
    if not isinstance(receipts, list):
        return
    for item in receipts:
        try:
            signed = SignedStatement.from_json(item)
            with session_factory() as session, session.begin():
                apply_returned_receipt(session, signed, expected_peer=peer_node_id, now=now)
        except ExchangeError as error:
            log.warning("receipt pulled from %s ignored: %s", peer_node_id, error)


def apply_returned_receipt(
    session: Session, signed: SignedStatement, *, expected_peer: str | None, now: datetime
) -> Delivery | None:
    """Apply a receipt that came back outside a push (a pulled bundle's receipt, or one listed
    by a peer).

    The receipt's signature is verified first, against a pinned key of the node it names as
    receiver, before any delivery is looked at: whether it verifies cannot depend on what is
    queued, so the answer of ``/v1/receipts`` reveals nothing about the outbox. Raises
    `UnknownSenderError`, `SignatureError` or `FormatError` for a receipt that does not verify.
    A verified receipt settles the queued delivery of that bundle to that node only if it is
    bound to the bytes sent (`verify_receipt`); otherwise it settles nothing (a mismatch is
    logged and noted on the delivery, which stays queued). Returns the delivery settled, or None.
    """
    receipt = parse_receipt(signed)
    if expected_peer is not None and receipt.receiver_node_id != expected_peer:
        raise UnknownSenderError("receipt from another node than the one asked")
    peer = session.get(Peer, receipt.receiver_node_id)
    if peer is None:
        raise UnknownSenderError(f"receipt from {receipt.receiver_node_id!r}, not a peer")
    verify_statement(signed, _pinned_key(peer, signed), DOMAIN_RECEIPT)
    delivery = session.execute(
        select(Delivery)
        .where(
            Delivery.bundle_id == receipt.bundle_id,
            Delivery.peer_node_id == receipt.receiver_node_id,
        )
        .with_for_update()
    ).scalar_one_or_none()
    if delivery is None or delivery.state is not DeliveryState.QUEUED:
        return None
    try:
        verified = _verify(peer, delivery, signed)
    except ExchangeError as error:
        delivery.last_error = f"receipt ignored: {error}"[:2000]
        log.warning("receipt from %s ignored: %s", peer.node_id, error)
        return None
    apply_receipt(session, delivery, verified, now)
    return delivery


def recent_receipts_for(session: Session, sender_node_id: str, limit: int = 100) -> list[object]:
    """The receipts this node gave for the latest bundles of ``sender_node_id``."""
    rows = session.execute(
        select(InboxEntry.receipt)
        .where(InboxEntry.sender_node_id == sender_node_id, InboxEntry.receipt.is_not(None))
        .order_by(InboxEntry.received_at.desc())
        .limit(limit)
    ).scalars()
    return [row for row in rows if row]


# ------------------------------------------------------------------------------ the loop


def requeue_now(session: Session, bundle_id: uuid.UUID | None = None) -> int:
    """Make queued deliveries due at once (the "retry now" button); return how many."""
    stmt = update(Delivery).where(Delivery.state == DeliveryState.QUEUED)
    if bundle_id is not None:
        stmt = stmt.where(Delivery.bundle_id == bundle_id)
    result = session.execute(stmt.values(next_attempt_at=text("now()")))
    return int(getattr(result, "rowcount", 0) or 0)


def run_worker(  # noqa: PLR0917 - the loop's collaborators
    engine: Engine,
    node: NodeContext,
    transport: Transport,
    stop: threading.Event,
    now: Callable[[], datetime],
    receive: Callable[..., SignedStatement],
) -> None:
    """Deliver until ``stop`` is set: push due deliveries, pull from NAT peers, expire old
    ones. Each attempt is its own transaction; errors are logged and the loop goes on."""

    def factory() -> Session:
        return Session(engine)

    last_pull = 0.0
    while not stop.is_set():
        busy = False
        try:
            with Session(engine) as session, session.begin():
                busy = deliver_next(session, node, transport, now()) is not None
            if not busy:
                with Session(engine) as session, session.begin():
                    expire_pull_deliveries(session, now())
        except Exception:
            log.exception("delivery attempt failed")
        moment = now().timestamp()
        if node.config.pull_peers and moment - last_pull >= node.config.poll_seconds:
            last_pull = moment
            for peer_node_id in node.config.pull_peers:
                try:
                    fetched = pull_from_peer(factory, node, transport, peer_node_id, now, receive)
                    busy = busy or fetched > 0
                except Exception:
                    log.exception("pull from %s failed", peer_node_id)
        if not busy:
            stop.wait(node.config.poll_seconds)

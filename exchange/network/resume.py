"""Resuming delivery as soon as a peer that was down is reachable again.

Back-off doubles up to ``NCEN_EXCHANGE_RETRY_MAX_SECONDS`` (an hour by default): after a long
outage, a receiver that comes back would wait out the current wait, and every later bundle to it
queues behind the head of its line. The worker therefore probes, every
``NCEN_EXCHANGE_PROBE_SECONDS``, each peer whose queued deliveries wait in back-off: a TCP
connection to its endpoint (with the TLS handshake for https), no request, nothing signed, so
the probe costs the peer nothing and reveals nothing. A peer seen *unreachable* by one probe
and *reachable* by a later one is back: its waiting deliveries become due at once. A peer that
is reachable but refuses or fails the deliveries (5xx, 429, a bad receipt) is never probed into
a faster retry: only the change from unreachable to reachable resumes, so back-off still
protects a peer that answers but is in trouble.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from exchange.models import Peer, PeerStatus
from exchange.netmodels import Delivery, DeliveryState

log = logging.getLogger(__name__)
Probe = Callable[[str], bool]


def peers_in_backoff(session: Session, now: datetime) -> list[tuple[str, str]]:
    """(node id, endpoint) of active peers with a queued delivery waiting after a failure."""
    rows = session.execute(
        select(Peer.node_id, Peer.endpoint)
        .join(Delivery, Delivery.peer_node_id == Peer.node_id)
        .where(
            Delivery.state == DeliveryState.QUEUED,
            Delivery.next_attempt_at > now,
            Delivery.last_error.is_not(None),
            Peer.endpoint.is_not(None),
            Peer.status == PeerStatus.ACTIVE,
        )
        .distinct()
        .order_by(Peer.node_id)
    ).all()
    return [(node_id, endpoint) for node_id, endpoint in rows if endpoint]


def resume_peer(session: Session, node_id: str, now: datetime) -> int:
    """Make the waiting queued deliveries to ``node_id`` due now; return how many."""
    result = session.execute(
        update(Delivery)
        .where(
            Delivery.peer_node_id == node_id,
            Delivery.state == DeliveryState.QUEUED,
            Delivery.next_attempt_at > now,
        )
        .values(next_attempt_at=now)
    )
    return int(getattr(result, "rowcount", 0) or 0)


@dataclass
class Resumer:
    """The worker's memory of which peers its probes found down (see the module docstring)."""

    probe: Probe
    interval_seconds: float
    down: set[str] = field(default_factory=set)
    last_probe: float | None = None

    def tick(self, session_factory: Callable[[], Session], now: datetime) -> list[str]:
        """Probe the peers in back-off if the interval has passed; resume those back from
        down, each in its own transaction. Returns the node ids resumed."""
        moment = now.timestamp()
        if self.last_probe is not None and moment - self.last_probe < self.interval_seconds:
            return []
        self.last_probe = moment
        with session_factory() as session:
            waiting = peers_in_backoff(session, now)
        self.down &= {node_id for node_id, _ in waiting}
        resumed = []
        for node_id, endpoint in waiting:
            if not self.probe(endpoint):
                self.down.add(node_id)
                continue
            if node_id not in self.down:
                continue  # reachable all along: its failures are not an outage
            self.down.discard(node_id)
            with session_factory() as session, session.begin():
                count = resume_peer(session, node_id, now)
            log.info("peer %s is reachable again: %d deliveries resumed", node_id, count)
            resumed.append(node_id)
        return resumed

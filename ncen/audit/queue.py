"""The chainer: moves the events of deferred sessions from ``audit_queue`` into the chain.

Deferred sessions (the web server's, see `ncen.audit.events`) append their events to
``audit_queue`` without taking the chain lock. `chain_queued` moves a batch of them, in queue
order, into ``audit_events``: under the chain lock it deletes the batch from the queue and
inserts it chained after the last event, in one transaction, so an event is either still queued
or chained, never lost and never chained twice (two chainers serialise on the lock; the second
finds the rows gone).

Queue order is the order of the queue's ids, drawn when each transaction inserted its events; a
transaction that commits late is chained in a later batch, after events committed before it.
Every event keeps its own ``occurred_at``.

`start_chainer` runs the rounds in a daemon thread of ``ncen serve``, one per node: a round
every ``interval`` seconds (default 0.2 s) while events keep coming, and a last one when it is
stopped. `ncen audit verify` and ``checkpoint`` also chain what is queued before they look at
the chain.
"""

from __future__ import annotations

import logging
import threading

from sqlalchemy import Engine, delete, select
from sqlalchemy.orm import Session

from ncen.audit.events import AuditQueued, append_chained, take_chain_lock

log = logging.getLogger(__name__)

# Events moved per transaction: bounds the chainer's transaction and memory after a backlog
# (a node restarted after a crash, a burst of reads); the next batch follows at once.
BATCH = 2000
_CONTENT = (
    "occurred_at",
    "actor_id",
    "actor_name",
    "action",
    "record_type",
    "record_id",
    "details",
)


def chain_queued(session: Session, limit: int = BATCH) -> int:
    """Chain up to ``limit`` queued events, oldest first, in the caller's transaction; return
    how many. Takes the chain lock until the transaction ends (before reading the queue, so
    that the batch and the chain head are seen by one chainer at a time)."""
    if session.scalar(select(AuditQueued.id).limit(1)) is None:
        return 0  # nothing queued: no lock, so an idle chainer never delays a writer
    oldest = select(AuditQueued.id).order_by(AuditQueued.id).limit(limit).scalar_subquery()
    table = AuditQueued.__table__
    # The lock first: another chainer may be moving the same rows; once it has committed, this
    # DELETE (READ COMMITTED) no longer finds them.
    take_chain_lock(session)
    rows = session.execute(
        delete(AuditQueued)
        .where(AuditQueued.id.in_(oldest))
        .returning(table.c.id, *(table.c[name] for name in _CONTENT))
    ).all()
    if not rows:
        return 0
    ordered = sorted(rows, key=lambda row: row.id)  # RETURNING order is not guaranteed
    append_chained(session, [{name: getattr(row, name) for name in _CONTENT} for row in ordered])
    return len(ordered)


def chain_all_queued(engine: Engine) -> int:
    """Chain everything queued now, one batch per transaction; return how many."""
    total = 0
    while True:
        with Session(engine) as session, session.begin():
            moved = chain_queued(session)
        total += moved
        if moved < BATCH:
            return total


def start_chainer(
    engine: Engine, interval: float = 0.2
) -> tuple[threading.Thread, threading.Event]:
    """Start the chainer's daemon thread; set the returned event to stop it (it chains what is
    still queued before it ends: stop it after the web server)."""
    stop = threading.Event()

    def run() -> None:
        while True:
            stopping = stop.wait(interval)
            try:
                chain_all_queued(engine)
            except Exception:  # a database outage must not kill the thread; it retries
                log.exception("audit chainer: round failed; retrying")
            if stopping:
                return

    thread = threading.Thread(target=run, name="ncen-audit-chainer", daemon=True)
    thread.start()
    return thread, stop

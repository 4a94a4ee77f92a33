"""The append-only, hash-chained audit trail: events, chain verification, signed checkpoints.

- `ncen.audit.events`: the table and `record_event` (queued, chained once per transaction, or
  appended to the queue by deferred sessions);
- `ncen.audit.queue`: the chainer that moves the queue into the chain;
- `ncen.audit.chain`: `verify_chain` and `walk_chain`;
- `ncen.audit.checkpoints`: checkpoints signed with a key outside the database.
"""

from ncen.audit.chain import ChainHead, verify_chain, walk_chain
from ncen.audit.events import (
    DEFERRED,
    GENESIS,
    AuditEvent,
    QueuedEvent,
    drop_pending_since,
    flush_events,
    pending_mark,
    record_event,
)

__all__ = [
    "DEFERRED",
    "GENESIS",
    "AuditEvent",
    "ChainHead",
    "QueuedEvent",
    "drop_pending_since",
    "flush_events",
    "pending_mark",
    "record_event",
    "verify_chain",
    "walk_chain",
]

"""The append-only, hash-chained audit trail: events, chain verification, signed checkpoints.

- `ncen.audit.events`: the table and `record_event` (queued, chained once per transaction);
- `ncen.audit.chain`: `verify_chain` and `walk_chain`;
- `ncen.audit.checkpoints`: checkpoints signed with a key outside the database.
"""

from ncen.audit.chain import ChainHead, verify_chain, walk_chain
from ncen.audit.events import (
    GENESIS,
    AuditEvent,
    QueuedEvent,
    drop_pending_since,
    flush_events,
    pending_mark,
    record_event,
)

__all__ = [
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

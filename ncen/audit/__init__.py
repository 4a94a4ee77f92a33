"""The append-only, hash-chained audit trail: events, chain verification, signed checkpoints.

- `ncen.audit.events`: the table and `record_event` (queued, chained once per transaction);
- `ncen.audit.chain`: `verify_chain` and `walk_chain`;
- `ncen.audit.checkpoints`: checkpoints signed with a key outside the database.
"""

from ncen.audit.chain import ChainHead, verify_chain, walk_chain
from ncen.audit.events import GENESIS, AuditEvent, QueuedEvent, flush_events, record_event

__all__ = [
    "GENESIS",
    "AuditEvent",
    "ChainHead",
    "QueuedEvent",
    "flush_events",
    "record_event",
    "verify_chain",
    "walk_chain",
]

"""Verifying the audit trail's hash chain from the first event to the last.

The chain proves that no row was altered or removed *unless the whole tail was recomputed*, which
only a role that can disable the append-only trigger (the owner, a superuser) could do. Against
that, `walk_chain` also compares the chain with the hashes of signed checkpoints kept outside the
database (`ncen.audit.checkpoints`): a rewritten or deleted row before a checkpoint changes the
hash at the checkpoint's event, and a truncated tail loses the checkpoint's event altogether.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from ncen.audit.events import GENESIS, AuditEvent, content_hash
from ncen.errors import AuditChainError


@dataclass(frozen=True)
class ChainHead:
    """Where the verified chain ends: its number of events, last id and last hash."""

    count: int
    last_id: int
    last_hash: bytes


def verify_chain(session: Session, batch: int = 5000) -> int:
    """Recompute the whole chain; return the number of events checked.

    Raises `AuditChainError` naming the first event whose link or content does not verify.
    """
    return walk_chain(session, batch=batch).count


def walk_chain(
    session: Session,
    expected: Mapping[int, bytes] | None = None,
    *,
    start: ChainHead | None = None,
    batch: int = 5000,
) -> ChainHead:
    """Recompute the chain, and check it against ``expected`` (event id → hash at that event).

    With ``start`` (a head already verified, e.g. the last signed checkpoint) only the events
    after it are recomputed, linked to its hash; ``expected`` ids at or before it are not checked.

    Returns the head of the verified chain. Raises `AuditChainError` naming the first event whose
    link or content does not verify, an expected event whose hash differs (the chain was
    recomputed after a change before it), or an expected event that is gone (rows were deleted
    or the tail truncated).
    """
    prev, count, last_id = GENESIS, 0, 0
    if start is not None:
        prev, count, last_id = start.last_hash, start.count, start.last_id
    expected = {k: v for k, v in (expected or {}).items() if k > last_id}
    while True:
        rows = session.execute(
            select(AuditEvent.__table__)
            .where(AuditEvent.id > last_id)
            .order_by(AuditEvent.id)
            .limit(batch)
        ).mappings()
        seen = 0
        for row in rows:
            seen += 1
            if row["prev_hash"] != prev or content_hash(prev, row) != row["hash"]:
                raise AuditChainError(
                    f"audit event {row['id']} does not verify: the trail was altered"
                )
            want = expected.pop(row["id"], None)
            if want is not None and want != row["hash"]:
                raise AuditChainError(
                    f"audit event {row['id']} differs from its signed checkpoint: the trail "
                    "was rewritten and re-chained"
                )
            prev = row["hash"]
            last_id = row["id"]
            count += 1
        if not seen:
            break
    if expected:
        missing = min(expected)
        raise AuditChainError(
            f"audit event {missing} named by a signed checkpoint is missing: events were "
            "deleted or the trail was truncated"
        )
    return ChainHead(count=count, last_id=last_id, last_hash=prev)

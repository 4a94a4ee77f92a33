"""The append-only, hash-chained audit trail.

Every change and every read of nominal data writes one `AuditEvent`. Each row stores the SHA-256
of the previous row's hash plus its own canonical content, so removing or altering any row breaks
every later hash (`verify_chain` finds it). A database trigger (created by migration) refuses
UPDATE, DELETE and TRUNCATE on the table. Writers serialise on a transaction-scoped advisory lock
so the chain stays linear under concurrency; the lock is held only until the writer commits.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, DateTime, LargeBinary, String, select, text
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, Session, mapped_column

from ncen.accounts.actor import Actor
from ncen.db import Base, utcnow
from ncen.errors import AuditChainError

# Arbitrary constant naming the audit-chain advisory lock (ASCII "AUDT").
_CHAIN_LOCK = 0x41554454
GENESIS = b"\x00" * 32


class AuditEvent(Base):
    """One audited action. Never updated, never deleted."""

    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=True)
    occurred_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    actor_id: Mapped[uuid.UUID | None] = mapped_column(index=True)
    actor_name: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(64), index=True)
    record_type: Mapped[str | None] = mapped_column(String(32))
    record_id: Mapped[str | None] = mapped_column(String(64), index=True)
    details: Mapped[dict[str, Any]] = mapped_column(JSONB, default=dict)
    prev_hash: Mapped[bytes] = mapped_column(LargeBinary(32))
    hash: Mapped[bytes] = mapped_column(LargeBinary(32))


def _content_hash(prev_hash: bytes, event: AuditEvent) -> bytes:
    content = {
        "occurred_at": event.occurred_at.isoformat(),
        "actor_id": str(event.actor_id) if event.actor_id else None,
        "actor_name": event.actor_name,
        "action": event.action,
        "record_type": event.record_type,
        "record_id": event.record_id,
        "details": event.details,
    }
    canonical = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(prev_hash + canonical.encode("utf-8")).digest()


def record_event(
    session: Session,
    actor: Actor,
    action: str,
    *,
    record_type: str | None = None,
    record_id: object = None,
    details: Mapping[str, Any] | None = None,
) -> AuditEvent:
    """Append one event to the chain inside the caller's transaction.

    ``details`` must be JSON-serialisable. Side effect: takes the chain lock until commit.
    """
    session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _CHAIN_LOCK})
    last = session.execute(
        select(AuditEvent.hash).order_by(AuditEvent.id.desc()).limit(1)
    ).scalar_one_or_none()
    prev = last if last is not None else GENESIS
    event = AuditEvent(
        occurred_at=utcnow(),
        actor_id=actor.user_id,
        actor_name=actor.username[:64],
        action=action,
        record_type=record_type,
        record_id=None if record_id is None else str(record_id),
        details=dict(details or {}),
        prev_hash=prev,
    )
    event.hash = _content_hash(prev, event)
    session.add(event)
    session.flush()
    return event


def verify_chain(session: Session, batch: int = 5000) -> int:
    """Recompute the whole chain; return the number of events checked.

    Raises `AuditChainError` naming the first event whose link or content does not verify.
    """
    prev = GENESIS
    count = 0
    last_id = 0
    while True:
        rows = (
            session.execute(
                select(AuditEvent)
                .where(AuditEvent.id > last_id)
                .order_by(AuditEvent.id)
                .limit(batch)
            )
            .scalars()
            .all()
        )
        if not rows:
            return count
        for event in rows:
            if event.prev_hash != prev or _content_hash(prev, event) != event.hash:
                raise AuditChainError(
                    f"audit event {event.id} does not verify: the trail was altered"
                )
            prev = event.hash
            last_id = event.id
            count += 1

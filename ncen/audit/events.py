"""Audit events: the append-only table and the batched writer that chains them.

Every change and every read of nominal data writes one `AuditEvent`. Each row stores the SHA-256
of the previous row's hash plus its own canonical content, so altering or removing any row breaks
every later hash (`ncen.audit.chain.verify_chain` finds it).

`record_event` only queues the event on the session; nothing is written and no lock is taken
while the caller goes on reading, rendering or importing. When the transaction commits, the
session's ``before_commit`` hook writes the queued events in one of two ways:

- **chained now** (the default: command-line tools, imports, the exchange worker, tests): the hook
  takes the chain's advisory lock, reads the last hash, chains every queued event in order and
  inserts them in one statement (a large batch, as a bulk import queues, with COPY); the
  commit that follows releases the lock. The lock is held
  for the few milliseconds of the commit, once per transaction. Ids are drawn from the sequence
  only while the lock is held, so id order is chain order.
- **deferred** (sessions made with ``info={DEFERRED: True}``: the web server of ``ncen serve``):
  the hook appends the events to ``audit_queue`` without any lock, in the same transaction as
  the read or change they describe, so they are exactly as durable as it is. One chainer
  (`ncen.audit.queue`) moves them into the chain in batches, in queue order, under the chain
  lock. Concurrent requests then never wait for each other on the lock; the chain is at most
  one chainer round behind.

A transaction that rolls back writes none of its events in either way (its reads and changes
did not happen).

The application's database role may only INSERT and SELECT this table (`ncen.dbroles`), and a
trigger refuses UPDATE, DELETE and TRUNCATE even to the owner unless the owner disables it; what
the owner could still do is caught against signed checkpoints (`ncen.audit.checkpoints`). The
queue is only an outbox: the application may delete its rows (that is how they are moved), which
gives a compromised application nothing it did not have (it could always leave an event
unwritten); once chained, an event is as tamper-evident as any other.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, cast

from psycopg.types.json import Jsonb
from sqlalchemy import (
    BigInteger,
    DateTime,
    LargeBinary,
    String,
    Table,
    event,
    insert,
    select,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, Session, mapped_column

from ncen.accounts.actor import Actor
from ncen.db import Base, utcnow

# Arbitrary constant naming the audit-chain advisory lock (ASCII "AUDT").
CHAIN_LOCK = 0x41554454
GENESIS = b"\x00" * 32

# From this many events on, a transaction's events are written with COPY (bulk imports).
COPY_EVENTS = 200

_PENDING = "ncen.audit.pending"
_HOOKED = "ncen.audit.hooked"
# Session.info key: True makes the session append its events to `AuditQueued` at commit (see
# the module docstring); pass it to the session factory, ``sessionmaker(info={DEFERRED: True})``.
DEFERRED = "ncen.audit.deferred"


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


class AuditQueued(Base):
    """An event committed by a deferred session and not chained yet (the outbox of the chain).

    Same content as `AuditEvent`, no hashes. `ncen.audit.queue.chain_queued` deletes rows from
    here and inserts them, chained, into ``audit_events`` in one transaction.
    """

    __tablename__ = "audit_queue"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=True)
    occurred_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    actor_id: Mapped[uuid.UUID | None]
    actor_name: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(64))
    record_type: Mapped[str | None] = mapped_column(String(32))
    record_id: Mapped[str | None] = mapped_column(String(64))
    details: Mapped[dict[str, Any]] = mapped_column(JSONB, default=dict)


def content_hash(prev_hash: bytes, row: Mapping[Any, Any]) -> bytes:
    """SHA-256 of ``prev_hash`` and the canonical JSON of one event's content fields."""
    content = {
        # In UTC whatever the session's TimeZone: PostgreSQL returns timestamps in the
        # session's zone, and the hash must not depend on where it is recomputed.
        "occurred_at": row["occurred_at"].astimezone(UTC).isoformat(),
        "actor_id": str(row["actor_id"]) if row["actor_id"] else None,
        "actor_name": row["actor_name"],
        "action": row["action"],
        "record_type": row["record_type"],
        "record_id": row["record_id"],
        "details": row["details"],
    }
    canonical = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(prev_hash + canonical.encode("utf-8")).digest()


def _storable(value: Any) -> Any:
    """``value`` with what jsonb cannot store made storable: NUL characters (refused by
    PostgreSQL) and lone surrogates (not encodable as UTF-8) become U+FFFD, and anything that is
    not JSON becomes its text. An audit write must never fail on what a user typed."""
    if isinstance(value, str):
        if type(value) is str and value.isascii() and "\x00" not in value:
            return value  # most texts (ids, actions, codes): nothing to clean, no copy made
        cleaned = value.replace("\x00", "\ufffd")
        return cleaned.encode("utf-8", "replace").decode("utf-8")
    if isinstance(value, Mapping):
        return {str(_storable(k)): _storable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [_storable(v) for v in value]
    if value is None or isinstance(value, bool | int | float):
        return value
    return _storable(str(value))


@dataclass
class QueuedEvent:
    """An event queued by `record_event`: its content now, its ``id`` once it is written."""

    occurred_at: datetime
    actor_id: uuid.UUID | None
    actor_name: str
    action: str
    record_type: str | None
    record_id: str | None
    details: dict[str, Any]
    id: int | None = None

    def content(self) -> dict[str, Any]:
        """The content fields, as `content_hash` and the table take them."""
        return {
            "occurred_at": self.occurred_at,
            "actor_id": self.actor_id,
            "actor_name": self.actor_name,
            "action": self.action,
            "record_type": self.record_type,
            "record_id": self.record_id,
            "details": self.details,
        }


def record_event(
    session: Session,
    actor: Actor,
    action: str,
    *,
    record_type: str | None = None,
    record_id: object = None,
    details: Mapping[str, Any] | None = None,
) -> QueuedEvent:
    """Queue one event; it is written when the session's transaction commits.

    ``details`` should be JSON-serialisable (anything else is stored as text; NUL characters are
    replaced). Returns the queued event, whose ``id`` (its id in ``audit_events``) is set when it
    is chained: at commit, or by `flush_events`; a deferred session's events get theirs from the
    chainer, later, and keep ``None`` here. Side effect: at commit, the chain lock is taken once
    for all the transaction's events, unless the session is deferred (no lock at all).
    """
    queued = QueuedEvent(
        occurred_at=utcnow(),
        actor_id=actor.user_id,
        actor_name=_storable(actor.username[:64]),
        action=action,
        record_type=record_type,
        record_id=None if record_id is None else _storable(str(record_id))[:64],
        details=_storable(dict(details or {})),
    )
    pending: list[QueuedEvent] = session.info.setdefault(_PENDING, [])
    pending.append(queued)
    if not session.info.get(_HOOKED):
        # Per session, not per class: nothing is configured at import time, and sessions that
        # never audit pay nothing.
        event.listen(session, "before_commit", _chain_pending)
        event.listen(session, "after_soft_rollback", _drop_pending_soft)
        session.info[_HOOKED] = True
    return queued


def flush_events(session: Session) -> int:
    """Chain and insert the queued events now (inside the caller's transaction); return how many.

    For the rare caller that must read its own events back before committing (tests, an account
    alert naming its event). Takes the chain lock until the transaction ends, deferred session
    or not.
    """
    return _write_pending(session, chain=True)


def pending_mark(session: Session) -> int:
    """How many events are queued now; pass it to `drop_pending_since` when the SAVEPOINT
    begun at this moment is rolled back."""
    return len(session.info.get(_PENDING) or [])


def drop_pending_since(session: Session, mark: int) -> None:
    """Forget the events queued since `pending_mark` returned ``mark``: their SAVEPOINT was
    rolled back (e.g. a refused import row), so what they describe never happened."""
    pending: list[QueuedEvent] = session.info.get(_PENDING) or []
    del pending[mark:]


def _chain_pending(session: Session) -> None:
    # SQLAlchemy also calls before_commit when a SAVEPOINT is released; writing then would take
    # the chain lock until the *outer* transaction ends (a bulk import would stall every
    # audited page). Events wait for the root commit.
    if session.in_nested_transaction():
        return
    _write_pending(session, chain=not session.info.get(DEFERRED, False))


def _write_pending(session: Session, *, chain: bool) -> int:
    pending: list[QueuedEvent] = session.info.get(_PENDING) or []
    if not pending:
        return 0
    session.info[_PENDING] = []
    contents = [queued.content() for queued in pending]
    if not chain:
        # No lock, no read of the chain head: one INSERT, ordered by the queue's ids. On the
        # session's connection (its transaction): a plain Core INSERT of the table, about
        # 65 us of CPU less than the ORM's bulk insert for every audited read.
        session.connection().execute(insert(cast(Table, AuditQueued.__table__)), contents)
        return len(contents)
    ids = append_chained(session, contents)
    for queued, new_id in zip(pending, ids, strict=True):
        queued.id = new_id
    return len(ids)


def take_chain_lock(session: Session) -> None:
    """Wait for the chain's advisory lock; it is held until the caller's transaction ends."""
    session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": CHAIN_LOCK})


def append_chained(session: Session, contents: list[dict[str, Any]]) -> list[int]:
    """Chain ``contents`` (event content fields, in order) after the last event and insert them;
    return their new ids. Takes the chain lock until the caller's transaction ends."""
    take_chain_lock(session)
    last = session.execute(
        select(AuditEvent.hash).order_by(AuditEvent.id.desc()).limit(1)
    ).scalar_one_or_none()
    prev = last if last is not None else GENESIS
    rows = []
    for content in contents:
        digest = content_hash(prev, content)
        rows.append({**content, "prev_hash": prev, "hash": digest})
        prev = digest
    if len(rows) >= COPY_EVENTS:
        return _copy_rows(session, rows)
    return list(
        session.scalars(
            insert(AuditEvent).returning(AuditEvent.id, sort_by_parameter_order=True), rows
        ).all()
    )


def _copy_rows(session: Session, rows: list[dict[str, Any]]) -> list[int]:
    """Write a large batch (a bulk import's events) with COPY: ids are drawn from the table's
    sequence first, in chain order, while the chain lock is held."""
    ids = list(
        session.execute(
            text(
                "SELECT nextval(pg_get_serial_sequence('audit_events', 'id')) "
                "FROM generate_series(1, :n) ORDER BY 1"
            ),
            {"n": len(rows)},
        ).scalars()
    )
    raw: Any = session.connection().connection.driver_connection
    columns = ("id", *(c for c in rows[0] if c != "id"))
    statement = f"COPY audit_events ({', '.join(columns)}) FROM STDIN"
    with raw.cursor() as cursor, cursor.copy(statement) as copy:
        for new_id, row in zip(ids, rows, strict=True):
            values = {**row, "id": new_id, "details": Jsonb(row["details"])}
            copy.write_row([values[c] for c in columns])
    return ids


def _drop_pending_soft(session: Session, _previous_transaction: object) -> None:
    if not session.in_transaction():
        session.info[_PENDING] = []

"""Record history: one row per version of a record, with a field-level diff and a snapshot.

Services call `record_version` after each change, with the record's snapshot before and after
(plain JSON-serialisable dicts, made by each domain's ``snapshot()``). The diff lists each field
that changed as ``[old, new]``; nested lists (names, items, links) are compared as wholes.
"""

from __future__ import annotations

import enum
import uuid
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, DateTime, Integer, String, select
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, Session, mapped_column

from ncen.accounts.actor import Actor
from ncen.db import Base, enum_column, utcnow


class ChangeKind(enum.StrEnum):
    """What happened to the record in this version."""

    CREATE = "create"
    UPDATE = "update"
    DELETE = "delete"
    RESTORE = "restore"
    LINK = "link"
    UNLINK = "unlink"
    STATUS = "status"


class RecordVersion(Base):
    """One version of one record."""

    __tablename__ = "record_versions"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=True)
    record_type: Mapped[str] = mapped_column(String(32))
    record_id: Mapped[uuid.UUID] = mapped_column(index=True)
    version: Mapped[int] = mapped_column(Integer)
    kind: Mapped[ChangeKind] = mapped_column(enum_column(ChangeKind, 16))
    changed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    changed_by_id: Mapped[uuid.UUID | None] = mapped_column()
    changed_by_name: Mapped[str] = mapped_column(String(64))
    changes: Mapped[dict[str, Any]] = mapped_column(JSONB, default=dict)
    snapshot: Mapped[dict[str, Any]] = mapped_column(JSONB, default=dict)


def diff(before: Mapping[str, Any], after: Mapping[str, Any]) -> dict[str, list[Any]]:
    """Field-level differences: ``{field: [old, new]}`` for every field whose value changed."""
    if not before:  # a creation (bulk imports make millions): every field given is new
        return {f: [None, after[f]] for f in sorted(after) if after[f] is not None}
    fields = sorted(set(before) | set(after))
    return {f: [before.get(f), after.get(f)] for f in fields if before.get(f) != after.get(f)}


def record_version(
    session: Session,
    actor: Actor,
    *,
    record_type: str,
    record_id: uuid.UUID,
    version: int,
    kind: ChangeKind,
    before: Mapping[str, Any] | None,
    after: Mapping[str, Any],
) -> RecordVersion:
    """Write the history row for ``version`` of a record. Returns it (flushed)."""
    row = RecordVersion(
        record_type=record_type,
        record_id=record_id,
        version=version,
        kind=kind,
        changed_by_id=actor.user_id,
        changed_by_name=actor.username[:64],
        changes=diff(before or {}, after),
        snapshot=dict(after),
    )
    session.add(row)
    session.flush()
    return row


def list_versions(session: Session, record_type: str, record_id: uuid.UUID) -> list[RecordVersion]:
    """Every version of a record, oldest first."""
    stmt = (
        select(RecordVersion)
        .where(RecordVersion.record_type == record_type, RecordVersion.record_id == record_id)
        .order_by(RecordVersion.id)
    )
    return list(session.execute(stmt).scalars())

"""Tables of the merge feature: the decision ledger and the merges themselves.

A `MergeDecision` is one line of the ledger: who judged which pair of records, when, at what
score and on which evidence. A `Merge` holds everything needed to undo a merge exactly: both
records' snapshots, the links moved to the survivor and the links that had to be dropped
because the survivor already had them. An active merge (``unmerged_at`` NULL) is the
"merged into" pointer of the merged record; at most one exists per merged record.
"""

from __future__ import annotations

import enum
import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import DateTime, Float, ForeignKey, Index, String, text
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from ncen.db import Base, UUIDPrimaryKey, enum_column, utcnow


class Decision(enum.StrEnum):
    """What was decided about a pair of records."""

    SAME = "same"
    NOT_SAME = "not_same"
    MERGED = "merged"
    UNMERGED = "unmerged"


class MergeDecision(UUIDPrimaryKey, Base):
    """One decision about a pair; ``record_a_id`` < ``record_b_id`` so a pair has one key."""

    __tablename__ = "merge_decisions"
    __table_args__ = (Index(None, "record_type", "record_a_id", "record_b_id"),)

    record_type: Mapped[str] = mapped_column(String(16))
    record_a_id: Mapped[uuid.UUID] = mapped_column()
    record_b_id: Mapped[uuid.UUID] = mapped_column()
    decision: Mapped[Decision] = mapped_column(enum_column(Decision, 16))
    score: Mapped[float | None] = mapped_column(Float)
    evidence: Mapped[dict[str, Any]] = mapped_column(JSONB, default=dict)
    decided_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    decided_by_name: Mapped[str] = mapped_column(String(64))
    decided_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Merge(UUIDPrimaryKey, Base):
    """A merge of ``merged_id`` into ``survivor_id``, with what it takes to undo it."""

    __tablename__ = "merges"
    __table_args__ = (
        Index(
            "uq_merges_active_merged_id",
            "merged_id",
            unique=True,
            postgresql_where=text("unmerged_at IS NULL"),
        ),
    )

    record_type: Mapped[str] = mapped_column(String(16))
    survivor_id: Mapped[uuid.UUID] = mapped_column(index=True)
    merged_id: Mapped[uuid.UUID] = mapped_column()
    survivor_snapshot: Mapped[dict[str, Any]] = mapped_column(JSONB)
    merged_snapshot: Mapped[dict[str, Any]] = mapped_column(JSONB)
    # [{"table": ..., "id": ..., "column": ...}]: links re-pointed from merged to survivor.
    moved_links: Mapped[list[dict[str, Any]]] = mapped_column(JSONB)
    # [{"table": ..., "row": {...}}]: links of the merged record the survivor already had.
    dropped_links: Mapped[list[dict[str, Any]]] = mapped_column(JSONB)
    score: Mapped[float | None] = mapped_column(Float)
    merged_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    merged_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    unmerged_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    unmerged_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class DuplicatePair(Base):
    """A stored duplicate candidate (`ncen.merging.queue`): the pair (``record_a_id`` <
    ``record_b_id``), its duplicate score and evidence when it was last computed."""

    __tablename__ = "duplicate_pairs"
    __table_args__ = (Index("ix_duplicate_pairs_record_type_score", "record_type", "score"),)

    record_type: Mapped[str] = mapped_column(String(16), primary_key=True)
    record_a_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    record_b_id: Mapped[uuid.UUID] = mapped_column(primary_key=True, index=True)
    score: Mapped[float] = mapped_column(Float)
    name_score: Mapped[float] = mapped_column(Float)
    # [{"code": ..., "delta": ..., "detail": ...}] (`ncen.merging.evidence.Evidence.as_dict`)
    evidence: Mapped[list[dict[str, Any]]] = mapped_column(JSONB, default=list)
    computed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class DuplicateScan(Base):
    """How far the duplicate scan of a record type has got: the (updated_at, id) of the last
    record it examined, in the order records change."""

    __tablename__ = "duplicate_scans"

    record_type: Mapped[str] = mapped_column(String(16), primary_key=True)
    scanned_until: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    scanned_until_id: Mapped[uuid.UUID] = mapped_column()
    scanned_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

"""The retention ledger: every keep and delete decision of a review, kept without nominal content.

A ``delete`` row is the *tombstone* of a record whose content a review removed: record type,
id, reference (a seizure's reference number; for a received record its origin node and id),
handling code, the review date it had, who decided, when, and why. It holds no name, document,
address or free text of the record, so it may be kept as long as the audit trail. A ``keep``
row records the reason and the new review date, shown to the next reviewer. Migration ``0014``
creates the table; the application only inserts and reads it.
"""

from __future__ import annotations

import enum
import uuid
from datetime import date, datetime

from sqlalchemy import Date, DateTime, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from ncen.db import Base, UUIDPrimaryKey, enum_column, utcnow
from ncen.retention.policy import MAX_REASON


class Decision(enum.StrEnum):
    """What a review decided."""

    KEEP = "keep"
    DELETE = "delete"


class RetentionDecision(UUIDPrimaryKey, Base):
    """One review decision; the ``delete`` ones are the tombstones (see the module docstring)."""

    __tablename__ = "retention_decisions"
    __table_args__ = (Index(None, "record_id", "decision"),)

    record_type: Mapped[str] = mapped_column(String(16))
    record_id: Mapped[uuid.UUID] = mapped_column()
    decision: Mapped[Decision] = mapped_column(enum_column(Decision, 8))
    # A seizure's reference, or "<origin node>/<origin id>" for a received record; else NULL.
    reference: Mapped[str | None] = mapped_column(String(200))
    handling_code: Mapped[str] = mapped_column(String(2))
    review_due: Mapped[date | None] = mapped_column(Date)  # the date that brought it up
    new_review_due: Mapped[date | None] = mapped_column(Date)  # keep: the date chosen
    reason: Mapped[str] = mapped_column(String(MAX_REASON))
    decided_by_id: Mapped[uuid.UUID | None] = mapped_column()
    decided_by_name: Mapped[str] = mapped_column(String(64))
    decided_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, index=True
    )

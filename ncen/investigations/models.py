"""Tables of investigations (case files): the case, its team, its items, tasks, notes and history.

A case groups records through generic *items* (``record_type`` + ``record_id``): the kinds are
the `ItemType` enumeration, stored by value behind a CHECK constraint
(``ck_investigation_items_itemtype``), so that a new kind (a targeting hit) is one
migration that rewrites that constraint. The history (`InvestigationEvent`) says who did what,
and when, in the case's own words; the audit trail records the same acts as audit events.
"""

from __future__ import annotations

import enum
import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    Sequence,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from ncen.db import Base, Timestamps, UUIDPrimaryKey, enum_column, utcnow

# Internal case numbers come from one sequence and are never shown: a reader would see the gaps
# left by restricted cases. References are random (`ncen.investigations.services.new_reference`).
CASE_NUMBERS = Sequence("investigation_numbers")
MAX_TITLE = 200
MAX_SUMMARY = 5000


class CaseStatus(enum.StrEnum):
    """Where a case stands (see `ncen.investigations.workflow` for the allowed moves)."""

    OPENED = "opened"
    ACTIVE = "active"
    SUSPENDED = "suspended"
    CLOSED = "closed"


class ItemType(enum.StrEnum):
    """The kinds of record a case can hold. Adding one (``hit``) needs a migration that
    rewrites the CHECK constraint, and an entry in `ncen.investigations.items.MODELS`."""

    SEIZURE = "seizure"
    PERSON = "person"
    COMPANY = "company"
    CONVEYANCE = "conveyance"
    PICTURE = "picture"
    HIT = "hit"  # a targeting hit (migration 0036)


class NoteKind(enum.StrEnum):
    """A note on the file, or a message to the case's officers (its communications)."""

    NOTE = "note"
    MESSAGE = "message"


class Investigation(UUIDPrimaryKey, Timestamps, Base):
    """One case file. ``version`` guards every change to the case itself (details, lead,
    status); items, tasks and notes are rows of their own and do not move it."""

    __tablename__ = "investigations"

    number: Mapped[int] = mapped_column(
        Integer, CASE_NUMBERS, server_default=CASE_NUMBERS.next_value(), unique=True
    )
    reference: Mapped[str] = mapped_column(String(32), unique=True)
    title: Mapped[str] = mapped_column(String(MAX_TITLE))
    summary: Mapped[str | None] = mapped_column(Text)
    status: Mapped[CaseStatus] = mapped_column(
        enum_column(CaseStatus, 16), default=CaseStatus.OPENED, index=True
    )
    # Need to know: only the team and supervisors learn that a restricted case exists.
    restricted: Mapped[bool] = mapped_column(Boolean, default=False)
    lead_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"), index=True)
    opened_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    # Where the case came from: manual, chart, record, hit (and the chart's or hit's id).
    source: Mapped[str] = mapped_column(String(16), default="manual")
    source_ref: Mapped[str | None] = mapped_column(String(64))
    status_reason: Mapped[str | None] = mapped_column(Text)
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)

    # The services set the version once per change (see `ncen.investigations.services`).
    __mapper_args__ = {"version_id_col": version, "version_id_generator": False}  # noqa: RUF012


class InvestigationMember(Base):
    """An officer assigned to a case (the lead is `Investigation.lead_id`, not a member row)."""

    __tablename__ = "investigation_members"

    investigation_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("investigations.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"), primary_key=True, index=True)
    added_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    added_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class InvestigationItem(UUIDPrimaryKey, Base):
    """A record on the case file: its kind and id, who added it, when, and why (``note``)."""

    __tablename__ = "investigation_items"
    __table_args__ = (
        UniqueConstraint("investigation_id", "record_type", "record_id"),
        Index(None, "record_type", "record_id"),
    )

    investigation_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("investigations.id", ondelete="CASCADE")
    )
    record_type: Mapped[ItemType] = mapped_column(enum_column(ItemType, 16))
    record_id: Mapped[uuid.UUID] = mapped_column()
    note: Mapped[str | None] = mapped_column(Text)
    added_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    added_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class InvestigationTask(UUIDPrimaryKey, Base):
    """Something to do on the case, by someone, by a date; done or not."""

    __tablename__ = "investigation_tasks"
    __table_args__ = (Index(None, "assignee_id", "done_at"),)

    investigation_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("investigations.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str] = mapped_column(String(300))
    assignee_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    due_on: Mapped[date | None] = mapped_column(Date)
    done_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    done_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    created_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)

    __mapper_args__ = {"version_id_col": version, "version_id_generator": False}  # noqa: RUF012


class InvestigationNote(UUIDPrimaryKey, Base):
    """A note on the file or a message to the team (``addressee_id``: one officer, or NULL for
    the whole team). Notes are never edited: the file keeps what was written."""

    __tablename__ = "investigation_notes"

    investigation_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("investigations.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[NoteKind] = mapped_column(enum_column(NoteKind, 16))
    body: Mapped[str] = mapped_column(Text)
    author_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    addressee_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class InvestigationEvent(UUIDPrimaryKey, Base):
    """One entry of a case's history: who did what (``action``, with ``details``), and when."""

    __tablename__ = "investigation_events"

    investigation_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("investigations.id", ondelete="CASCADE"), index=True
    )
    actor_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    actor_name: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(32))
    details: Mapped[dict[str, Any]] = mapped_column(JSONB, default=dict)
    occurred_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

"""Tables of watch-lists: what each user watches, and the alerts raised for them."""

from __future__ import annotations

import enum
import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import DateTime, Float, ForeignKey, Index, String
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from ncen.db import Base, UUIDPrimaryKey, enum_column, utcnow


class WatchKind(enum.StrEnum):
    """What a watch looks at."""

    RECORD = "record"  # any change of one record
    NAME = "name"  # a person or company whose name matches, at or above the threshold
    IDENTIFIER = "identifier"  # a record carrying the identifier


class Watch(UUIDPrimaryKey, Base):
    """One entry of a user's watch-list.

    ``record_type``/``record_id`` are set for a record watch; ``value`` holds the name or the
    identifier as typed, and ``keys`` the identifier's stored forms (`identifier_keys`).
    """

    __tablename__ = "watches"

    owner_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[WatchKind] = mapped_column(enum_column(WatchKind, 16))
    record_type: Mapped[str | None] = mapped_column(String(16))
    record_id: Mapped[uuid.UUID | None] = mapped_column(index=True)
    value: Mapped[str | None] = mapped_column(String(300))
    keys: Mapped[list[str]] = mapped_column(JSONB, default=list)
    threshold: Mapped[float | None] = mapped_column(Float)
    label: Mapped[str] = mapped_column(String(300))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Alert(UUIDPrimaryKey, Base):
    """A match of a watch: the record, the score, the explanation, and whether it was read."""

    __tablename__ = "alerts"
    __table_args__ = (Index(None, "owner_id", "read_at"),)

    watch_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("watches.id", ondelete="CASCADE"), index=True
    )
    owner_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    record_type: Mapped[str] = mapped_column(String(16))
    record_id: Mapped[uuid.UUID] = mapped_column()
    event: Mapped[str] = mapped_column(String(32))  # create, update, import, demo, saved_search
    score: Mapped[float | None] = mapped_column(Float)
    explanation: Mapped[dict[str, Any]] = mapped_column(JSONB, default=dict)
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, index=True
    )
    read_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

"""Tables of targeting: risk profiles and their versions, lookup lists, and hits.

A profile's criteria live in its versions (the expression text, immutable once written); the
profile row holds what changes without a new version (status, dates, lane, score). A hit is one
match of one profile version on one seizure, unique on that pair, so that re-evaluating the same
record never raises the same hit twice.
"""

from __future__ import annotations

import enum
import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import Date, DateTime, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ncen.db import Base, Timestamps, UUIDPrimaryKey, enum_column, utcnow


class ProfileStatus(enum.StrEnum):
    """Where a profile is in its life. ``expired`` is also *computed*: an active profile past
    its end date is treated as expired by every reader (`ncen.targeting.profiles.effective`)."""

    DRAFT = "draft"
    ACTIVE = "active"
    SUSPENDED = "suspended"
    EXPIRED = "expired"


class Lane(enum.StrEnum):
    """The priority of a profile's hits in the queue."""

    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"


class HitStatus(enum.StrEnum):
    """Triage outcome of a hit."""

    NEW = "new"
    CONFIRMED = "confirmed"
    DISMISSED = "dismissed"


class ListKind(enum.StrEnum):
    """What a lookup list holds (values are normalised per kind, `ncen.targeting.lookup`)."""

    COMPANY = "company"  # registration or tax numbers
    DOCUMENT = "document"  # identity document numbers
    PLATE = "plate"
    CONTAINER = "container"
    BL_PREFIX = "bl_prefix"  # bill of lading prefixes (the carrier's SCAC and more)


class RiskProfile(UUIDPrimaryKey, Timestamps, Base):
    """A risk profile; its criteria are in `current_version`."""

    __tablename__ = "risk_profiles"
    # updated_at: the latest change is read before every evaluation (`ncen.targeting.evaluation`).
    __table_args__ = (Index(None, "status", "ends_on"), Index(None, "updated_at"))

    name: Mapped[str] = mapped_column(String(200), unique=True)
    purpose: Mapped[str] = mapped_column(Text, default="")
    owner_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"), index=True)
    status: Mapped[ProfileStatus] = mapped_column(
        enum_column(ProfileStatus, 16), default=ProfileStatus.DRAFT
    )
    lane: Mapped[Lane] = mapped_column(enum_column(Lane, 8), default=Lane.MEDIUM)
    score: Mapped[int] = mapped_column(Integer, default=50)
    starts_on: Mapped[date | None] = mapped_column(Date)
    ends_on: Mapped[date | None] = mapped_column(Date)
    review_on: Mapped[date | None] = mapped_column(Date)
    current_version_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("risk_profile_versions.id", use_alter=True, ondelete="SET NULL")
    )
    version: Mapped[int] = mapped_column(Integer, default=1)

    versions: Mapped[list[RiskProfileVersion]] = relationship(
        foreign_keys="RiskProfileVersion.profile_id",
        order_by="RiskProfileVersion.number",
        cascade="all, delete-orphan",
        back_populates="profile",
    )
    current_version: Mapped[RiskProfileVersion | None] = relationship(
        foreign_keys=[current_version_id], post_update=True
    )


class RiskProfileVersion(UUIDPrimaryKey, Base):
    """One version of a profile's criteria: the expression as written, never changed later."""

    __tablename__ = "risk_profile_versions"
    __table_args__ = (UniqueConstraint("profile_id", "number"),)

    profile_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("risk_profiles.id", ondelete="CASCADE"), index=True
    )
    number: Mapped[int] = mapped_column(Integer)
    expression: Mapped[str] = mapped_column(Text)
    note: Mapped[str] = mapped_column(Text, default="")
    created_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    # The last back-test of this version: counts, share, when (JSON, for the versions page).
    backtest: Mapped[dict[str, Any]] = mapped_column(JSONB, default=dict)

    profile: Mapped[RiskProfile] = relationship(
        foreign_keys=[profile_id], back_populates="versions"
    )


class LookupList(UUIDPrimaryKey, Timestamps, Base):
    """A list of values an analyst maintains, named in expressions as ``lookup("name")``."""

    __tablename__ = "targeting_lists"
    __table_args__ = (Index(None, "updated_at"),)

    name: Mapped[str] = mapped_column(String(64), unique=True)
    kind: Mapped[ListKind] = mapped_column(enum_column(ListKind, 16))
    description: Mapped[str] = mapped_column(Text, default="")
    owner_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"))

    entries: Mapped[list[LookupEntry]] = relationship(
        cascade="all, delete-orphan", order_by="LookupEntry.value"
    )


class LookupEntry(UUIDPrimaryKey, Base):
    """One normalised value of a lookup list."""

    __tablename__ = "targeting_list_entries"
    __table_args__ = (UniqueConstraint("list_id", "value"),)

    list_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("targeting_lists.id", ondelete="CASCADE"), index=True
    )
    value: Mapped[str] = mapped_column(String(64))
    note: Mapped[str] = mapped_column(String(300), default="")


class Hit(UUIDPrimaryKey, Base):
    """A match of one profile version on one seizure, explained, and its triage."""

    __tablename__ = "targeting_hits"
    __table_args__ = (
        UniqueConstraint("profile_version_id", "seizure_id"),
        Index(None, "status", "created_at"),
        Index(None, "profile_id", "created_at"),
    )

    profile_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("risk_profiles.id", ondelete="CASCADE")
    )
    profile_version_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("risk_profile_versions.id", ondelete="CASCADE")
    )
    seizure_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("seizures.id", ondelete="CASCADE"), index=True
    )
    seizure_version: Mapped[int] = mapped_column(Integer)
    # What triggered the evaluation: the record written (a seizure, or a person, company or
    # conveyance linked to it) and how (create, update, link, import, bulk_import).
    trigger_type: Mapped[str] = mapped_column(String(16))
    event: Mapped[str] = mapped_column(String(16))
    score: Mapped[int] = mapped_column(Integer)
    lane: Mapped[Lane] = mapped_column(enum_column(Lane, 8))
    explanation: Mapped[list[dict[str, Any]]] = mapped_column(JSONB, default=list)
    status: Mapped[HitStatus] = mapped_column(enum_column(HitStatus, 16), default=HitStatus.NEW)
    reason: Mapped[str] = mapped_column(Text, default="")
    assigned_to_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"), index=True)
    decided_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

"""Tables of shared risk profiles: what this node sent, what it received, and the feedback.

- `ProfileShare`: one profile version sent to one peer (the originator's side); feedback is
  accepted only from a peer that was sent the profile.
- `ForeignProfile`: a profile received from a peer, read-only, with its origin (node, profile
  id, version) and handling code; adopting it makes a local draft (`adopted_profile_id`), which
  is the adopted profile's provenance.
- `ProfileFeedback`: the latest hit counts a peer returned for a profile we sent (one row per
  peer and version, replaced by each newer report).

They sit on `ncen.db.Base` like the other exchange tables; migration ``0036`` creates them.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import Date, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ncen.db import Base, UUIDPrimaryKey, utcnow


class ProfileShare(UUIDPrimaryKey, Base):
    """A version of a national profile sent to a peer."""

    __tablename__ = "profile_shares"

    profile_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("risk_profiles.id", ondelete="CASCADE"), index=True
    )
    version_number: Mapped[int] = mapped_column(Integer)
    peer_node_id: Mapped[str] = mapped_column(String(64))
    bundle_id: Mapped[uuid.UUID]
    handling_code: Mapped[str] = mapped_column(String(2))
    sent_by: Mapped[str] = mapped_column(String(64))
    sent_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class ForeignProfile(UUIDPrimaryKey, Base):
    """A profile received from a peer (one row per origin profile version)."""

    __tablename__ = "foreign_profiles"
    __table_args__ = (UniqueConstraint("origin_node", "origin_profile_id", "origin_version"),)

    origin_node: Mapped[str] = mapped_column(String(64))
    origin_profile_id: Mapped[uuid.UUID]
    origin_version: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(200))
    purpose: Mapped[str] = mapped_column(Text, default="")
    expression: Mapped[str] = mapped_column(Text)
    lane: Mapped[str] = mapped_column(String(8))
    score: Mapped[int] = mapped_column(Integer)
    starts_on: Mapped[date | None] = mapped_column(Date)
    ends_on: Mapped[date | None] = mapped_column(Date)
    handling_code: Mapped[str] = mapped_column(String(2))
    bundle_id: Mapped[uuid.UUID]
    received_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    adopted_profile_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("risk_profiles.id", ondelete="SET NULL"), unique=True
    )
    adopted_by: Mapped[str | None] = mapped_column(String(64))
    adopted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    feedback_sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class ProfileFeedback(UUIDPrimaryKey, Base):
    """The hit counts a peer reported for a profile version this node sent it."""

    __tablename__ = "profile_feedback"
    __table_args__ = (UniqueConstraint("profile_id", "peer_node_id", "version_number"),)

    profile_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("risk_profiles.id", ondelete="CASCADE"), index=True
    )
    peer_node_id: Mapped[str] = mapped_column(String(64))
    version_number: Mapped[int] = mapped_column(Integer)
    hits: Mapped[int] = mapped_column(Integer)
    confirmed: Mapped[int] = mapped_column(Integer)
    dismissed: Mapped[int] = mapped_column(Integer)
    reported_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    bundle_id: Mapped[uuid.UUID]
    received_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

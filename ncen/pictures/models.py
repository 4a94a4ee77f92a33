"""Picture metadata and its links to records. The files live in the content-addressed store."""

from __future__ import annotations

import uuid

from sqlalchemy import BigInteger, CheckConstraint, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ncen.db import Base, Timestamps, UUIDPrimaryKey


class Picture(UUIDPrimaryKey, Timestamps, Base):
    """One uploaded picture. ``sha256`` names the sealed original in the store."""

    __tablename__ = "pictures"

    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    mime_type: Mapped[str] = mapped_column(String(32))
    width: Mapped[int] = mapped_column(Integer)
    height: Mapped[int] = mapped_column(Integer)
    size_bytes: Mapped[int] = mapped_column(BigInteger)
    # 64-bit perceptual (difference) hash as 16 hex digits, for near-duplicate lookup.
    phash: Mapped[str] = mapped_column(String(16), index=True)
    caption: Mapped[str | None] = mapped_column(Text)
    concealment_method: Mapped[str | None] = mapped_column(ForeignKey("concealment_methods.code"))
    uploaded_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))


class PictureLink(UUIDPrimaryKey, Base):
    """Attaches a picture to exactly one record."""

    __tablename__ = "picture_links"
    __table_args__ = (
        CheckConstraint(
            "num_nonnulls(seizure_id, person_id, company_id, conveyance_id) = 1",
            name="exactly_one_record",
        ),
    )

    picture_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("pictures.id", ondelete="CASCADE"), index=True
    )
    seizure_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("seizures.id", ondelete="CASCADE"), index=True
    )
    person_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("persons.id", ondelete="CASCADE"), index=True
    )
    company_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("companies.id", ondelete="CASCADE"), index=True
    )
    conveyance_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("conveyances.id", ondelete="CASCADE"), index=True
    )

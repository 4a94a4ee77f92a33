"""Picture metadata, its perceptual hashes and its links to records.

The files live in the content-addressed store; `PictureHash` holds the pHash and dHash in the
form the similarity index searches (`ncen.analysis.picture_index`)."""

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


# One CHECK per chunk: the chunk columns can never disagree with the hash they index.
_CHUNK_CHECKS = " AND ".join(
    f"{kind}{i} = (({kind}hash >> {48 - 16 * i}) & 65535)" for kind in "pd" for i in range(4)
)


class PictureHash(Base):
    """The perceptual hashes of one picture, split for multi-index hashing.

    ``phash`` (DCT) and ``dhash`` (difference) are the 64-bit hashes as signed ``bigint``;
    ``p0..p3`` and ``d0..d3`` are their 16-bit chunks (most significant first), each with a
    B-tree index. By the pigeonhole principle two hashes within Hamming distance ``r`` agree
    to within ``r // 4`` bits on at least one chunk, so a search probes each chunk index with
    the few values near the query's chunk instead of scanning (see
    `ncen.analysis.picture_index`). A row exists once both hashes are known: written at
    upload, or by ``ncen pictures rehash`` for pictures stored before the hashes existed.
    """

    __tablename__ = "picture_hashes"
    __table_args__ = (CheckConstraint(_CHUNK_CHECKS, name="chunks_match_hashes"),)

    picture_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("pictures.id", ondelete="CASCADE"), primary_key=True
    )
    phash: Mapped[int] = mapped_column(BigInteger)
    dhash: Mapped[int] = mapped_column(BigInteger)
    p0: Mapped[int] = mapped_column(Integer, index=True)
    p1: Mapped[int] = mapped_column(Integer, index=True)
    p2: Mapped[int] = mapped_column(Integer, index=True)
    p3: Mapped[int] = mapped_column(Integer, index=True)
    d0: Mapped[int] = mapped_column(Integer, index=True)
    d1: Mapped[int] = mapped_column(Integer, index=True)
    d2: Mapped[int] = mapped_column(Integer, index=True)
    d3: Mapped[int] = mapped_column(Integer, index=True)

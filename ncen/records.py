"""What every record (seizure, person, company, conveyance) shares.

`RecordMixin` gives a UUID key, an optimistic-concurrency version, timestamps, soft deletion,
the creating user, a handling code, a retention review date (`ncen.retention.policy`), and
provenance: whether the record is national or was received from another node (origin node,
origin id and the bundle it came in). `Provenance` is
what an importer of received records passes to the ``import_foreign_*`` services.
"""

from __future__ import annotations

import enum
import uuid
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Date, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, declared_attr, mapped_column

from ncen.db import Timestamps, UUIDPrimaryKey, enum_column


class HandlingCode(enum.StrEnum):
    """SIENA-style handling codes that travel with a record."""

    H0 = "H0"  # law-enforcement use only
    H1 = "H1"  # not for judicial proceedings without the originator's consent
    H2 = "H2"  # no onward transmission without the originator's consent
    H3 = "H3"  # free-text restrictions (handling_restrictions), shown to every viewer


@dataclass(frozen=True)
class Provenance:
    """Where a foreign record comes from: the node that produced it, its id there, and the
    bundle it was received in. National records have none."""

    origin_node: str
    origin_id: str
    received_bundle_id: uuid.UUID
    # The originator's version of the record in this bundle (None when not known).
    origin_version: int | None = None

    def details(self) -> dict[str, str | int]:
        """The provenance as JSON, for audit event details."""
        details: dict[str, str | int] = {
            "origin_node": self.origin_node,
            "origin_id": self.origin_id,
            "received_bundle_id": str(self.received_bundle_id),
        }
        if self.origin_version is not None:
            details["origin_version"] = self.origin_version
        return details


class RecordMixin(UUIDPrimaryKey, Timestamps):
    """Columns of every top-level record. ``version`` is the optimistic-concurrency counter.

    Each service change increments it once; an UPDATE whose loaded version is no longer current
    fails with a stale-data error, and services also compare the version the user edited.
    """

    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)
    handling_code: Mapped[HandlingCode] = mapped_column(
        enum_column(HandlingCode, 2), default=HandlingCode.H0, server_default="H0"
    )
    handling_restrictions: Mapped[str | None] = mapped_column(Text)
    # Provenance. origin_node is NULL for national records.
    origin_node: Mapped[str | None] = mapped_column(String(64), index=True)
    origin_id: Mapped[str | None] = mapped_column(String(128))
    received_bundle_id: Mapped[uuid.UUID | None] = mapped_column()
    # The originator's version last applied here: an update is applied only if newer.
    origin_version: Mapped[int | None] = mapped_column(Integer)
    deleted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # When a supervisor must next review whether the record may still be kept (set at creation
    # by `ncen.recordkeeping.commit_change`); NULL once a retention review deleted it.
    review_due: Mapped[date | None] = mapped_column(Date, index=True)

    @declared_attr
    def created_by_id(cls) -> Mapped[uuid.UUID | None]:  # noqa: N805 - declared_attr takes cls
        return mapped_column(ForeignKey("users.id"))

    @declared_attr.directive
    def __mapper_args__(cls) -> dict[str, Any]:  # noqa: N805
        # The version is set by `ncen.recordkeeping.commit_change`, exactly once per change,
        # however many flushes the change takes; SQLAlchemy still guards every UPDATE with
        # "WHERE version = <loaded>" and raises if another transaction moved it.
        return {"version_id_col": cls.version, "version_id_generator": False}

    @property
    def is_foreign(self) -> bool:
        """True for a record received from another node."""
        return self.origin_node is not None

    def set_provenance(self, provenance: Provenance) -> None:
        """Mark a new record as received from ``provenance.origin_node``."""
        self.origin_node = provenance.origin_node
        self.origin_id = provenance.origin_id
        self.received_bundle_id = provenance.received_bundle_id
        self.origin_version = provenance.origin_version

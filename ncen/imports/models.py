"""What the upload wizard keeps between its steps: uploaded files and saved mappings.

An `ImportUpload` is one file a supervisor uploaded (kept in the database, not on disk, so that
every web worker sees it and a backup holds it), with the mapping last used on it and, once
imported, the result and the CSV report of refused rows. A big file's run waits in the queue
(``queued_at`` set) until the serving process's import runner takes it
(`ncen.imports.queue`); the runner's progress is an `ImportProgress` row. An `ImportMapping` is
a mapping a user saved under a name for the next file of the same kind. All belong to their
user.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import (
    DateTime,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    func,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from ncen.db import Base, UUIDPrimaryKey, utcnow

MAX_MAPPING_NAME = 100


class ImportUpload(UUIDPrimaryKey, Base):
    """One uploaded spreadsheet and what became of it."""

    __tablename__ = "import_uploads"

    owner_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    filename: Mapped[str] = mapped_column(String(255))
    record_type: Mapped[str] = mapped_column(String(16))
    content: Mapped[bytes] = mapped_column(LargeBinary)
    mapping: Mapped[str | None] = mapped_column(Text)
    # The ImportReport as JSON (counts, mode) once imported, and its CSV of refused rows.
    result: Mapped[dict[str, Any] | None] = mapped_column(JSONB)
    report_csv: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), default=utcnow
    )
    imported_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # A run waiting for the import runner: its options ({"mode", "dry_run"}) and since when.
    # Both are cleared in the transaction that stores the run's result, so a run is never
    # lost (a crash leaves it queued) nor done twice (its writes and the clearing commit
    # together).
    queued: Mapped[dict[str, Any] | None] = mapped_column(JSONB)
    queued_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), index=True)
    # Why the last queued run stopped without a result (an unreadable file, a revoked role).
    failure: Mapped[str | None] = mapped_column(Text)


class ImportProgress(Base):
    """How far the runner is with a queued upload: written in transactions of their own while
    the run's transaction holds the upload's row, so the wizard's page can show it. No foreign
    key: inserting a row that refers to the locked upload would wait for the run to end."""

    __tablename__ = "import_progress"

    upload_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    rows_done: Mapped[int] = mapped_column(Integer, default=0)
    rows_total: Mapped[int] = mapped_column(Integer, default=0)
    # Runs begun: a file that keeps killing the runner is given up after a few.
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class ImportMapping(UUIDPrimaryKey, Base):
    """A mapping saved by a user under a name."""

    __tablename__ = "import_mappings"
    __table_args__ = (UniqueConstraint("owner_id", "name"),)

    owner_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(MAX_MAPPING_NAME))
    record_type: Mapped[str] = mapped_column(String(16))
    body: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), default=utcnow, onupdate=utcnow
    )

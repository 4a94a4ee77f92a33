"""The ``api_tokens`` table: personal API tokens, stored as SHA-256 digests only.

A token reads ``ncen_<prefix>_<secret>``. ``prefix`` (12 random URL-safe characters) is stored in
clear and indexed so that a presented token is found with one lookup; ``secret_hash`` is the
SHA-256 of the whole token and is compared in constant time. The token itself is shown once,
at creation, and never stored: a stolen database gives no usable token (the secret has 256 bits
of entropy, so an unsalted fast hash is enough: there is nothing to brute-force).
"""

from __future__ import annotations

import enum
import uuid
from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from ncen.db import Base, UUIDPrimaryKey, enum_column, utcnow


class TokenScope(enum.StrEnum):
    """What a token may be used for, on top of its owner's roles (never beyond them)."""

    READ = "read"
    READ_WRITE = "read_write"


class ApiToken(UUIDPrimaryKey, Base):
    """One personal API token of one user."""

    __tablename__ = "api_tokens"

    user_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(100))
    prefix: Mapped[str] = mapped_column(String(16), unique=True)
    secret_hash: Mapped[str] = mapped_column(String(64))
    scope: Mapped[TokenScope] = mapped_column(enum_column(TokenScope, 16))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    last_used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

"""Users, their roles, and the alerts about accounts raised for auditors (tables only)."""

from __future__ import annotations

import enum
import uuid
from datetime import datetime

from sqlalchemy import BigInteger, Boolean, DateTime, ForeignKey, Index, Integer, String, true
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ncen.db import Base, Timestamps, UUIDPrimaryKey, enum_column, utcnow


class Role(enum.StrEnum):
    """The six roles of a node (see the policy module for what each may do).

    The administrator and the auditor oversee the node and read no nominal data; the policy
    refuses to combine them with a role that does, or with each other.
    """

    INVESTIGATOR = "investigator"
    ANALYST = "analyst"
    SUPERVISOR = "supervisor"
    EXCHANGE_OFFICER = "exchange_officer"
    ADMINISTRATOR = "administrator"
    AUDITOR = "auditor"


class User(UUIDPrimaryKey, Timestamps, Base):
    """A person who signs in to the node. Passwords are stored as argon2id hashes only."""

    __tablename__ = "users"

    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(254))
    password_hash: Mapped[str] = mapped_column(String(255))
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=False)
    active: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    locale: Mapped[str] = mapped_column(String(8), default="en", server_default="en")
    # The team (unit, office) the account works in, set by an administrator; the hits queue of
    # a team shows the hits of its members' profiles (`ncen.targeting.hits`). None: no team.
    team: Mapped[str | None] = mapped_column(String(64), index=True)
    # The second factor's secret, sealed with `ncen.secretbox` (``users.totp_secret`` + id as
    # associated data); a clear base32 value from before revision 0011 is sealed on first use.
    totp_secret: Mapped[str | None] = mapped_column(String(200))
    # A secret being enrolled (shown as a QR code, not yet proven by a code), sealed likewise:
    # kept here rather than in the session cookie, which is signed but not encrypted.
    totp_pending_secret: Mapped[str | None] = mapped_column(String(200))
    # The last TOTP time step (Unix time // 30) accepted: a code is never accepted twice.
    totp_last_step: Mapped[int | None] = mapped_column(BigInteger)
    failed_logins: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    locked_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    last_login_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    password_changed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    role_rows: Mapped[list[UserRole]] = relationship(cascade="all, delete-orphan", lazy="selectin")

    @property
    def roles(self) -> frozenset[Role]:
        """The user's roles."""
        return frozenset(r.role for r in self.role_rows)


class UserRole(Base):
    """One role held by one user; a user may hold several (e.g. supervisor + exchange officer)."""

    __tablename__ = "user_roles"

    user_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    role: Mapped[Role] = mapped_column(enum_column(Role), primary_key=True)


class SignInFailures(Base):
    """Failed sign-ins counted per address and per (account, address), shared by every server
    process and kept across restarts. See `ncen.accounts.throttle` for how they are used.

    ``scope`` is ``address`` (``key``: the client address, whatever the account) or ``account``
    (``key``: ``<user id>|<address>``). ``failures`` counts within the window that began at
    ``first_failed_at``; ``last_failed_at`` is the latest failure.
    """

    __tablename__ = "sign_in_failures"

    scope: Mapped[str] = mapped_column(String(16), primary_key=True)
    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer)
    first_failed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    last_failed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)


class AccountAlert(UUIDPrimaryKey, Base):
    """An account was given access to nominal data (created, reset or granted such roles).

    Raised for the auditors, the second pair of eyes on the administrators: any auditor may
    acknowledge it once it is explained. ``audit_event_id`` points at the audit event of the act.
    """

    __tablename__ = "account_alerts"
    __table_args__ = (Index(None, "acknowledged_at", "created_at"),)

    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    action: Mapped[str] = mapped_column(String(32))  # the audit action: user.create, user.roles...
    user_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    username: Mapped[str] = mapped_column(String(64))
    roles: Mapped[list[str]] = mapped_column(JSONB, default=list)  # nominal roles concerned
    actor_id: Mapped[uuid.UUID | None] = mapped_column()  # None: the node (command line)
    actor_name: Mapped[str] = mapped_column(String(64))
    audit_event_id: Mapped[int] = mapped_column(BigInteger)
    acknowledged_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    acknowledged_by_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )

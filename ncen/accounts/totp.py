"""Time-based one-time passwords (RFC 6238) as the second sign-in factor.

Administrators, auditors and exchange officers must use one (`totp_required`); others may. A
user enrols by scanning a provisioning URI into an authenticator app and proving one code; only
then is the secret stored. Codes are 6 digits, 30-second steps, one step of clock drift accepted
either way.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import datetime

import pyotp
from sqlalchemy.orm import Session

from ncen.accounts.actor import Actor
from ncen.accounts.alerts import raise_if_nominal
from ncen.accounts.models import Role, User
from ncen.audit import record_event
from ncen.errors import NotFoundError, ValidationError
from ncen.policy import Action, require

TOTP_REQUIRED_ROLES = frozenset({Role.ADMINISTRATOR, Role.AUDITOR, Role.EXCHANGE_OFFICER})


def totp_required(roles: Iterable[Role]) -> bool:
    """True if a user holding ``roles`` must sign in with a second factor."""
    return bool(TOTP_REQUIRED_ROLES & frozenset(roles))


def new_secret() -> str:
    """A fresh random base32 secret (160 bits)."""
    return pyotp.random_base32()


def provisioning_uri(secret: str, username: str, issuer: str) -> str:
    """The ``otpauth://`` URI an authenticator app scans (shown as a QR code)."""
    return pyotp.TOTP(secret).provisioning_uri(name=username, issuer_name=issuer)


def verify_code(secret: str, code: str, *, at: datetime | None = None) -> bool:
    """True if ``code`` (spaces ignored) is valid for ``secret`` now (or ``at``)."""
    digits = "".join(code.split())
    if len(digits) != 6 or not digits.isdigit():
        return False
    return pyotp.TOTP(secret).verify(digits, for_time=at, valid_window=1)


def enrol_totp(session: Session, user: User, *, secret: str, code: str) -> None:
    """Store ``secret`` as ``user``'s second factor once ``code`` proves the app has it.

    Raises `ValidationError` on ``code``. Side effect: an audit event (never the secret).
    """
    if not verify_code(secret, code):
        raise ValidationError({"code": "is not correct"})
    user.totp_secret = secret
    session.flush()
    record_event(
        session,
        Actor.of(user),
        "user.totp_enrol",
        record_type="user",
        record_id=user.id,
        details={"username": user.username},
    )


def reset_totp(session: Session, actor: Actor, user_id: uuid.UUID) -> User:
    """Remove a user's second factor (lost phone); they enrol again at next sign-in.

    Administrators only. Raises `NotFoundError` or `PermissionDeniedError`. Audited; an alert
    for the auditors when the account reads nominal data (see `ncen.accounts.alerts`).
    """
    require(actor, Action.MANAGE_USERS)
    user = session.get(User, user_id)
    if user is None:
        raise NotFoundError("user", user_id)
    user.totp_secret = None
    session.flush()
    event = record_event(
        session,
        actor,
        "user.totp_reset",
        record_type="user",
        record_id=user.id,
        details={"username": user.username},
    )
    raise_if_nominal(session, actor, user, event, user.roles)
    return user

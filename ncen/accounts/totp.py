"""Time-based one-time passwords (RFC 6238) as the second sign-in factor.

Administrators, auditors and exchange officers must use one (`totp_required`); others may. Codes are
6 digits, 30-second steps, one step of clock drift accepted either way.

- Enrolment: `pending_secret` makes (or reuses) a secret that waits on the user's row, sealed,
  while the user scans it into an authenticator app; `enrol_totp` stores it as the second
  factor once a code proves the app has it. The secret never travels in the session cookie
  (signed, but readable by whoever holds it).
- Secrets at rest are sealed with `ncen.secretbox` (key outside the database; associated data
  ``users.<column>`` and the user id). A clear secret written before sealing existed is sealed
  the first time it is read (`secret_of`).
- Replay: `check_code` accepts each time step once per user (``users.totp_last_step``, moved
  forward by one conditional ``UPDATE``, so two requests with one code cannot both pass).
"""

from __future__ import annotations

import hmac
import time
import uuid
from collections.abc import Iterable
from datetime import datetime

import pyotp
from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from ncen.accounts.actor import Actor
from ncen.accounts.alerts import raise_if_nominal
from ncen.accounts.models import Role, User
from ncen.audit import record_event
from ncen.errors import NotFoundError, ValidationError
from ncen.policy import Action, require
from ncen.secretbox import SecretBox, is_sealed_text

TOTP_REQUIRED_ROLES = frozenset({Role.ADMINISTRATOR, Role.AUDITOR, Role.EXCHANGE_OFFICER})
STEP_SECONDS = 30
_TABLE = "users"
_SECRET = "totp_secret"  # noqa: S105 (a column name)
_PENDING = "totp_pending_secret"


def totp_required(roles: Iterable[Role]) -> bool:
    """True if a user holding ``roles`` must sign in with a second factor."""
    return bool(TOTP_REQUIRED_ROLES & frozenset(roles))


def new_secret() -> str:
    """A fresh random base32 secret (160 bits)."""
    return pyotp.random_base32()


def provisioning_uri(secret: str, username: str, issuer: str) -> str:
    """The ``otpauth://`` URI an authenticator app scans (shown as a QR code)."""
    return pyotp.TOTP(secret).provisioning_uri(name=username, issuer_name=issuer)


def matching_step(secret: str, code: str, *, at: datetime | None = None) -> int | None:
    """The time step (Unix time // 30) whose code ``code`` (spaces ignored) is, within one step
    of ``at`` (default now), or None. Compares in constant time."""
    digits = "".join(code.split())
    if len(digits) != 6 or not digits.isdigit():
        return None
    now = at.timestamp() if at is not None else time.time()
    current = int(now) // STEP_SECONDS
    totp = pyotp.TOTP(secret)
    found: int | None = None
    for step in (current - 1, current, current + 1):
        if hmac.compare_digest(totp.at(step * STEP_SECONDS), digits):
            found = step
    return found


def secret_of(user: User, box: SecretBox) -> str | None:
    """``user``'s TOTP secret in clear, or None. A clear stored value (from before sealing) is
    sealed in place: the caller's transaction writes it. Raises `ncen.secretbox.SecretBoxError`
    when the value does not open (another key file)."""
    stored = user.totp_secret
    if stored is None:
        return None
    if not is_sealed_text(stored):
        user.totp_secret = box.seal_text(stored, table=_TABLE, column=_SECRET, row_id=user.id)
        return stored
    return box.open_text(stored, table=_TABLE, column=_SECRET, row_id=user.id)


def seal_clear_secrets(session: Session, box: SecretBox) -> int:
    """Seal every TOTP secret still stored in clear (from before sealing existed); return how
    many. Run at upgrade and start-up (`ncen db upgrade`, `ncen serve`), so an unused account's
    secret does not wait for its next sign-in. Writes in the caller's transaction."""
    users = session.execute(
        select(User).where(User.totp_secret.is_not(None)).with_for_update()
    ).scalars()
    sealed = 0
    for user in users:
        if user.totp_secret is not None and not is_sealed_text(user.totp_secret):
            secret_of(user, box)  # seals in place
            sealed += 1
    session.flush()
    return sealed


def _consume_step(session: Session, user: User, step: int) -> bool:
    """Move ``user``'s last used step to ``step`` if it is newer; False if already used."""
    moved = session.execute(
        update(User)
        .where(
            User.id == user.id,
            or_(User.totp_last_step.is_(None), User.totp_last_step < step),
        )
        .values(totp_last_step=step)
        .returning(User.id),
        execution_options={"synchronize_session": "fetch"},
    ).first()
    return moved is not None


def check_code(
    session: Session, user: User, box: SecretBox, code: str, *, at: datetime | None = None
) -> bool:
    """True if ``code`` is ``user``'s current code and its time step was not used before.

    Side effect: records the step as used (a second use of the code, or of an older code, is
    refused). Counting a refusal is the caller's (`ncen.accounts.signin.register_failure`).
    """
    secret = secret_of(user, box)
    if secret is None:
        return False
    step = matching_step(secret, code, at=at)
    return step is not None and _consume_step(session, user, step)


def pending_secret(session: Session, user: User, box: SecretBox) -> str:
    """The secret ``user`` is enrolling (made and stored sealed on first call), in clear to show
    as a QR code. Side effect: writes ``users.totp_pending_secret``."""
    stored = user.totp_pending_secret
    if stored is not None:
        return box.open_text(stored, table=_TABLE, column=_PENDING, row_id=user.id)
    secret = new_secret()
    user.totp_pending_secret = box.seal_text(secret, table=_TABLE, column=_PENDING, row_id=user.id)
    session.flush()
    return secret


def enrol_totp(
    session: Session, user: User, box: SecretBox, *, code: str, at: datetime | None = None
) -> None:
    """Make the pending secret ``user``'s second factor once ``code`` proves the app has it.

    Raises `ValidationError` on ``code`` (wrong, or no enrolment in progress). Side effects: the
    secret stored sealed, the pending one cleared, the code's step used; an audit event (never
    the secret).
    """
    if user.totp_pending_secret is None:
        raise ValidationError({"code": "no set-up is in progress: start again"})
    secret = box.open_text(user.totp_pending_secret, table=_TABLE, column=_PENDING, row_id=user.id)
    step = matching_step(secret, code, at=at)
    if step is None:
        raise ValidationError({"code": "is not correct"})
    user.totp_secret = box.seal_text(secret, table=_TABLE, column=_SECRET, row_id=user.id)
    user.totp_pending_secret = None
    user.totp_last_step = step
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
    user.totp_pending_secret = None
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

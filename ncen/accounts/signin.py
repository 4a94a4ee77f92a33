"""Signing in as a use case, independent of the web: credentials, lock-out and inactivity.

`attempt_sign_in` checks a username and password and tells why it refused; the caller shows
every credential refusal with one generic message, so nobody learns whether an account exists
or is locked. Refusals still write (failure counters, audit events): the caller commits them.
An account unused for longer than the node's inactivity period is disabled at its next sign-in
attempt; an administrator re-enables it. Every attempt is audited.

Failures (a wrong password or a wrong second-factor code alike) are counted three ways, all in
PostgreSQL (`ncen.accounts.throttle`), and reset only by a completed sign-in (both factors):

- per client address across accounts: at `ADDRESS_LIMIT` within 15 minutes the address is refused
  (`address_blocked`; the caller answers 429);
- per account: after `MAX_FAILED_LOGINS` consecutive failures, from any addresses, the account
  is locked for `LOCKOUT`;
- per (account, address): while the account is locked, an address that failed against it in
  the last `WINDOW` is refused without a check, and any other address is still checked, so
  the owner signing in from their own address gets in and an attacker cannot lock them out;
  each new address that fails during the lock is refused from then on. A completed sign-in
  does not lift the lock for the addresses that failed.

A name that matches no account (often a password typed in the wrong field) is audited only
as a keyed digest (`ncen.accounts.pseudonyms.name_digest`), never as typed.
"""

from __future__ import annotations

import enum
import functools
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from ncen.accounts.actor import Actor
from ncen.accounts.models import User
from ncen.accounts.passwords import check_policy, hash_password, needs_rehash, verify_password
from ncen.accounts.pseudonyms import name_digest
from ncen.accounts.throttle import (
    ACCOUNT,
    ADDRESS,
    ADDRESS_LIMIT,
    account_key,
    count_failure,
    failed_recently,
    failures_in_window,
    forget,
)
from ncen.audit import record_event
from ncen.db import utcnow
from ncen.errors import ValidationError

MAX_FAILED_LOGINS = 5
LOCKOUT = timedelta(minutes=15)
# Failed attempts are not anyone's act: they are audited under this name.
_SIGN_IN = Actor(user_id=None, username="[sign-in]")


class Refusal(enum.StrEnum):
    """Why a sign-in was refused. Only DISABLED and INACTIVE may be told to the user, and only
    because they are reported after the correct password was given."""

    CREDENTIALS = "credentials"
    LOCKED = "locked"
    DISABLED = "disabled"
    INACTIVE = "inactive"


@dataclass(frozen=True)
class SignInOutcome:
    """The user whose password was right (``refusal`` None), or why not."""

    user: User | None
    refusal: Refusal | None


@functools.cache
def _dummy_hash() -> str:
    # Verifying against a real hash when the account does not exist (or is locked) keeps the
    # response time the same, so timing does not reveal which usernames exist.
    return hash_password("timing equaliser, never a password")


def attempt_sign_in(
    session: Session,
    username: str,
    password: str,
    *,
    address: str,
    inactive_after: timedelta,
    now: datetime | None = None,
    name_key: bytes | None = None,
) -> SignInOutcome:
    """Check ``username``/``password`` from ``address``; on success re-hash if needed.

    The failure counters are not reset here: a right password is only half a sign-in when a
    second factor follows (`complete_sign_in` resets them). Side effects: failure counters,
    lock, disabling an inactive account, audit events. The caller checks `address_blocked`
    first.
    ``name_key`` keys the digest that the audit keeps of a name matching no account (pass the
    node's secret key, so that digests compare across processes).
    """
    now = now or utcnow()
    name = username.strip().lower()[:64]
    user = session.execute(
        select(User).where(func.lower(User.username) == name)
    ).scalar_one_or_none()
    if user is None or locked_out(session, user, address, now):
        verify_password(_dummy_hash(), password)
        count_failure(session, ADDRESS, address, now)
        refusal = Refusal.CREDENTIALS if user is None else Refusal.LOCKED
        # A name that matches no account may be a password typed in the wrong field.
        who = {"username": name} if user else {"username_hash": name_digest(name, name_key)}
        record_event(
            session,
            _SIGN_IN,
            "auth.sign_in_failed",
            record_type="user" if user else None,
            record_id=user.id if user else None,
            details={**who, "address": address, "reason": refusal.value},
        )
        return SignInOutcome(None, refusal)
    if not verify_password(user.password_hash, password):
        register_failure(session, user, address=address, factor="password", now=now)
        return SignInOutcome(None, Refusal.CREDENTIALS)
    if not user.active:
        _audit_refusal(session, user, address, Refusal.DISABLED)
        return SignInOutcome(None, Refusal.DISABLED)
    if (user.last_login_at or user.created_at) < now - inactive_after:
        user.active = False
        _audit_refusal(session, user, address, Refusal.INACTIVE)
        record_event(
            session,
            _SIGN_IN,
            "user.disable_inactive",
            record_type="user",
            record_id=user.id,
            details={"username": user.username},
        )
        return SignInOutcome(None, Refusal.INACTIVE)
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    session.flush()
    return SignInOutcome(user, None)


def _audit_refusal(session: Session, user: User, address: str, refusal: Refusal) -> None:
    record_event(
        session,
        _SIGN_IN,
        "auth.sign_in_failed",
        record_type="user",
        record_id=user.id,
        details={"username": user.username, "address": address, "reason": refusal.value},
    )


def record_throttled(
    session: Session, username: str, *, address: str, name_key: bytes | None = None
) -> None:
    """Audit an attempt refused unchecked because its address made too many failed attempts.

    The name is not looked up, so it is kept only as a keyed digest (see `attempt_sign_in`).
    """
    name = username.strip().lower()[:64]
    record_event(
        session,
        _SIGN_IN,
        "auth.sign_in_throttled",
        details={"username_hash": name_digest(name, name_key), "address": address},
    )


def address_blocked(session: Session, address: str, now: datetime | None = None) -> bool:
    """True if ``address`` made `ADDRESS_LIMIT` failed attempts within `WINDOW`, whatever the
    accounts: the caller refuses it unchecked (and audits it with `record_throttled`)."""
    return failures_in_window(session, ADDRESS, address, now or utcnow()) >= ADDRESS_LIMIT


def is_locked(user: User, now: datetime | None = None) -> bool:
    """True while ``user``'s account is locked after `MAX_FAILED_LOGINS` consecutive failures."""
    return user.locked_until is not None and user.locked_until > (now or utcnow())


def locked_out(session: Session, user: User, address: str, now: datetime | None = None) -> bool:
    """True if attempts on ``user`` from ``address`` are refused unchecked: the account is
    locked and this address failed against it within the last `WINDOW`."""
    now = now or utcnow()
    return is_locked(user, now) and failed_recently(
        session, ACCOUNT, account_key(user.id, address), now
    )


def may_continue(
    session: Session, user: User, *, address: str, now: datetime | None = None
) -> bool:
    """True if a half-done sign-in of ``user`` (waiting for its second factor) may go on from
    ``address``: the account is active and neither it nor the address refuses this address."""
    now = now or utcnow()
    return (
        user.active
        and not locked_out(session, user, address, now)
        and not address_blocked(session, address, now)
    )


def register_failure(
    session: Session, user: User, *, address: str, factor: str, now: datetime | None = None
) -> bool:
    """Count one failed ``factor`` (``password`` or ``totp``) of ``user`` from ``address``.

    Counts it for the address, for the (account, address) pair and for the account (atomic
    updates, so concurrent failures all count); the account locks at `MAX_FAILED_LOGINS`.
    Returns True if ``address`` may no longer try this account (`locked_out`). Side effect: an
    audit event.
    """
    now = now or utcnow()
    count_failure(session, ADDRESS, address, now)
    count_failure(session, ACCOUNT, account_key(user.id, address), now)
    failures = session.execute(
        update(User)
        .where(User.id == user.id)
        .values(failed_logins=User.failed_logins + 1)
        .returning(User.failed_logins),
        execution_options={"synchronize_session": "fetch"},
    ).scalar_one()
    locked = failures >= MAX_FAILED_LOGINS
    if locked:
        user.locked_until = now + LOCKOUT
        user.failed_logins = 0
    session.flush()
    record_event(
        session,
        _SIGN_IN,
        "auth.sign_in_failed",
        record_type="user",
        record_id=user.id,
        details={"username": user.username, "address": address, "reason": factor, "locked": locked},
    )
    return locked_out(session, user, address, now)


def complete_sign_in(
    session: Session, user: User, *, address: str, second_factor: bool, now: datetime | None = None
) -> None:
    """Record a completed sign-in (every factor passed): resets the account's consecutive
    failures and this address's failures against it, starts the inactivity clock, audits.

    A lock in force stays until it expires, so the addresses that failed stay refused.
    """
    user.last_login_at = now or utcnow()
    user.failed_logins = 0
    forget(session, ACCOUNT, account_key(user.id, address))
    session.flush()
    record_event(
        session,
        Actor.of(user),
        "auth.sign_in",
        record_type="user",
        record_id=user.id,
        details={"address": address, "second_factor": second_factor},
    )


def record_sign_out(session: Session, actor: Actor, *, address: str, reason: str) -> None:
    """Audit the end of a session (``reason``: ``sign_out`` or ``idle_timeout``)."""
    record_event(
        session,
        actor,
        "auth.sign_out",
        record_type="user",
        record_id=actor.user_id,
        details={"address": address, "reason": reason},
    )


def change_password(
    session: Session, user: User, *, current: str, new: str, now: datetime | None = None
) -> None:
    """The user changes their own password (proving the current one); audited.

    Raises `ValidationError` on ``current_password`` and/or ``new_password``.
    """
    errors: dict[str, str] = {}
    if not verify_password(user.password_hash, current):
        errors["current_password"] = "is not correct"  # noqa: S105 (a message)
    try:
        check_policy(new, username=user.username, field="new_password")
    except ValidationError as exc:
        errors.update(exc.errors)
    if "new_password" not in errors and new == current:
        errors["new_password"] = "must differ from the current password"  # noqa: S105
    if errors:
        raise ValidationError(errors)
    user.password_hash = hash_password(new)
    user.password_changed_at = now or utcnow()
    user.must_change_password = False
    session.flush()
    record_event(
        session,
        Actor.of(user),
        "user.change_password",
        record_type="user",
        record_id=user.id,
        details={"username": user.username},
    )

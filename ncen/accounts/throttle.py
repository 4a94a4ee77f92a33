"""Counting failed sign-ins in PostgreSQL, per client address and per (account, address).

The counts live in the ``sign_in_failures`` table, so every server process sees the same numbers
and a restart forgets nothing. Each failure is one atomic upsert (``INSERT ... ON CONFLICT DO
UPDATE ... RETURNING``): two processes counting the same address at once both count.

Two scopes (how `ncen.accounts.signin` uses them is described there and in
docs/threat-model.md, "Sign-in and secrets at rest"):

- ``address``: failures from one client address whatever the account, in a fixed window of
  `WINDOW` that starts at the first failure; at `ADDRESS_LIMIT` the address is refused;
- ``account``: failures of one address against one account; while that account is locked, an
  address that failed against it during the last `WINDOW` is refused without a check.

The address is the one the web layer trusts (``NCEN_TRUSTED_PROXIES``): behind a reverse proxy
that is not trusted, every client shares the proxy's address. Rows older than `WINDOW` are
deleted as new failures arrive, so the table stays small.
"""

from __future__ import annotations

import ipaddress
import uuid
from datetime import datetime, timedelta
from typing import Final

from sqlalchemy import case, delete, select, tuple_
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Session

from ncen.accounts.models import SignInFailures

ADDRESS: Final = "address"
ACCOUNT: Final = "account"
ADDRESS_LIMIT: Final = 20
WINDOW: Final = timedelta(minutes=15)
_KEY_LENGTH: Final = 200
_PURGE_BATCH: Final = 100


def client_network(address: str) -> str:
    """The part of a client address that counts as one client: an IPv6 address's /64 (one
    end-user network holds 2**64 addresses, which would otherwise each get a fresh budget),
    an IPv4 address as it is, anything else (a proxy's label) unchanged."""
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return address
    if isinstance(parsed, ipaddress.IPv6Address):
        if parsed.ipv4_mapped is not None:  # ::ffff:192.0.2.1 is the IPv4 client 192.0.2.1
            return str(parsed.ipv4_mapped)
        return str(ipaddress.IPv6Network((parsed, 64), strict=False))
    return str(parsed)


def _key(scope: str, key: str) -> str:
    return (client_network(key) if scope == ADDRESS else key)[:_KEY_LENGTH]


def account_key(user_id: uuid.UUID, address: str) -> str:
    """The ``account`` scope key of ``address`` (its `client_network`) trying ``user_id``."""
    return f"{user_id}|{client_network(address)}"[:_KEY_LENGTH]


def count_failure(session: Session, scope: str, key: str, now: datetime) -> int:
    """Add one failure for (``scope``, ``key``) and return the count in its current window.

    Atomic (one upsert). A window older than `WINDOW` starts again at 1. Also deletes some rows
    whose last failure is older than `WINDOW` (nobody is refused because of them any more).
    """
    table = SignInFailures.__table__
    expired = table.c.first_failed_at <= now - WINDOW
    statement = (
        insert(SignInFailures)
        .values(
            scope=scope, key=_key(scope, key), failures=1, first_failed_at=now, last_failed_at=now
        )
        .on_conflict_do_update(
            index_elements=[SignInFailures.scope, SignInFailures.key],
            set_={
                "failures": case((expired, 1), else_=table.c.failures + 1),
                "first_failed_at": case((expired, now), else_=table.c.first_failed_at),
                "last_failed_at": now,
            },
        )
        .returning(SignInFailures.failures)
    )
    failures = int(session.execute(statement).scalar_one())
    # Purge a bounded batch of expired rows, skipping rows another transaction holds: two
    # sign-ins purging each other's rows must neither wait for each other nor deadlock.
    expired_rows = (
        select(SignInFailures.scope, SignInFailures.key)
        .where(SignInFailures.last_failed_at <= now - WINDOW)
        .limit(_PURGE_BATCH)
        .with_for_update(skip_locked=True)
    )
    session.execute(
        delete(SignInFailures).where(
            tuple_(SignInFailures.scope, SignInFailures.key).in_(expired_rows)
        )
    )
    return failures


def failures_in_window(session: Session, scope: str, key: str, now: datetime) -> int:
    """How many failures (``scope``, ``key``) has in a window that began within `WINDOW`."""
    found = session.execute(
        select(SignInFailures.failures).where(
            SignInFailures.scope == scope,
            SignInFailures.key == _key(scope, key),
            SignInFailures.first_failed_at > now - WINDOW,
        )
    ).scalar_one_or_none()
    return int(found or 0)


def failed_recently(session: Session, scope: str, key: str, now: datetime) -> bool:
    """True if (``scope``, ``key``) has a failure within the last `WINDOW`."""
    found = session.execute(
        select(SignInFailures.key).where(
            SignInFailures.scope == scope,
            SignInFailures.key == _key(scope, key),
            SignInFailures.last_failed_at > now - WINDOW,
        )
    ).first()
    return found is not None


def forget(session: Session, scope: str, key: str) -> None:
    """Drop the count of (``scope``, ``key``) (after a completed sign-in from that address)."""
    session.execute(
        delete(SignInFailures).where(
            SignInFailures.scope == scope, SignInFailures.key == _key(scope, key)
        )
    )

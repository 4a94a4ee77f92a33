"""Use cases for personal API tokens: create (shown once), list, revoke, authenticate.

Contract:
- `create_token` lets a user make a token for themselves only (the command line, acting as the
  node, may name any active user). The scope is ``read`` or ``read_write``; the lifetime is at
  most ``max_days`` (`ncen.settings.Settings.api_token_max_days`). It returns the row and the
  token text, which exists nowhere else afterwards.
- `revoke_token` stops a token at once; only its owner (or the node) may revoke it.
- `authenticate` finds a presented token by its prefix, compares the SHA-256 digest in
  constant time, and refuses it when revoked, expired, or when its user is disabled: disabling
  an account stops every token of it at the next request, with nothing else to do.
Writes are audited (``api_token.create``, ``api_token.revoke``) and the caller owns the
transaction. Authentication writes nothing but ``last_used_at`` (at most once a minute).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from ncen.accounts.actor import Actor
from ncen.accounts.models import User
from ncen.apitokens.models import ApiToken, TokenScope
from ncen.audit import record_event
from ncen.db import utcnow
from ncen.errors import NcenError, NotFoundError, PermissionDeniedError
from ncen.validation import Checker

TOKEN_PREFIX = "ncen_"  # noqa: S105 - the public marker of a token, not a secret
_PREFIX_CHARS = 12
RECORD_TYPE = "api_token"


class TokenRefusedError(NcenError):
    """A presented token is unknown, malformed, revoked, expired, or its user is disabled.

    ``reason`` is for the log and the tests; callers tell the client only that it failed.
    """

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(f"API token refused: {reason}")


@dataclass(frozen=True)
class IssuedToken:
    """A token just created: ``text`` is shown to its owner once and never stored."""

    token: ApiToken
    text: str


def digest(text: str) -> str:
    """The SHA-256 of a token's text, as stored in ``secret_hash``."""
    return hashlib.sha256(text.encode()).hexdigest()


def _split(text: str) -> str | None:
    """The lookup prefix of a well-formed token text, or None."""
    if not text.startswith(TOKEN_PREFIX) or len(text) > 200:
        return None
    prefix, sep, secret = text[len(TOKEN_PREFIX) :].partition("_")
    if not sep or len(prefix) != _PREFIX_CHARS or len(secret) < 32:
        return None
    return prefix


def create_token(
    session: Session,
    actor: Actor,
    *,
    user_id: uuid.UUID,
    name: object,
    scope: object,
    days: object,
    max_days: int,
) -> IssuedToken:
    """Create a token for ``user_id`` named ``name`` with ``scope``, valid ``days`` days.

    Raises `PermissionDeniedError` when a user makes a token for someone else,
    `ValidationError` naming each bad field (name, scope, days above ``max_days``), and
    `NotFoundError` when the user does not exist or is disabled. Audited.
    """
    if actor.user_id is not None and actor.user_id != user_id:
        raise PermissionDeniedError("api_token.create", "a token is made by its own user")
    c = Checker(session, {"name": name, "scope": scope, "days": days})
    clean_name = c.text("name", required=True, max_len=100)
    clean_scope = c.choice("scope", TokenScope, required=True)
    lifetime = c.integer("days", required=True, minimum=1, maximum=max_days)
    c.raise_if_errors()
    assert clean_name is not None
    assert clean_scope is not None
    assert lifetime is not None
    user = session.get(User, user_id)
    if user is None or not user.active:
        raise NotFoundError("user", user_id)
    prefix = secrets.token_urlsafe(9)[:_PREFIX_CHARS].replace("_", "x")
    text = f"{TOKEN_PREFIX}{prefix}_{secrets.token_urlsafe(32)}"
    now = utcnow()
    token = ApiToken(
        user_id=user_id,
        name=clean_name,
        prefix=prefix,
        secret_hash=digest(text),
        scope=clean_scope,
        created_at=now,
        expires_at=now + timedelta(days=lifetime),
    )
    session.add(token)
    session.flush()
    record_event(
        session,
        actor,
        "api_token.create",
        record_type=RECORD_TYPE,
        record_id=token.id,
        details={"user": user.username, "scope": clean_scope.value, "days": lifetime},
    )
    return IssuedToken(token=token, text=text)


def list_tokens(session: Session, user_id: uuid.UUID) -> list[ApiToken]:
    """Every token of ``user_id`` (revoked and expired ones too), newest first."""
    stmt = (
        select(ApiToken)
        .where(ApiToken.user_id == user_id)
        .order_by(ApiToken.created_at.desc(), ApiToken.id)
    )
    return list(session.execute(stmt).scalars())


def revoke_token(session: Session, actor: Actor, token_id: uuid.UUID) -> ApiToken:
    """Revoke the token (idempotent). Only its owner, or the node, may. Audited.

    Raises `NotFoundError` for an unknown token or someone else's (which is not revealed).
    """
    token = session.get(ApiToken, token_id, with_for_update=True)
    if token is None or (actor.user_id is not None and token.user_id != actor.user_id):
        raise NotFoundError(RECORD_TYPE, token_id)
    if token.revoked_at is None:
        token.revoked_at = utcnow()
        record_event(
            session, actor, "api_token.revoke", record_type=RECORD_TYPE, record_id=token.id
        )
    return token


def is_usable(token: ApiToken, now: datetime) -> bool:
    """True if the token is neither revoked nor expired (its user is checked separately)."""
    return token.revoked_at is None and token.expires_at > now


def authenticate(session: Session, text: str) -> tuple[ApiToken, User]:
    """The token and its user for a presented token ``text``; raises `TokenRefusedError`.

    One indexed lookup by prefix; the digest is compared with `hmac.compare_digest`. Refused
    when revoked, expired, or the user is disabled (checked at every request).
    """
    prefix = _split(text)
    if prefix is None:
        raise TokenRefusedError("malformed")
    row = session.execute(
        select(ApiToken, User)
        .join(User, User.id == ApiToken.user_id)
        .where(ApiToken.prefix == prefix)
        .options(joinedload(User.role_rows))
    ).first()
    # Compare against a digest even when the prefix is unknown, so timing tells nothing.
    stored = row[0].secret_hash if row is not None else "0" * 64
    if not hmac.compare_digest(stored, digest(text)) or row is None:
        raise TokenRefusedError("unknown")
    token, user = row
    now = utcnow()
    if not is_usable(token, now):
        raise TokenRefusedError("revoked or expired")
    if not user.active:
        raise TokenRefusedError("user disabled")
    if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=1):
        token.last_used_at = now
    return token, user

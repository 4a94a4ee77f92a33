"""How an API view is declared: `api_view` authenticates, authorises, rate-limits, documents.

Every ``/api/v1`` view is registered with `api_view` and nothing else. It:

1. takes the token from ``Authorization: Bearer <token>`` only. Cookies are never read, so a
   browser's signed-in session gives no API access and a cross-site request carries no
   credential: that is why the API is exempt from CSRF (docs/threat-model.md);
2. authenticates it (`ncen.apitokens.services.authenticate`: revoked, expired, or a disabled
   user's token is a 401) and makes the `Actor` from the user's current roles;
3. refuses a write with a read-only token (403), then asks the policy for ``action`` exactly
   as `web.security.requires` does (the services check again, record by record);
4. spends one request of the token's rate-limit bucket (429 with Retry-After); refused tokens
   spend from a bucket of the client's address (`FAILURES_PER_MINUTE`);
5. records the operation's OpenAPI description (`Operation`), read by `web.api.openapi`.

The token authenticates; the transaction is the view's (``with session.begin()``).
"""

from __future__ import annotations

import functools
import uuid
from collections.abc import Callable
from contextlib import nullcontext
from dataclasses import dataclass, field
from typing import Any

from flask import Blueprint, current_app, g, request
from flask.typing import ResponseReturnValue

from ncen.accounts.actor import Actor
from ncen.apitokens.models import TokenScope
from ncen.apitokens.services import TokenRefusedError, authenticate
from ncen.policy import Action, is_allowed
from web.api.problems import ApiProblemError
from web.api.ratelimit import RateLimiter
from web.db import get_session
from web.security import ACCESS_ATTR

OPERATION_ATTR = "_ncen_api_operation"
LIMITER_KEY = "ncen.api.limiter"
FAILURES_KEY = "ncen.api.failures"
# Refused tokens per client address and minute (per process). A token cannot be guessed (256
# bits), but each attempt costs a database lookup: this bounds what a flood of them costs.
FAILURES_PER_MINUTE = 30


@dataclass(frozen=True)
class Operation:
    """The OpenAPI description of one API view (see `web.api.openapi`)."""

    method: str
    summary: str
    tag: str
    action: Action | None
    write: bool
    response: str | None  # a component schema name, or None for a non-JSON body
    body: str | None = None
    query: tuple[tuple[str, str, str], ...] = ()  # (name, JSON type, description)
    paged: bool = False
    versioned: bool = False  # ETag on the answer; If-Match required on writes
    media_type: str = "application/json"
    body_media_type: str = "application/json"
    statuses: tuple[int, ...] = field(default=())


def api_actor() -> Actor:
    """The actor of the current API request (only inside an `api_view`)."""
    actor: Actor = g.api_actor
    return actor


def _bearer() -> str:
    header = request.headers.get("Authorization", "")
    scheme, _, text = header.partition(" ")
    if scheme.lower() != "bearer" or not text.strip():
        raise TokenRefusedError("no bearer token")
    return text.strip()


def _authenticate(write: bool) -> tuple[Actor, uuid.UUID]:
    try:
        return _check_token(write)
    except TokenRefusedError:
        failures: RateLimiter = current_app.extensions[FAILURES_KEY]
        wait = failures.take(request.remote_addr or "")
        if wait > 0:
            raise ApiProblemError(
                429,
                "Too many refused tokens from this address; wait and try again.",
                kind="rate-limit",
                headers={"Retry-After": RateLimiter.retry_after(wait)},
            ) from None
        raise


def _check_token(write: bool) -> tuple[Actor, uuid.UUID]:
    text = _bearer()
    db = get_session()
    with nullcontext() if db.in_transaction() else db.begin():
        token, user = authenticate(db, text)
        actor = Actor(user_id=user.id, username=user.username, roles=user.roles)
        if write and token.scope is not TokenScope.READ_WRITE:
            raise ApiProblemError(403, "This token may only read.", kind="scope")
        return actor, token.id


def _limit(token_id: uuid.UUID) -> None:
    limiter: RateLimiter = current_app.extensions[LIMITER_KEY]
    wait = limiter.take(token_id)
    if wait > 0:
        raise ApiProblemError(
            429,
            "This token made too many requests; wait and try again.",
            kind="rate-limit",
            headers={"Retry-After": RateLimiter.retry_after(wait)},
        )


def api_view(
    bp: Blueprint,
    rule: str,
    operation: Operation,
) -> Callable[[Callable[..., ResponseReturnValue]], Callable[..., ResponseReturnValue]]:
    """Register the decorated function as the API view of ``rule`` described by ``operation``.

    ``operation.action`` None means a public view (the OpenAPI document and its docs page).
    """

    def decorate(view: Callable[..., ResponseReturnValue]) -> Callable[..., ResponseReturnValue]:
        @functools.wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> ResponseReturnValue:
            if operation.action is not None:
                actor, token_id = _authenticate(operation.write)
                g.api_actor = actor
                # Every authenticated call spends from the bucket, refused ones too: probing
                # what a token may do is throttled like anything else.
                _limit(token_id)
                if not is_allowed(actor, operation.action):
                    raise ApiProblemError(
                        403,
                        "Your roles do not allow this.",
                        kind="forbidden",
                        action=str(operation.action),
                    )
            return view(*args, **kwargs)

        setattr(wrapped, ACCESS_ATTR, str(operation.action) if operation.action else "public")
        setattr(wrapped, OPERATION_ATTR, operation)
        bp.add_url_rule(rule, view_func=wrapped, methods=[operation.method])
        return wrapped

    return decorate

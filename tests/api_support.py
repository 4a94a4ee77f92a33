"""Helpers for the REST API tests: tokens made through the service, authorised requests."""

from __future__ import annotations

from typing import Any

from flask.testing import FlaskClient
from sqlalchemy.orm import Session
from werkzeug.test import TestResponse

from ncen.accounts.actor import Actor
from ncen.accounts.models import User
from ncen.apitokens.services import create_token
from tests.web_support import tx


def make_token(db: Session, user: User, scope: str = "read_write", days: int = 30) -> str:
    """A new token of ``user`` (its text)."""
    with tx(db):
        issued = create_token(
            db, Actor.of(user), user_id=user.id, name="test", scope=scope, days=days, max_days=365
        )
        return issued.text


def call(
    client: FlaskClient,
    method: str,
    path: str,
    token: str | None,
    *,
    json: Any = None,
    headers: dict[str, str] | None = None,
    **kwargs: Any,
) -> TestResponse:
    """``method path`` under /api/v1 with the token as a bearer credential."""
    sent = dict(headers or {})
    if token is not None:
        sent["Authorization"] = f"Bearer {token}"
    url = path if path.startswith("/api/v1") else "/api/v1" + path
    return client.open(url, method=method, json=json, headers=sent, **kwargs)

"""Personal API tokens on the account page: made in a two-step session, shown once, revoked."""

from __future__ import annotations

import re
from collections.abc import Callable

from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from ncen.accounts.models import Role, User
from ncen.apitokens.models import ApiToken
from tests.api_support import call
from tests.functional.conftest import post_form
from tests.web_support import tx

TOKEN = re.compile(r"ncen_[A-Za-z0-9-]{12}_[A-Za-z0-9_-]{40,}")


def test_create_use_and_revoke_a_token(
    client: FlaskClient, db: Session, signed_in: Callable[..., User]
) -> None:
    user = signed_in(Role.ANALYST, totp=True)
    created = post_form(
        client, "/auth/api-tokens", {"name": "my script", "scope": "read", "days": "30"}
    )
    assert created.status_code == 200, created.text
    (token,) = set(TOKEN.findall(created.text))
    assert call(client, "GET", "/persons", token).status_code == 200
    # Shown once: the account page lists it by prefix only.
    assert token not in client.get("/auth/account").text
    with tx(db):
        stored = db.execute(select(ApiToken).where(ApiToken.user_id == user.id)).scalar_one()
    assert f"ncen_{stored.prefix}_" in client.get("/auth/account").text

    revoked = post_form(client, f"/auth/api-tokens/{stored.id}/revoke", {})
    assert revoked.status_code == 302
    assert call(client, "GET", "/persons", token).status_code == 401


def test_token_refused_without_two_step_or_beyond_max_days(
    client: FlaskClient, signed_in: Callable[..., User]
) -> None:
    signed_in(Role.ANALYST, totp=False)
    refused = post_form(client, "/auth/api-tokens", {"name": "x", "scope": "read", "days": "30"})
    assert refused.status_code == 400
    assert "two-step sign-in" in refused.text
    assert not TOKEN.search(refused.text)


def test_lifetime_is_bounded(client: FlaskClient, signed_in: Callable[..., User]) -> None:
    signed_in(Role.ANALYST, totp=True)
    for days in ("366", "0", "many"):
        refused = post_form(
            client, "/auth/api-tokens", {"name": "x", "scope": "read_write", "days": days}
        )
        assert refused.status_code == 400, days
        assert not TOKEN.search(refused.text)

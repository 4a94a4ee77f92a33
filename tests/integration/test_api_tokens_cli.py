"""``ncen api-token create|list|revoke`` on a database of its own, and the token service rules."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from ncen.accounts.actor import Actor
from ncen.accounts.models import User
from ncen.apitokens.models import ApiToken
from ncen.apitokens.services import (
    TokenRefusedError,
    authenticate,
    create_token,
    digest,
    revoke_token,
)
from ncen.errors import NotFoundError, PermissionDeniedError, ValidationError
from tests.cli_support import cli_database, run_cli


@pytest.fixture
def node(empty_database: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Any:
    engine = cli_database(empty_database, tmp_path, monkeypatch, "ncen_api_tokens")
    yield engine
    engine.dispose()


def test_create_list_revoke(node: Engine) -> None:
    code, _out, err = run_cli("user", "add", "ana", "--name", "Ana", "--role", "analyst")
    assert code == 0, err
    code, out, err = run_cli("api-token", "create", "ana", "--name", "nightly", "--days", "7")
    assert code == 0, err
    token = re.search(r"token \(shown once\): (ncen_\S+)", out)
    assert token is not None
    with Session(node) as session, session.begin():
        stored = session.execute(select(ApiToken)).scalar_one()
        token_id = stored.id
        assert stored.secret_hash == digest(token[1])
        assert stored.scope.value == "read"
        authenticate(session, token[1])

    code, out, _ = run_cli("api-token", "list", "ana")
    assert code == 0
    assert "active" in out
    assert token[1] not in out

    code, _, err = run_cli("api-token", "create", "ana", "--name", "x", "--days", "400")
    assert code != 0
    assert "days" in err

    code, out, _ = run_cli("api-token", "revoke", str(token_id))
    assert code == 0
    with Session(node) as session, session.begin(), pytest.raises(TokenRefusedError):
        authenticate(session, token[1])
    assert "revoked" in run_cli("api-token", "list", "ana")[1]


def test_service_rules(node: Engine) -> None:
    assert run_cli("user", "add", "ana", "--name", "Ana", "--role", "analyst")[0] == 0
    assert run_cli("user", "add", "bob", "--name", "Bob", "--role", "analyst")[0] == 0
    with Session(node) as session, session.begin():
        users = {u.username: u for u in session.execute(select(User)).scalars()}
        ana, bob = Actor.of(users["ana"]), Actor.of(users["bob"])
        with pytest.raises(PermissionDeniedError):  # nobody makes a token for someone else
            create_token(
                session, ana, user_id=users["bob"].id, name="x", scope="read", days=1, max_days=9
            )
        with pytest.raises(ValidationError) as refused:
            create_token(
                session, ana, user_id=ana.user_id, name="a\u202eb", scope="all", days=0, max_days=9
            )
        assert set(refused.value.errors) == {"name", "scope", "days"}
        issued = create_token(
            session, bob, user_id=bob.user_id, name="mine", scope="read", days=1, max_days=9
        )
        with pytest.raises(NotFoundError):  # someone else's token is not even revealed
            revoke_token(session, ana, issued.token.id)
        for bad in ("", "ncen_", "ncen_short_x", issued.text + "x", "x" * 1000):
            with pytest.raises(TokenRefusedError):
                authenticate(session, bad)

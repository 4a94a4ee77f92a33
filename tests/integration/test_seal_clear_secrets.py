"""Secrets stored in clear before sealing existed are sealed when the node upgrades or starts,
not only when each is next used (issue 12, item 12): an unused TOTP secret or hit-check key
must not stay readable in a database dump."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pyotp
from sqlalchemy import select

from exchange.crypto.keys import generate_identity
from exchange.crypto.keysets import publish_keyset
from exchange.netmodels import HitKey
from exchange.services.hitcheck import KEY_BYTES, seal_clear_keys
from exchange.services.trust import Agreement, add_peer
from ncen.accounts.actor import Actor
from ncen.accounts.models import Role, User
from ncen.accounts.totp import seal_clear_secrets, secret_of
from ncen.secretbox import SecretBox, is_sealed_text
from tests.conftest import make_actor

NOW = datetime.now(UTC)


def register_peer(session, node_id: str) -> None:
    identity = generate_identity(
        node_id, not_before=NOW - timedelta(days=1), not_after=NOW + timedelta(days=30)
    )
    with session.begin():
        add_peer(
            session,
            Actor.system("test"),
            node_id=node_id,
            country="DE",
            endpoint=None,
            keyset=publish_keyset(identity, signer=identity.signing, serial=1, issued=NOW),
            agreement=Agreement(True, frozenset({"H0"})),
            own_node_id="xx-test",
        )


def test_clear_totp_secrets_are_sealed_in_bulk(session):
    box = SecretBox.from_key(b"k" * 32)
    actor = make_actor(session, Role.INVESTIGATOR)
    clear = pyotp.random_base32()
    with session.begin():
        user = session.get(User, actor.user_id)
        user.totp_secret = clear  # as a node before sealing stored it
    with session.begin():
        assert seal_clear_secrets(session, box) == 1
        assert seal_clear_secrets(session, box) == 0  # idempotent
    session.expire_all()
    user = session.get(User, actor.user_id)
    assert is_sealed_text(user.totp_secret)
    assert secret_of(user, box) == clear


def test_clear_hit_keys_are_sealed_in_bulk(session):
    box = SecretBox.from_key(b"k" * 32)
    register_peer(session, "de-ncen")
    clear = b"\x07" * KEY_BYTES
    with session.begin():
        session.add(HitKey(peer_node_id="de-ncen", key=clear, proposed_by="de-ncen"))
    with session.begin():
        assert seal_clear_keys(session, box) == 1
        assert seal_clear_keys(session, box) == 0
    stored = session.execute(select(HitKey)).scalar_one()
    assert stored.key != clear
    assert len(stored.key) != KEY_BYTES

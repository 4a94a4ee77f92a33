"""Issue 12 item 12: the keyed-hash keys agreed with peers for hit checks are sealed at rest
(``ncen.secretbox``, key file outside the database), and a clear key stored before sealing is
sealed the first time it is used."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from exchange_nodes import CliNode
from sqlalchemy.orm import Session

from exchange.netmodels import HitKey
from exchange.network.node import load_node
from exchange.services.hitcheck import ask_hit_check, digest
from ncen.accounts.actor import Actor
from ncen.secretbox import SecretBox
from ncen.settings import Settings


def _ask(fr: CliNode, node, value: str):
    with Session(fr.engine) as session, session.begin():
        check = ask_hit_check(
            session,
            Actor.system("test"),
            node,
            peer_node_id="de-ncen",
            kind="document",
            value=value,
            country=None,
            legal_basis="Naples II",
            now=datetime.now(UTC).replace(microsecond=0),
        )
        return check.digest


def _stored(fr: CliNode) -> bytes:
    with Session(fr.engine) as session:
        row = session.get(HitKey, "de-ncen")
        assert row is not None
        return row.key


def test_hit_keys_are_sealed_at_rest(make_node: Callable[..., CliNode], usb: Path) -> None:
    fr, de = make_node("fr-ncen", "FR"), make_node("de-ncen", "DE")
    fr.add_peer(de, usb)
    settings = Settings(instance_path=fr.instance, node_id="fr-ncen", node_country="FR")
    node = load_node(settings, {})
    wanted = _ask(fr, node, "N 1234-5678")
    stored = _stored(fr)
    assert len(stored) != 32  # not the clear key
    key = SecretBox.for_settings(settings).open(
        stored, table="exchange_hit_keys", column="key", row_id="de-ncen"
    )
    assert key not in stored
    assert digest(key, "document", "N12345678") == wanted
    # A clear key from before sealing existed is used, then sealed in place.
    clear = b"c" * 32
    with Session(fr.engine) as session, session.begin():
        row = session.get(HitKey, "de-ncen")
        assert row is not None
        row.key = clear
    assert _ask(fr, node, "X777") == digest(clear, "document", "X777")
    assert _stored(fr) != clear
    assert clear not in _stored(fr)

"""Fixtures of the exchange integration tests: nodes set up from the command line."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from types import SimpleNamespace

import pytest
from exchange_nodes import CliNode
from served_nodes import ServedNode, free_port
from sqlalchemy import Engine

from ncen.db import make_engine
from tests.conftest import ScratchDatabase

PASSPHRASE = "correct horse battery staple"


@pytest.fixture
def make_node(
    empty_database: Callable[[str], ScratchDatabase],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> Iterator[Callable[..., CliNode]]:
    """A factory of nodes, each with its own database, instance folder and keys."""
    for name in ("NCEN_CONFIG", "NCEN_KEY_PASSPHRASE", "NCEN_KEY_PASSPHRASE_FILE"):
        monkeypatch.delenv(name, raising=False)
    engines: list[Engine] = []

    def make(node_id: str, country: str, *, encrypted: bool = False) -> CliNode:
        db = empty_database(f"ncen_exchange_{node_id.replace('-', '_')}")
        engine = make_engine(db.app)
        engines.append(engine)
        node = CliNode(
            node_id,
            country,
            db.app,
            tmp_path / node_id,
            engine,
            passphrase=PASSPHRASE if encrypted else None,
            owner_url=db.owner,
        )
        node.setup(encrypted=encrypted)
        return node

    yield make
    for engine in engines:
        engine.dispose()


@pytest.fixture
def usb(tmp_path: Path) -> Path:
    """The removable medium the bundles travel on."""
    folder = tmp_path / "usb"
    folder.mkdir()
    return folder


@pytest.fixture
def trio(make_node: Callable[..., CliNode], usb: Path) -> SimpleNamespace:
    """fr (keys under a passphrase), de and it. fr pins de and it; de and it pin fr only."""
    fr = make_node("fr-ncen", "FR", encrypted=True)
    de = make_node("de-ncen", "DE")
    it = make_node("it-ncen", "IT")
    fr.add_peer(de, usb)
    fr.add_peer(it, usb)
    de.add_peer(fr, usb)
    it.add_peer(fr, usb)
    return SimpleNamespace(fr=fr, de=de, it=it)


@pytest.fixture
def make_served(
    empty_database: Callable[[str], ScratchDatabase],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> Iterator[Callable[..., ServedNode]]:
    """A factory of nodes each served by its own ``ncen serve`` process (started by the test),
    with its own two-role database, instance folder, keys and free port."""
    for name in ("NCEN_CONFIG", "NCEN_KEY_PASSPHRASE", "NCEN_KEY_PASSPHRASE_FILE"):
        monkeypatch.delenv(name, raising=False)
    nodes: list[ServedNode] = []

    def make(node_id: str, country: str) -> ServedNode:
        db = empty_database(f"ncen_served_{node_id.replace('-', '_')}")
        node = ServedNode(
            node_id, country, db.app, tmp_path / node_id, make_engine(db.app), owner_url=db.owner
        )
        node.port = free_port()
        node.setup()
        nodes.append(node)
        return node

    yield make
    for node in nodes:
        node.stop()
        node.engine.dispose()

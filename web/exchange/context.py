"""The node's exchange context for web views: identity loaded once per application, the clock.

The identity is loaded on first use (not in ``create_app``, so a node without keys still serves
its other pages) and kept on the application; the passphrase comes from the environment like
for the command line (`exchange.network.node.load_node`).
"""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

from flask import current_app
from sqlalchemy.orm import Session

from exchange.network.node import (
    EXCHANGE_FOLDER,
    ExchangeConfig,
    NodeContext,
    exchange_config_from,
    load_node,
)
from ncen.settings import Settings

_KEY = "ncen.exchange.node"
_CONFIG = "ncen.exchange.config"


def node_context() -> NodeContext:
    """This node's `NodeContext`; raises `KeyStoreError` when its keys are missing."""
    node: NodeContext | None = current_app.extensions.get(_KEY)
    if node is None:
        node = load_node(current_app.extensions["ncen.settings"])
        current_app.extensions[_KEY] = node
    return node


def now() -> datetime:
    """The current time at whole seconds (the precision of signed times)."""
    return datetime.now(UTC).replace(microsecond=0)


def new_session() -> Session:
    """A session of its own (the inbox commits independently of the request's session)."""
    factory = current_app.extensions["ncen.session_factory"]
    session: Session = factory()
    return session


def settings() -> Settings:
    """The node's settings."""
    value: Settings = current_app.extensions["ncen.settings"]
    return value


def exchange_config() -> ExchangeConfig:
    """The ``NCEN_EXCHANGE_*`` settings (no keys needed)."""
    config: ExchangeConfig | None = current_app.extensions.get(_CONFIG)
    if config is None:
        config = exchange_config_from(os.environ)
        current_app.extensions[_CONFIG] = config
    return config


def bundle_file(bundle_id: object) -> Path:
    """Where a sent bundle's file is kept (it may be missing)."""
    return settings().instance_path / EXCHANGE_FOLDER / "outbox" / f"{bundle_id}.ncb"

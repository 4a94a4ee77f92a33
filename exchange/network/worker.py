"""Running the delivery loop: in its own process (``ncen exchange worker``) or as a thread of
``ncen serve --with-worker``.

`start_worker` loads the node (keys, ``NCEN_EXCHANGE_*`` settings), builds the HTTP transport and
runs `exchange.network.delivery.run_worker` in a daemon thread until the returned event is set.
Several workers, in one process or many, may run against the same database: the outbox's ``SKIP
LOCKED`` claim keeps them apart and each peer's bundles in order.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from datetime import UTC, datetime

from sqlalchemy import Engine

from exchange.network.delivery import run_worker
from exchange.network.inbox import accept_bundle
from exchange.network.node import NodeContext, load_node
from exchange.network.transport import HttpTransport
from ncen.settings import Settings


def utc_now() -> datetime:
    """The current time at whole seconds."""
    return datetime.now(UTC).replace(microsecond=0)


def worker_loop(engine: Engine, node: NodeContext, stop: threading.Event) -> None:
    """Run the delivery loop in this thread until ``stop`` is set."""
    transport = HttpTransport(node.config.tls, timeout=node.config.timeout_seconds)
    run_worker(engine, node, transport, stop, utc_now, accept_bundle)


def start_worker(
    engine: Engine, settings: Settings, environ: Mapping[str, str] | None = None
) -> tuple[threading.Thread, threading.Event]:
    """Start the loop in a daemon thread; set the event to stop it. Raises `KeyStoreError`
    when the node has no usable keys (nothing can be delivered without them)."""
    node = load_node(settings, environ)
    stop = threading.Event()
    thread = threading.Thread(
        target=worker_loop, args=(engine, node, stop), name="exchange-worker", daemon=True
    )
    thread.start()
    return thread, stop

"""The background thread that signs an audit checkpoint every few minutes while a node serves.

One per node process that serves (``ncen serve``); ``ncen audit checkpoint`` does the same from
cron for nodes that prefer it. A failure (a chain that no longer verifies) is logged loudly on
every round and nothing is signed, so a tampered trail is never blessed.
"""

from __future__ import annotations

import logging
import threading

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from ncen.audit import checkpoints as cp
from ncen.errors import NcenError
from ncen.settings import Settings

log = logging.getLogger(__name__)


def checkpoint_once(engine: Engine, settings: Settings) -> cp.Checkpoint | None:
    """Write one checkpoint if the chain moved; return it (None if it did not move)."""
    key = cp.load_or_create_key(settings.audit_key_path)
    with Session(engine) as session:
        return cp.write_checkpoint(session, key, settings.audit_checkpoint_path, settings.node_id)


def start_checkpointer(
    engine: Engine, settings: Settings
) -> tuple[threading.Thread, threading.Event]:
    """Start the daemon thread; set the returned event to stop it (it writes a last checkpoint)."""
    stop = threading.Event()
    interval = settings.audit_checkpoint_minutes * 60

    def run() -> None:
        while True:
            stopping = stop.wait(interval)
            try:
                checkpoint_once(engine, settings)
            except NcenError:
                log.exception("audit checkpoint refused: the audit trail does not verify")
            except Exception:  # a database outage must not kill the thread; it retries
                log.exception("audit checkpoint failed; retrying next round")
            if stopping:
                return

    thread = threading.Thread(target=run, name="ncen-audit-checkpointer", daemon=True)
    thread.start()
    return thread, stop

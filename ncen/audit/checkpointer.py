"""The background thread that signs an audit checkpoint every few minutes while a node serves.

At start it walks the whole chain against every signed checkpoint (`verify_all`); a trail that
does not verify is never signed in this process.

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
from ncen.audit.queue import chain_all_queued
from ncen.errors import NcenError
from ncen.settings import Settings

log = logging.getLogger(__name__)


def checkpoint_once(engine: Engine, settings: Settings) -> cp.Checkpoint | None:
    """Write one checkpoint if the chain moved (after chaining what is queued); return it
    (None if it did not move)."""
    key = cp.load_or_create_key(settings.audit_key_path)
    chain_all_queued(engine)
    with Session(engine) as session:
        return cp.write_checkpoint(session, key, settings.audit_checkpoint_path, settings.node_id)


def verify_all(engine: Engine, settings: Settings) -> bool:
    """Recompute the whole chain against every signed checkpoint; False (logged) if it fails.

    The periodic rounds verify only the events since the last checkpoint; this full walk, once
    at start, also catches an older row changed without re-chaining."""
    try:
        key = cp.load_or_create_key(settings.audit_key_path)
        with Session(engine) as session:
            checkpoints = cp.read_checkpoints(settings.audit_checkpoint_path, key.public_key())
            cp.verify_against(session, checkpoints)
    except NcenError:
        log.exception("the audit trail does not verify: no checkpoint will be signed")
        return False
    return True


def start_checkpointer(
    engine: Engine, settings: Settings
) -> tuple[threading.Thread, threading.Event]:
    """Start the daemon thread; set the returned event to stop it (it writes a last checkpoint)."""
    stop = threading.Event()
    interval = settings.audit_checkpoint_minutes * 60

    def run() -> None:
        healthy = verify_all(engine, settings)
        while True:
            stopping = stop.wait(interval)
            if not healthy:  # a tampered trail is never blessed; say so every round
                log.error("audit checkpoint refused: the audit trail did not verify at start")
                if stopping:
                    return
                continue
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

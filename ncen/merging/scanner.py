"""The serving process's duplicate scanner: new and changed records reach the candidates queue
without an operator's timer.

An import (or any edit) can create a person or company that is recorded already under another
spelling and with no shared document, so no key recognises it. Such a record must be offered
as a duplicate candidate (issue 11). `scan_changed` runs `ncen.merging.queue.scan_window` window
after window, one transaction each, until every record changed since the last scan is
examined, exactly as ``ncen duplicates scan`` does; `start_duplicate_scanner` runs it every few
minutes in a daemon thread of ``ncen serve``, resting after each window as long as the window
took, so that a long first scan (hours at a million persons) takes at most half a core from
the requests. A run interrupted by the process's end resumes at the stored mark.
"""

from __future__ import annotations

import logging
import threading
import time

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from ncen.accounts.actor import Actor
from ncen.merging.candidates import RECORD_TYPES
from ncen.merging.queue import scan_window

log = logging.getLogger(__name__)

SCANNER = Actor.system("duplicates")


def scan_changed(engine: Engine, stop: threading.Event | None = None, rest: bool = False) -> int:
    """Examine every person and company changed since the last scan; return how many. Stops
    early (at a window's end) when ``stop`` is set; with ``rest``, waits after each window as
    long as it took. Writes what `scan_window` writes."""
    examined = 0
    for record_type in RECORD_TYPES:
        while stop is None or not stop.is_set():
            began = time.monotonic()
            with Session(engine) as session, session.begin():
                done = scan_window(session, SCANNER, record_type)
            if not done:
                break
            examined += done
            if stop is not None and rest:
                stop.wait(time.monotonic() - began)
    return examined


def start_duplicate_scanner(
    engine: Engine, minutes: int
) -> tuple[threading.Thread, threading.Event] | None:
    """Start the scanner's daemon thread (a scan now, then every ``minutes``), or None when
    ``minutes`` is 0 (a timer runs ``ncen duplicates scan`` instead). Set the event to stop."""
    if minutes <= 0:
        return None
    stop = threading.Event()

    def loop() -> None:
        while not stop.is_set():
            try:
                scan_changed(engine, stop, rest=True)
            except Exception:  # a database outage must not kill the thread; it retries
                log.exception("duplicate scanner: scan failed; retrying")
            stop.wait(minutes * 60)

    thread = threading.Thread(target=loop, name="ncen-duplicate-scanner", daemon=True)
    thread.start()
    return thread, stop

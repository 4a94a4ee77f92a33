"""The background thread that keeps the stored whole-graph centrality fresh while a node serves.

``ncen serve`` starts it (like the audit checkpointer) unless ``NCEN_CENTRALITY_HOURS`` is 0.
At start, then every `CHECK_MINUTES`, it recomputes the whole-graph run if the latest one is
older than ``NCEN_CENTRALITY_HOURS``. Several processes may run this thread against one
database: `compute_and_store_centrality` takes a PostgreSQL advisory try-lock and re-checks the
age under it, so at most one computes and the others skip the round. The computation holds the
graph in this process's memory for its duration (about 1-2 GB at a million persons and a
million seizures).
"""

from __future__ import annotations

import logging
import threading

from sqlalchemy import Engine

from ncen.accounts.actor import Actor
from ncen.analysis.centrality_store import compute_and_store_centrality
from ncen.settings import Settings

log = logging.getLogger(__name__)

CHECK_MINUTES = 60
# A setting of years means "practically never"; capped so the interval stays in range.
MAX_HOURS = 24 * 366 * 10


def refresh_if_stale(engine: Engine, settings: Settings) -> bool:
    """Recompute and store the whole-graph centrality if the latest run is older than
    ``settings.centrality_hours`` and no other process is computing it; True if it did."""
    hours = min(settings.centrality_hours, MAX_HOURS)
    run = compute_and_store_centrality(engine, Actor.system("centrality"), max_age_hours=hours)
    if run is not None:
        log.info(
            "whole-graph centrality stored: %d nodes, %d edges, %.1f s, peak %.0f MiB",
            run.node_count,
            run.edge_count,
            run.seconds,
            run.peak_rss_mib,
        )
    return run is not None


def start_centrality_refresher(
    engine: Engine, settings: Settings
) -> tuple[threading.Thread, threading.Event] | None:
    """Start the daemon thread (None if ``centrality_hours`` is 0); set the returned event to
    stop it. A computation under way is not interrupted: the thread is a daemon, and its
    transaction (and lock) ends with the process."""
    if settings.centrality_hours <= 0:
        return None
    stop = threading.Event()

    def run() -> None:
        while True:
            try:
                refresh_if_stale(engine, settings)
            except Exception:  # a database outage must not kill the thread; it retries
                log.exception("whole-graph centrality failed; retrying next round")
            if stop.wait(CHECK_MINUTES * 60):
                return

    thread = threading.Thread(target=run, name="ncen-centrality", daemon=True)
    thread.start()
    return thread, stop

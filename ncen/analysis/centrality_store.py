"""Whole-graph centrality computed once in the background, stored, and read back (issue 9).

`compute_and_store_centrality` runs `ncen.analysis.measures.rank_whole_graph` and writes one
`CentralityRun` (node keys and measures, never names) with how long it took and the process's
peak memory. Only one computation runs at a time across every process sharing the database
(gunicorn workers, a second node process, a cron job): it holds a PostgreSQL transaction-level
advisory lock, taken with a *try*, so a second caller returns at once instead of queueing a
second multi-minute job.

`latest_centrality` reads the newest run for a date filter and re-checks every key against the
live tables at read time: a record deleted (or merged away) since the run is dropped, so a
stored run never shows what the viewer may no longer see. The read is audited like the live
computation (``analysis.centrality``, with the records shown).
"""

from __future__ import annotations

import contextlib
import resource
import time
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, select, text
from sqlalchemy.orm import Session

from ncen.accounts.actor import Actor
from ncen.analysis.centralitymodels import CentralityRun
from ncen.analysis.entities import GraphNode, NodeKey
from ncen.analysis.graph import audit_read, check_limit
from ncen.analysis.measures import MAX_TOP, Measures, rank_whole_graph
from ncen.analysis.nodes import fetch_nodes
from ncen.audit import record_event
from ncen.policy import Action, require

# Arbitrary constant naming the centrality job's advisory lock (ASCII "CENT").
CENTRALITY_LOCK = 0x43454E54
# Records kept per run: the web shows at most 100; the margin absorbs later deletions.
STORED_TOP = 200
_MEASURES = ("degree", "betweenness", "closeness", "eigenvector", "component", "community")


@dataclass(frozen=True)
class StoredCentrality:
    """A stored run as one viewer may see it now: its figures and the live records, best
    first (records deleted since the run are absent)."""

    run_id: str
    computed_at: datetime
    seizures_from: date | None
    node_count: int
    edge_count: int
    seconds: float
    peak_rss_mib: float
    requested_by: str
    ranked: list[tuple[GraphNode, Measures]]


def compute_and_store_centrality(
    session_or_engine: Session | Engine,
    actor: Actor,
    *,
    seizures_from: date | None = None,
    top: int = STORED_TOP,
    max_age_hours: float | None = None,
) -> CentralityRun | None:
    """Compute the ``top`` most connected records and store them as one `CentralityRun`.

    Returns the new run, or None without computing when another transaction holds the job's
    lock (a computation is already running) or, with ``max_age_hours``, when the latest run
    for ``seizures_from`` is younger than that (checked under the lock, so two processes that
    both found the run stale do not compute it twice in a row). With an engine, one
    transaction is opened and committed here; with a session the caller's transaction is used
    and the lock lasts until the caller commits. Requires ``ANALYSE_NETWORK``; raises
    `ValidationError` for ``top`` outside 1..500. Audited as ``analysis.centrality.computed``
    (figures only: nobody is shown a record by the computation itself).
    """
    require(actor, Action.ANALYSE_NETWORK)
    check_limit(top, field="top", most=MAX_TOP)
    if isinstance(session_or_engine, Engine):
        # Not expired at commit: the caller reads the returned run after the session closes.
        with Session(session_or_engine, expire_on_commit=False) as session, session.begin():
            return _compute(session, actor, seizures_from, top, max_age_hours)
    return _compute(session_or_engine, actor, seizures_from, top, max_age_hours)


def _compute(
    session: Session,
    actor: Actor,
    seizures_from: date | None,
    top: int,
    max_age_hours: float | None,
) -> CentralityRun | None:
    locked = session.execute(
        text("SELECT pg_try_advisory_xact_lock(:k)"), {"k": CENTRALITY_LOCK}
    ).scalar_one()
    if not locked:
        return None
    if max_age_hours is not None and _fresh(session, seizures_from, max_age_hours):
        return None
    _reset_peak_rss()
    started = time.monotonic()
    ranking = rank_whole_graph(session, seizures_from=seizures_from, top=top)
    seconds = time.monotonic() - started
    run = CentralityRun(
        seizures_from=seizures_from,
        node_count=ranking.node_count,
        edge_count=ranking.edge_count,
        seconds=round(seconds, 3),
        peak_rss_mib=round(_peak_rss_mib(), 1),
        top=[{"key": str(key), **m.__dict__} for key, m in ranking.ranked],
        requested_by=actor.username[:120],
    )
    session.add(run)
    session.flush()
    record_event(
        session,
        actor,
        "analysis.centrality.computed",
        record_type="centrality_run",
        record_id=run.id,
        details={
            "seizures_from": seizures_from.isoformat() if seizures_from else None,
            "nodes": run.node_count,
            "edges": run.edge_count,
            "seconds": run.seconds,
            "peak_rss_mib": run.peak_rss_mib,
        },
    )
    return run


def _fresh(session: Session, seizures_from: date | None, max_age_hours: float) -> bool:
    """True if the latest run for ``seizures_from`` is younger than ``max_age_hours``. The
    wall clock, not now(): this transaction may be old, and runs are stamped by the clock."""
    newer = session.execute(
        select(CentralityRun.id)
        .where(_same_filter(seizures_from))
        .where(
            CentralityRun.computed_at
            > text("clock_timestamp() - make_interval(secs => :age)").bindparams(
                age=max_age_hours * 3600
            )
        )
        .limit(1)
    ).first()
    return newer is not None


def _same_filter(seizures_from: date | None) -> Any:
    if seizures_from is None:
        return CentralityRun.seizures_from.is_(None)
    return CentralityRun.seizures_from == seizures_from


def latest_run(session: Session, *, seizures_from: date | None = None) -> CentralityRun | None:
    """The newest stored run for ``seizures_from`` (None: the whole graph), or None. No
    policy check and no audit: it shows no record (the background job's staleness check)."""
    return session.scalars(
        select(CentralityRun)
        .where(_same_filter(seizures_from))
        .order_by(CentralityRun.computed_at.desc(), CentralityRun.id)
        .limit(1)
    ).first()


def latest_centrality(
    session: Session, actor: Actor, *, seizures_from: date | None = None, top: int = 20
) -> StoredCentrality | None:
    """The newest stored run for ``seizures_from`` with its first ``top`` records that are
    still live (looked up now: deleted and merged-away records are dropped), or None if no run
    was stored. Requires ``ANALYSE_NETWORK``; raises `ValidationError` for ``top`` outside
    1..500. Audited as ``analysis.centrality`` with the run and the records shown."""
    require(actor, Action.ANALYSE_NETWORK)
    check_limit(top, field="top", most=MAX_TOP)
    run = latest_run(session, seizures_from=seizures_from)
    if run is None:
        return None
    stored = [
        (NodeKey.parse(row["key"]), Measures(**{name: row[name] for name in _MEASURES}))
        for row in run.top
    ]
    live = fetch_nodes(session, (key for key, _ in stored))
    ranked = [(live[key], m) for key, m in stored if key in live][:top]
    details: dict[str, object] = {
        "seizures_from": seizures_from.isoformat() if seizures_from else None,
        "run": str(run.id),
    }
    audit_read(
        session, actor, "analysis.centrality", None, shown=(n for n, _ in ranked), details=details
    )
    return StoredCentrality(
        run_id=str(run.id),
        computed_at=run.computed_at,
        seizures_from=run.seizures_from,
        node_count=run.node_count,
        edge_count=run.edge_count,
        seconds=run.seconds,
        peak_rss_mib=run.peak_rss_mib,
        requested_by=run.requested_by,
        ranked=ranked,
    )


def _reset_peak_rss() -> None:
    """Reset the kernel's peak-RSS mark (Linux: ``clear_refs`` 5) so that the figure stored
    is the run's peak, not the process's since start; elsewhere the process peak is kept."""
    with contextlib.suppress(OSError):
        Path("/proc/self/clear_refs").write_text("5")


def _peak_rss_mib() -> float:
    """The process's peak resident memory in MiB (``VmHWM``, else ``ru_maxrss``). In a serving
    process it includes what the other threads used meanwhile."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

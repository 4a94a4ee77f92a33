"""Benchmark: audit writes under concurrency, one chain lock per transaction vs one per event.

Starts a throwaway embedded PostgreSQL (two roles, like a node), then runs T threads, each doing
N "page views": a transaction that audits one nominal read, spends R ms "rendering" (sleep, as
Python renders a template while the transaction is open), audits a second read, and commits.

- **batched** (the node today): `record_event` only queues; the chain lock is taken once, at
  commit, for both events.
- **baseline, per event** (the node before issue 12): `flush_events` right after each
  `record_event`, which takes the chain lock at the first event and holds it through the render
  until commit — exactly the old behaviour, measured in the same run on the same server.

Prints page views/s, p50/p95/p99 latency and the chain length verified at the end.

Usage: python benchmarks/bench_audit.py [--threads 16] [--views 40] [--render-ms 20]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import threading
import time
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from ncen.accounts.actor import Actor
from ncen.audit import flush_events, record_event, verify_chain
from ncen.db import make_engine
from ncen.dbroles import APP_ROLE
from ncen.embedded import embedded_database
from ncen.migrate import upgrade


def run(engine: Engine, threads: int, views: int, render_ms: float, per_event: bool) -> dict:
    """Run the page views; return throughput and latency figures."""
    actor = Actor.system("bench")
    latencies: list[float] = []
    lock = threading.Lock()

    def worker(w: int) -> None:
        own: list[float] = []
        for n in range(views):
            started = time.perf_counter()
            with Session(engine) as session, session.begin():
                record_event(session, actor, "person.read", record_id=f"{w}-{n}")
                if per_event:
                    flush_events(session)
                time.sleep(render_ms / 1000)
                record_event(session, actor, "person.read", record_id=f"{w}-{n}-links")
                if per_event:
                    flush_events(session)
            own.append(time.perf_counter() - started)
        with lock:
            latencies.extend(own)

    pool = [threading.Thread(target=worker, args=(w,)) for w in range(threads)]
    started = time.perf_counter()
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    elapsed = time.perf_counter() - started
    q = statistics.quantiles(latencies, n=100)
    return {
        "views/s": len(latencies) / elapsed,
        "p50 ms": q[49] * 1000,
        "p95 ms": q[94] * 1000,
        "p99 ms": q[98] * 1000,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threads", type=int, default=16)
    parser.add_argument("--views", type=int, default=40)
    parser.add_argument("--render-ms", type=float, default=20.0)
    args = parser.parse_args()
    with (
        tempfile.TemporaryDirectory(prefix="ncen-bench-audit-") as tmp,
        embedded_database(Path(tmp) / "pgdata") as urls,
    ):
        owner = make_engine(urls.owner)
        upgrade(owner, app_role=APP_ROLE)
        owner.dispose()
        engine = make_engine(urls.app, pool_size=args.threads, max_overflow=0)
        print(
            f"{args.threads} threads x {args.views} page views, 2 audited reads each, "
            f"{args.render_ms:.0f} ms render inside the transaction"
        )
        for label, per_event in (("baseline: lock per event", True), ("batched at commit", False)):
            figures = run(engine, args.threads, args.views, args.render_ms, per_event)
            shown = ", ".join(f"{k} {v:,.1f}" for k, v in figures.items())
            print(f"{label:<26} {shown}")
        with Session(engine) as session:
            print(f"chain verified: {verify_chain(session):,} events")
        engine.dispose()


if __name__ == "__main__":
    main()

"""Benchmark: saved link charts and timelines on demo data, next to a naive baseline.

Starts a throwaway embedded PostgreSQL, migrates it, loads ``--persons`` persons and
``--seizures`` seizures with the demo loader (`ncen demo`'s COPY path), VACUUM ANALYZEs, and
builds charts of each ``--sizes`` node count from the seizures and their participants (a
seizure, then its persons, companies and conveyances, then the next seizure: connected charts
like an analyst's). Then, for each size, ``--runs`` times, one session and transaction each (the
audit events included, as in the web views):

1. ``save_chart`` (validation, the graph read, the snapshot; committed);
2. ``open_chart`` (the graph now, compared with the snapshot);
3. the measures panel: ``graph_state`` (nodes and the edges among them, one batched neighbour
   read) and ``measure`` (rustworkx);
4. baseline: the same edges among the nodes found with one ``expand`` per node (what a client
   would do, and what the first version of the snapshot did);
5. ``build_timeline`` for the chart's records.

Prints p50/p95 in milliseconds. Usage:
python benchmarks/bench_charts.py [--persons 20000] [--seizures 20000] [--sizes 20,50,200]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import Engine, text
from sqlalchemy.orm import Session

from ncen.accounts.actor import Actor
from ncen.accounts.services import create_user
from ncen.analysis.chartdiff import graph_state
from ncen.analysis.charts import open_chart, save_chart
from ncen.analysis.graph import NodeKey, expand
from ncen.analysis.measures import measure
from ncen.analysis.timeline import build_timeline
from ncen.db import make_engine
from ncen.dbroles import APP_ROLE
from ncen.demo.load import DemoPlan, load_demo
from ncen.embedded import embedded_database
from ncen.migrate import upgrade

LINKS = (
    ("person", "seizure_persons", "person_id"),
    ("company", "seizure_companies", "company_id"),
    ("conveyance", "seizure_conveyances", "conveyance_id"),
)


def make_analyst(engine: Engine) -> Actor:
    with Session(engine) as session, session.begin():
        user = create_user(
            session,
            Actor.system("bench"),
            username="bench-charts",
            display_name="Benchmark analyst",
            password="correct horse battery staple 42",
            roles=["analyst"],
            must_change_password=False,
        )
        return Actor.of(user)


def chart_nodes(engine: Engine, size: int, offset: int) -> list[NodeKey]:
    """``size`` connected keys: seizures (skipping ``offset`` of them) and their participants."""
    keys: list[NodeKey] = []
    with engine.connect() as conn:
        seizures = conn.execute(
            text(
                "SELECT s.id FROM seizures s WHERE s.deleted_at IS NULL AND EXISTS "
                "(SELECT 1 FROM seizure_persons p WHERE p.seizure_id = s.id) "
                "ORDER BY s.id OFFSET :offset LIMIT :limit"
            ),
            {"offset": offset, "limit": size},
        ).scalars()
        for seizure_id in seizures:
            keys.append(NodeKey("seizure", seizure_id))
            for kind, table, column in LINKS:
                rows = conn.execute(
                    text(f"SELECT {column} FROM {table} WHERE seizure_id = :id"),
                    {"id": seizure_id},
                ).scalars()
                keys.extend(NodeKey(kind, row) for row in rows)
            if len(dict.fromkeys(keys)) >= size:
                break
    return list(dict.fromkeys(keys))[:size]


def timed(engine: Engine, runs: int, work: Callable[[Session, int], object]) -> list[float]:
    """Milliseconds of ``work`` (in its own committed transaction) over ``runs`` runs."""
    times = []
    for run in range(runs):
        with Session(engine) as session, session.begin():
            started = time.perf_counter()
            work(session, run)
            session.flush()
        times.append((time.perf_counter() - started) * 1000)
    return times


def naive_edges(session: Session, actor: Actor, keys: list[NodeKey]) -> int:
    """The baseline: one expansion per node, keeping the edges whose both ends are charted."""
    present = set(keys)
    edges = set()
    for key in keys:
        for edge in expand(session, actor, key, limit=200).edges:
            if edge.source in present and edge.target in present:
                edges.add((edge.source, edge.target, edge.kind))
    return len(edges)


def run_size(engine: Engine, actor: Actor, keys: list[NodeKey], runs: int) -> None:
    """Time each piece of work on the chart of ``keys`` and print its line."""
    names = iter(f"bench {len(keys)} {uuid.uuid4()}" for _ in range(runs))
    saved: list[uuid.UUID] = []
    nodes = [str(k) for k in keys]

    def save(session: Session, _run: int) -> None:
        saved.append(save_chart(session, actor, name=next(names), nodes=nodes).id)

    def reopen(session: Session, run: int) -> None:
        open_chart(session, actor, saved[run])

    def measures(session: Session, _run: int) -> None:
        state = graph_state(session, actor, keys)
        measure([n.key for n in state.nodes], [(e.source, e.target) for e in state.edges])

    def baseline(session: Session, _run: int) -> None:
        naive_edges(session, actor, keys)

    def timeline(session: Session, _run: int) -> None:
        build_timeline(session, actor, keys)

    with Session(engine) as session, session.begin():
        edges = len(graph_state(session, actor, keys).edges)
        assert naive_edges(session, actor, keys) == edges, "baseline disagrees"
    for label, work in (
        ("save_chart", save),
        ("open_chart (graph now + what changed)", reopen),
        ("measures (graph_state batched + measure)", measures),
        ("baseline: edges by one expand per node", baseline),
        ("build_timeline", timeline),
    ):
        times = timed(engine, runs, work)
        print(f"{len(keys):>5} {edges:>5}  {label:<44} "
              f"{statistics.median(times):>8.1f} {p(times, 0.95):>8.1f}")  # fmt: skip


def p(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--persons", type=int, default=20_000)
    parser.add_argument("--seizures", type=int, default=20_000)
    parser.add_argument("--sizes", default="20,50,200")
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    sizes = [int(size) for size in args.sizes.split(",")]
    with (
        tempfile.TemporaryDirectory(prefix="ncen-bench-") as tmp,
        embedded_database(Path(tmp) / "pgdata") as urls,
    ):
        owner = make_engine(urls.owner)
        upgrade(owner, app_role=APP_ROLE)
        engine = make_engine(urls.app)
        started = time.perf_counter()
        load_demo(engine, DemoPlan(persons=args.persons, seizures=args.seizures, seed=args.seed))
        # As the owner: the application role may not ANALYZE the tables, and without their
        # statistics the planner guesses (8 live persons of 20,000) and picks nested loops.
        with owner.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("VACUUM ANALYZE"))
        owner.dispose()
        print(f"demo load {args.persons:,} persons, {args.seizures:,} seizures: "
              f"{time.perf_counter() - started:.1f} s")  # fmt: skip
        actor = make_analyst(engine)
        print(f"{'nodes':>5} {'edges':>5}  {'work':<44} {'p50 ms':>8} {'p95 ms':>8}")
        for index, size in enumerate(sizes):
            run_size(engine, actor, chart_nodes(engine, size, offset=index * 500), args.runs)
        engine.dispose()


if __name__ == "__main__":
    main()

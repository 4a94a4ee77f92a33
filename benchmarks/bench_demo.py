"""Benchmark: `ncen demo` bulk load versus raw PostgreSQL COPY, in the same run.

Starts a throwaway embedded PostgreSQL, migrates it, then
1. runs the demo loader (`ncen.demo.load.load_demo`, what `ncen demo` calls) for N persons and
   M seizures, with the planted networks and (unless --no-pictures) their drawn concealment
   pictures stored in a temporary picture store, timing it and recording this process's peak
   RSS; the pictures' share of the time is reported separately;
2. measures the raw COPY rate of the same server: the same number of rows of a narrow
   (uuid, int, text) table with no indexes, written with psycopg's COPY from pre-built tuples
   (as the schema owner: the application role may not create tables).

Usage: python benchmarks/bench_demo.py [--persons 1000000] [--seizures 10000] [--no-pictures]
(``ncen demo`` itself loads 5,000 persons and 10,000 seizures by default.)
"""

from __future__ import annotations

import argparse
import resource
import tempfile
import time
import uuid
from pathlib import Path

from sqlalchemy import text

from ncen.db import make_engine
from ncen.dbroles import APP_ROLE
from ncen.demo.load import DemoPlan, load_demo
from ncen.embedded import embedded_database
from ncen.migrate import upgrade
from ncen.pictures.store import PictureStore


def peak_rss_mb() -> float:
    """This process's peak resident set size so far, in MiB (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def raw_copy_rate(engine, rows: int) -> tuple[float, float]:
    """Seconds and rows/s for COPYing ``rows`` pre-built narrow rows into an unindexed table."""
    data = [(uuid.uuid4(), i, f"name {i}") for i in range(rows)]
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE bench_copy (id uuid, n integer, name text)"))
        raw = conn.connection.driver_connection
        started = time.perf_counter()
        with raw.cursor() as cur, cur.copy("COPY bench_copy (id, n, name) FROM STDIN") as copy:
            for row in data:
                copy.write_row(row)
        elapsed = time.perf_counter() - started
        conn.execute(text("DROP TABLE bench_copy"))
    return elapsed, rows / elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--persons", type=int, default=1_000_000)
    parser.add_argument("--seizures", type=int, default=10_000)
    parser.add_argument(
        "--no-pictures", dest="pictures", action="store_false", help="load no demo pictures"
    )
    args = parser.parse_args()

    with (
        tempfile.TemporaryDirectory(prefix="ncen-bench-") as tmp,
        embedded_database(Path(tmp) / "pgdata") as urls,
    ):
        owner = make_engine(urls.owner)
        upgrade(owner, app_role=APP_ROLE)
        engine = make_engine(urls.app)
        idle_rss = peak_rss_mb()
        plan = DemoPlan(persons=args.persons, seizures=args.seizures)
        marks: dict[str, float] = {}

        def progress(kind: str, _n: int) -> None:
            marks[kind] = time.perf_counter()

        extra = {"pictures": PictureStore(Path(tmp) / "pictures")} if args.pictures else {}
        started = time.perf_counter()
        counts = load_demo(engine, plan, progress, **extra)
        demo_seconds = time.perf_counter() - started
        demo_rss = peak_rss_mb()
        # The pictures are attached right after the last seizure batch (`load_demo_into`).
        picture_seconds = marks["pictures"] - marks["seizures"] if "pictures" in marks else 0.0
        copy_seconds, copy_rate = raw_copy_rate(owner, counts["rows"])
        engine.dispose()
        owner.dispose()

    demo_rate = counts["rows"] / demo_seconds
    print(f"ncen demo --persons {args.persons} --seizures {args.seizures}")
    print(
        f"  records: {counts['persons']:,} persons, {counts['companies']:,} companies, "
        f"{counts['conveyances']:,} conveyances, {counts['seizures']:,} seizures"
    )
    print(
        f"  rows written (all tables, incl. names, documents, links, history): {counts['rows']:,}"
    )
    print(f"{'':34}{'seconds':>10}{'rows/s':>14}")
    print(f"{'demo load (generate + COPY)':34}{demo_seconds:>10.1f}{demo_rate:>14,.0f}")
    print(f"{'raw COPY, same row count':34}{copy_seconds:>10.1f}{copy_rate:>14,.0f}")
    print(
        f"  planted records: {counts.get('planted', 0)}, pictures: {counts.get('pictures', 0)} "
        f"(drawn, checked, stored and attached in {picture_seconds:.1f} s of the load)"
    )
    print(
        f"  demo load reaches {demo_rate / copy_rate:.0%} of the raw COPY rate "
        "(its rows are wider and indexed)"
    )
    print(
        f"  peak RSS of the loading process: {demo_rss:,.0f} MiB "
        f"({demo_rss - idle_rss:,.0f} MiB over the idle process)"
    )


if __name__ == "__main__":
    main()

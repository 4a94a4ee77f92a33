"""Profile: where a person name search spends its time, on a kept haystack.

Joins (or starts) the cluster a search benchmark kept with ``--data-dir DIR``
(`bench_search_traditions.py`, `bench_search.py`), runs the labelled queries of both sets
through `ncen.search.persons.search_persons` as that benchmark does (one session and
transaction per query), and reports:

- the service time per query (p50/p95) and the share of it spent in SQL statements;
- per statement shape (its first words): how many ran, their total and p95 time, rows returned;
- the slowest queries with their statements;
- with ``--explain N``: EXPLAIN (ANALYZE, BUFFERS) of every retrieval statement of the N
  slowest queries (`ncen.search.persons.retrieval_statements`);
- with ``--cprofile``: the Python functions with the most cumulative time.

Usage: python benchmarks/profile_search.py --data-dir DIR [--limit N] [--explain 3] [--cprofile]
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import re
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

import search_evalset_traditions as traditions
import search_queries
from bench_search_traditions import person_query
from sqlalchemy import event, select, text
from sqlalchemy.orm import Session
from timing import percentiles

from ncen.accounts.actor import Actor
from ncen.accounts.models import User
from ncen.db import make_engine
from ncen.embedded import embedded_database
from ncen.search.keys import analyse
from ncen.search.persons import retrieval_statements, search_persons


def shape(statement: str) -> str:
    """A statement's shape: its first words, literals and parameters dropped."""
    flat = re.sub(r"\s+", " ", statement).strip()
    return re.sub(r"%\(\w+\)s|'[^']*'", "?", flat)[:90]


class Recorder:
    """Times every statement the engine runs, attributed to the current query."""

    def __init__(self) -> None:
        self.current: list[tuple[str, float, int]] = []
        self._started: dict[int, float] = {}

    def attach(self, engine: Any) -> None:
        @event.listens_for(engine, "before_cursor_execute")
        def before(conn, cursor, statement, parameters, context, executemany):  # noqa: PLR0917
            self._started[id(cursor)] = time.perf_counter()

        @event.listens_for(engine, "after_cursor_execute")
        def after(conn, cursor, statement, parameters, context, executemany):  # noqa: PLR0917
            took = time.perf_counter() - self._started.pop(id(cursor), time.perf_counter())
            self.current.append((shape(statement), took, cursor.rowcount))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, required=True)
    parser.add_argument("--limit", type=int, default=None, help="queries of each set")
    parser.add_argument("--explain", type=int, default=0)
    parser.add_argument("--cprofile", action="store_true")
    parser.add_argument("--username", default="bench-traditions")
    args = parser.parse_args()
    queries = [*search_queries.build(11).queries, *traditions.build(14).queries]
    if args.limit:
        queries = queries[: args.limit]
    with embedded_database(args.data_dir.resolve() / "pgdata") as urls:
        engine = make_engine(urls.app)
        with Session(engine) as session:
            user = session.scalars(select(User).where(User.username == args.username)).one()
            actor = Actor.of(user)
        recorder = Recorder()
        recorder.attach(engine)
        per_query: list[tuple[float, str, list[tuple[str, float, int]]]] = []
        profiler = cProfile.Profile() if args.cprofile else None
        for q in queries:
            recorder.current = []
            started = time.perf_counter()
            with Session(engine) as session, session.begin():
                if profiler:
                    profiler.enable()
                search_persons(session, actor, person_query(q))
                if profiler:
                    profiler.disable()
                took = time.perf_counter() - started
            per_query.append((took, q.text, recorder.current))
        report(per_query)
        if profiler:
            pstats.Stats(profiler).sort_stats("cumulative").print_stats(45)
        slowest = sorted(per_query, reverse=True)[: args.explain]
        for _, name, _ in slowest:
            explain(engine, name, queries)
        engine.dispose()


def report(per_query: list[tuple[float, str, list[tuple[str, float, int]]]]) -> None:
    times = [t for t, _, _ in per_query]
    p50, p95 = percentiles(times)
    sql = sum(s for _, _, st in per_query for _, s, _ in st)
    print(f"{len(times)} queries: service p50 {p50:.1f} ms, p95 {p95:.1f} ms")
    print(f"  total {sum(times):.1f} s, of which SQL {sql:.1f} s\n")
    shapes: dict[str, list[tuple[float, int]]] = defaultdict(list)
    for _, _, statements in per_query:
        for s, took, rows in statements:
            shapes[s].append((took, rows))
    print(f"{'count':>6}{'total s':>9}{'p95 ms':>8}{'rows/run':>9}  statement")
    for s, runs in sorted(shapes.items(), key=lambda kv: -sum(t for t, _ in kv[1])):
        _, p95s = percentiles([t for t, _ in runs])
        rows = sum(r for _, r in runs) / len(runs)
        print(f"{len(runs):>6}{sum(t for t, _ in runs):>9.2f}{p95s:>8.1f}{rows:>9.0f}  {s}")
    print("\nslowest queries:")
    for took, name, statements in sorted(per_query, key=lambda x: x[0], reverse=True)[:15]:
        in_sql = sum(t for _, t, _ in statements)
        print(f"  {took * 1000:7.1f} ms (SQL {in_sql * 1000:6.1f}, {len(statements)} stmts) {name}")
        for s, t, rows in sorted(statements, key=lambda x: -x[1])[:4]:
            print(f"      {t * 1000:7.1f} ms {rows:>6} rows  {s[:70]}")


def explain(engine: Any, name: str, queries: list[Any]) -> None:
    query = next(person_query(q) for q in queries if q.text == name)
    with Session(engine) as session, session.begin():
        session.execute(text("SET LOCAL enable_seqscan = off"))
        session.execute(text("SET LOCAL enable_indexscan = off"))
        for statement in retrieval_statements(session, query, analyse(query.name)):
            compiled = statement.compile(
                dialect=engine.dialect, compile_kwargs={"literal_binds": True}
            )
            plan = session.execute(text(f"EXPLAIN (ANALYZE, BUFFERS) {compiled}")).scalars()
            print(f"\n=== {name}\n" + "\n".join(plan))


if __name__ == "__main__":
    main()

"""Benchmark: the entity graph at demo size, next to an in-memory networkx baseline of the same run.

Starts a throwaway embedded PostgreSQL, migrates it, loads the demo data (`ncen.demo.load`) and
adds what the demo does not generate but the graph reads, in proportion to its size (`enrich`):
phone numbers (one person in five, each number shared by two or three persons), addresses
(one in four, a pool of a third as many addresses), employment links (one person in ten) and a
hub company in 5 % of the seizures. Then ANALYZE, and for a sample of persons that took part
in seizures it times, through the services as an analyst (each call audited and committed,
as on the web):

- ``associates`` of a person;
- a 2-hop expansion from a person (`expand_many`, 50 per edge kind, 500 nodes at most);
- expanding the hub company (`expand`, 50 shown, the rest counted);
- the shortest paths between two records 2 to 4 hops apart (`find_paths`), next to the same
  search by networkx (``all_shortest_paths``) over the whole graph loaded in memory beforehand
  (`ncen.analysis.snapshot.load_graph` + conversion; its load time is printed too);
- whole-graph centrality (`whole_graph_centrality`, top 20): time and peak RSS, in a fresh
  process next to the same process idle; the background job (`compute_and_store_centrality`)
  with the time and peak RSS it stores, and the web's read of the stored run (p50/p95); then
  rustworkx (as `measure` runs it) next to networkx computing degree, eigenvector centrality
  and components on the whole graph and betweenness, closeness and Louvain on the same
  ``--compare-core`` core.

Targets (issue 9, at 1,000,000 persons and 1,000,000 seizures): associates and 2-hop
expansion p95 <= 100 ms, shortest path <= 4 hops p95 <= 300 ms.

Usage: python benchmarks/bench_graph.py [--persons 5000] [--seizures 10000] [--runs 40]
       [--skip-baseline-centrality] [--compare-core 1000]
"""

from __future__ import annotations

import argparse
import multiprocessing
import random
import resource
import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import networkx as nx
import rustworkx as rx
from scale import add_scale_arguments, demo_database
from sqlalchemy import Engine, text
from sqlalchemy.orm import Session
from timing import percentiles

from ncen.accounts.actor import Actor
from ncen.accounts.models import Role
from ncen.accounts.services import create_user
from ncen.analysis.associates import associates
from ncen.analysis.centrality_store import compute_and_store_centrality, latest_centrality
from ncen.analysis.entities import NodeKey
from ncen.analysis.graph import expand, expand_many
from ncen.analysis.measures import (
    CORE_NODES,
    LOUVAIN_SEED,
    core_of,
    measure,
    whole_graph_centrality,
)
from ncen.analysis.paths import find_paths
from ncen.analysis.snapshot import load_graph
from ncen.db import make_engine

TARGET_NEAR_MS = 100
TARGET_PATH_MS = 300

ENRICH = [
    # Phones: one person in five; number n is shared by the persons n, n+1 (and sometimes n+2).
    """
    INSERT INTO person_contacts (id, person_id, kind, value, value_norm)
    SELECT gen_random_uuid(), id, 'phone', '+7 701 ' || (n / 2), '+7701' || (n / 2)
    FROM (SELECT id, row_number() OVER (ORDER BY id) AS n FROM persons
          WHERE random() < 0.2) AS p
    """,
    # Addresses: one person in four, drawn from a pool a third as large.
    """
    INSERT INTO person_addresses (id, person_id, line, city, country)
    SELECT gen_random_uuid(), id, (n % greatest(1, c / 3)) || ' Abay Avenue', 'Almaty', 'KZ'
    FROM (SELECT id, row_number() OVER (ORDER BY random()) AS n,
                 count(*) OVER () AS c FROM persons WHERE random() < 0.25) AS p
    """,
    # Employment: one person in ten is director or employee of a random company.
    """
    INSERT INTO person_companies (id, person_id, company_id, role)
    SELECT gen_random_uuid(), p.id, c.id, CASE WHEN random() < 0.3 THEN 'director'
           ELSE 'employee' END
    FROM (SELECT id, (random() * (SELECT count(*) - 1 FROM companies))::int AS k
          FROM persons WHERE random() < 0.1) AS p
    JOIN (SELECT id, (row_number() OVER (ORDER BY id) - 1)::int AS k FROM companies) AS c
      ON c.k = p.k
    """,
    # A hub: the first company also carried 5 % of all seizures.
    """
    INSERT INTO seizure_companies (id, seizure_id, company_id, role)
    SELECT gen_random_uuid(), s.id, (SELECT id FROM companies ORDER BY id LIMIT 1), 'carrier'
    FROM seizures s WHERE random() < 0.05
    ON CONFLICT DO NOTHING
    """,
]


def timed(action: Callable[[], object]) -> float:
    """Seconds one call of ``action`` takes."""
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def rss_mib() -> float:
    """Peak resident set size of this process so far, MiB: VmHWM, which a new program starts
    afresh (ru_maxrss survives exec, so a spawned child would report its parent's peak)."""
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def enrich(engine: Engine, owner: Engine) -> None:
    """Add phones, addresses, employment and a hub (see module docstring); then VACUUM ANALYZE
    as the owner (the application role may not analyse the tables: the planner would work
    without statistics, as no running node does)."""
    with engine.begin() as conn:
        conn.execute(text("SELECT setseed(0.2026)"))
        for statement in ENRICH:
            conn.execute(text(statement))
    with owner.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("VACUUM ANALYZE"))


def in_service(
    engine: Engine, actor: Actor, call: Callable[[Session], object]
) -> Callable[[], object]:
    """``call`` in its own committed transaction, as a web request runs it."""

    def run() -> object:
        with Session(engine) as session, session.begin():
            return call(session)

    return run


def nx_graph(engine: Engine) -> tuple[nx.Graph[NodeKey], float]:
    """The whole live graph as a networkx graph, and the seconds loading it took."""
    started = time.perf_counter()
    with Session(engine) as session:
        graph = load_graph(session)
    result: nx.Graph[NodeKey] = nx.Graph()
    result.add_nodes_from(graph.nodes())
    result.add_edges_from((graph[a], graph[b]) for a, b in graph.edge_list())
    return result, time.perf_counter() - started


def path_pairs(
    graph: nx.Graph[NodeKey], starts: list[NodeKey], rng: random.Random
) -> list[tuple[NodeKey, NodeKey, int]]:
    """For each start, a record 2 to 4 hops away (the farthest such, then random)."""
    pairs = []
    for start in starts:
        if start not in graph:
            continue
        distances = nx.single_source_shortest_path_length(graph, start, cutoff=4)
        far = [k for k, d in distances.items() if d >= 2 and k.kind != "seizure"]
        if far:
            longest = max(distances[k] for k in far)
            target = rng.choice([k for k in far if distances[k] == longest])
            pairs.append((start, target, longest))
    return pairs


def compare_centrality(graph: nx.Graph[NodeKey], core_size: int) -> None:
    """rustworkx (as `measure` runs it) against networkx: degree, eigenvector and components
    on the whole graph, betweenness, closeness and Louvain on the same ``core_size`` core."""
    keys = list(graph.nodes)
    index = {k: i for i, k in enumerate(keys)}
    edges = [(index[a], index[b]) for a, b in graph.edges]
    started = time.perf_counter()
    whole = rx.PyGraph(multigraph=False)
    whole.add_nodes_from(keys)
    whole.add_edges_from_no_data(edges)
    rx.eigenvector_centrality(whole, max_iter=500, tol=1e-6)
    rx.connected_components(whole)
    core = core_of(whole, core_size)
    inside = set(core)
    measure(
        [keys[i] for i in core],
        [(keys[a], keys[b]) for a, b in edges if a in inside and b in inside],
    )
    ours = time.perf_counter() - started
    started = time.perf_counter()
    nx.degree_centrality(graph)
    nx.eigenvector_centrality(graph, max_iter=500, tol=1e-6)
    list(nx.connected_components(graph))
    sub = graph.subgraph(keys[i] for i in core)
    nx.betweenness_centrality(sub)
    nx.closeness_centrality(sub)
    nx.community.louvain_communities(sub, seed=LOUVAIN_SEED)
    baseline = time.perf_counter() - started
    print(
        f"same measures, {core_size}-node core: rustworkx {ours:.1f} s, "
        f"baseline networkx {baseline:.1f} s"
    )


def centrality_job(url: str, results: Any) -> None:
    """In a fresh process: time `whole_graph_centrality` and report the peak RSS."""
    engine = make_engine(url)
    started = time.perf_counter()
    with Session(engine) as session, session.begin():
        whole_graph_centrality(session, Actor.system("bench"), top=20)
    results.put((time.perf_counter() - started, rss_mib()))
    engine.dispose()


def stored_job(url: str, results: Any) -> None:
    """In a fresh process: `compute_and_store_centrality` (what ``ncen serve`` runs in the
    background), reporting the seconds and peak RSS it stored in its run."""
    engine = make_engine(url)
    run = compute_and_store_centrality(engine, Actor.system("bench"))
    assert run is not None, "another centrality computation holds the lock"
    results.put((run.seconds, run.peak_rss_mib))
    engine.dispose()


def idle_job(url: str, results: Any) -> None:
    """In a fresh process: the peak RSS after the same imports and a connection, no work."""
    engine = make_engine(url)
    with engine.connect() as conn:
        conn.execute(text("SELECT 1"))
    results.put((0.0, rss_mib()))
    engine.dispose()


def in_child(job: Callable[[str, Any], None], url: str) -> tuple[float, float]:
    """Run ``job`` in a spawned process (its own peak RSS) and return what it reported."""
    context = multiprocessing.get_context("spawn")
    results = context.Queue()
    process = context.Process(target=job, args=(url, results))
    process.start()
    seconds, peak = results.get()
    process.join()
    return seconds, peak


def main() -> None:  # noqa: PLR0915 - one linear script, easier to read whole
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_scale_arguments(parser, 5_000, 10_000)
    parser.add_argument("--runs", type=int, default=40)
    parser.add_argument("--skip-baseline-centrality", action="store_true")
    parser.add_argument("--compare-core", type=int, default=1000)
    args = parser.parse_args()
    rng = random.Random(2026)

    with demo_database(args.persons, args.seizures, args.data_dir) as db:
        urls = db.urls
        owner = make_engine(urls.owner)
        engine = make_engine(urls.app)
        started = time.perf_counter()
        # A kept cluster (--data-dir) is enriched once: a marker table says it was.
        with owner.begin() as conn:
            enriched = conn.execute(text("SELECT to_regclass('bench_graph_enriched')")).scalar()
        if enriched is None:
            enrich(engine, owner)
            with owner.begin() as conn:
                conn.execute(text("CREATE TABLE bench_graph_enriched ()"))
        owner.dispose()
        print(
            f"demo {args.persons} persons, {args.seizures} seizures (load {db.load_seconds:.0f} s"
            f" this run), enriched in {time.perf_counter() - started:.1f} s"
        )
        with Session(engine) as session, session.begin():
            user = create_user(
                session,
                Actor.system("bench"),
                username=f"bench.analyst.{int(time.time())}",
                display_name="Benchmark analyst",
                password="benchmark passphrase 2026",
                roles=[Role.ANALYST],
                must_change_password=False,
            )
            actor = Actor.of(user)
        with engine.connect() as conn:
            sample = [
                NodeKey("person", row[0])
                for row in conn.execute(
                    text(
                        "SELECT DISTINCT person_id FROM seizure_persons ORDER BY person_id LIMIT :n"
                    ),
                    {"n": max(args.runs * 4, 200)},
                )
            ]
        rng.shuffle(sample)
        people = sample[: args.runs]

        rows: list[tuple[str, tuple[float, float], str]] = []
        for key in people[:3]:  # warm the caches as a running node would be
            in_service(engine, actor, lambda s, k=key: associates(s, actor, k))()
        near = [
            timed(in_service(engine, actor, lambda s, k=k: associates(s, actor, k))) for k in people
        ]
        rows.append(
            ("associates of a person", percentiles(near), f"target p95 <= {TARGET_NEAR_MS} ms")
        )
        sizes: list[int] = []

        def two_hops(session: Session, key: NodeKey) -> object:
            result = expand_many(session, actor, [key], hops=2, limit=50, max_nodes=500)
            sizes.append(len(result.nodes))
            return result

        hop = [timed(in_service(engine, actor, lambda s, k=k: two_hops(s, k))) for k in people]
        rows.append(
            (
                f"2-hop expansion (median {statistics.median(sizes):.0f} nodes)",
                percentiles(hop),
                f"target p95 <= {TARGET_NEAR_MS} ms",
            )
        )

        with engine.connect() as conn:
            hub_id, hub_seizures = conn.execute(
                text(
                    "SELECT company_id, count(*) FROM seizure_companies "
                    "GROUP BY company_id ORDER BY count(*) DESC LIMIT 1"
                )
            ).one()
        hub = NodeKey("company", hub_id)
        hub_more: list[int] = []

        def expand_hub(session: Session) -> object:
            result = expand(session, actor, hub, limit=50)
            hub_more.append(result.more.get("participation", 0))
            return result

        capped = [timed(in_service(engine, actor, expand_hub)) for _ in range(args.runs)]
        rows.append(
            (
                f"expand the hub ({hub_seizures} seizures, 50 shown)",
                percentiles(capped),
                f"'and {hub_more[0]} more' counted, bounded",
            )
        )

        seconds, peak = in_child(centrality_job, urls.app)
        _, idle = in_child(idle_job, urls.app)
        print(
            f"whole-graph centrality (rustworkx, Louvain on the {CORE_NODES}-node core): "
            f"{seconds:.1f} s, peak RSS {peak:.0f} MiB in a fresh process "
            f"(the same process idle after imports: {idle:.0f} MiB)",
            flush=True,
        )
        stored_seconds, stored_peak = in_child(stored_job, urls.app)
        print(
            f"compute_and_store_centrality (the background job): {stored_seconds:.1f} s, "
            f"peak RSS {stored_peak:.0f} MiB, as stored in its centrality_runs row",
            flush=True,
        )
        read = [
            timed(in_service(engine, actor, lambda s: latest_centrality(s, actor, top=20)))
            for _ in range(args.runs)
        ]
        rows.append(
            (
                "most connected: read the stored run (web request)",
                percentiles(read),
                "top 20, re-checked live and audited; never computes",
            )
        )
        graph, load_seconds = nx_graph(engine)
        print(
            f"networkx graph: {graph.number_of_nodes()} nodes, {graph.number_of_edges()} edges, "
            f"loaded in {load_seconds:.1f} s"
        )
        pairs = path_pairs(graph, sample[args.runs :], rng)[: args.runs]
        hops = [d for _, _, d in pairs]
        sql_times, nx_times, nx_one, agree = [], [], [], 0
        for a, b, _ in pairs:
            found: list[int] = []

            def search(
                session: Session, a: NodeKey = a, b: NodeKey = b, found: list[int] = found
            ) -> object:
                result = find_paths(session, actor, a, b, max_hops=4, limit=5)
                found.append(len(result.paths[0].edges) if result.paths else -1)
                return result

            sql_times.append(timed(in_service(engine, actor, search)))
            started = time.perf_counter()
            baseline = list(nx.all_shortest_paths(graph, a, b))[:5]
            nx_times.append(time.perf_counter() - started)
            started = time.perf_counter()
            nx.bidirectional_shortest_path(graph, a, b)
            nx_one.append(time.perf_counter() - started)
            if found[0] == len(baseline[0]) - 1:
                agree += 1
            else:
                print(
                    f"  differ: {a} -> {b}: ours {found[0]} hops, networkx {len(baseline[0]) - 1}"
                )
        label = f"shortest paths, {min(hops, default=0)}-{max(hops, default=0)} hops"
        rows.append((label, percentiles(sql_times), f"target p95 <= {TARGET_PATH_MS} ms"))
        rows.append(
            (
                "  baseline: networkx all_shortest_paths in memory",
                percentiles(nx_times),
                f"+ {load_seconds:.1f} s to load the graph first",
            )
        )
        rows.append(
            (
                "  baseline: networkx one bidirectional path",
                percentiles(nx_one),
                "one path only, same in-memory graph",
            )
        )
        print(f"path lengths agree with networkx on {agree} of {len(pairs)} pairs")
        print()
        print(f"{'work':<52} {'p50 ms':>9} {'p95 ms':>9}  note")
        for name, (p50, p95), note in rows:
            print(f"{name:<52} {p50:>9.1f} {p95:>9.1f}  {note}")
        print(flush=True)

        if not args.skip_baseline_centrality:
            compare_centrality(graph, args.compare_core)
        engine.dispose()


if __name__ == "__main__":
    main()

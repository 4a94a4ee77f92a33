"""Benchmark: person name search quality and latency, identifier lookups, and naive baselines.

Starts a throwaway embedded PostgreSQL, migrates it, loads N persons with the demo loader
(`ncen demo`'s COPY path, keys included), then creates the labelled evaluation set of
`search_queries` (targets and similar-but-different distractors) through the person services,
and VACUUM ANALYZEs (``--data-dir DIR`` keeps that haystack in DIR, and later runs with the same
persons and seeds reuse it: `scale.kept_cluster`). Then, in the same run:

1. every labelled query goes through `ncen.search.persons.search_persons` (one session and
   transaction per query, audit event included): recall@1, recall@10, MRR per kind, the
   false-positive rate at the strong-match threshold (`ncen.search.results.STRONG_MATCH`: a
   top hit at or above it) on the negative queries, per kind: the first set's strangers and
   the generated negatives of `search_negatives` (recombined names, namesakes with a
   conflicting birth year, other-gender forms); the precision-recall curve at thresholds
   0.70 to 0.95 (recall: the target in the top 10 at or above the threshold; FPR: negatives
   whose top hit reaches it); p50/p95 latency of the service call, and of the whole unit of
   work (session, service call, commit);
2. a sample of the same queries through two baselines: a naive ``full_name ILIKE '%query%'``
   and a rapidfuzz full scan (token_sort_ratio) over every stored Latin name key;
3. identity document lookups through `ncen.search.identifiers.search_identifiers` with the
   numbers retyped (lower case, spaces, dashes): p50/p95;
4. with ``--http`` (the default; ``--no-http`` skips it): the real app (``web.create_app``) under
   waitress in a separate process on 127.0.0.1, an analyst signed in through the sign-in form
   with a standard-library client (cookie jar, CSRF token from the form), and every labelled
   query sent once to ``GET /search/persons?q=...`` (the name only: the page has birth-year
   range filters, not the service's birth-year hint; the page asks the service for up to 100
   hits and renders 20): p50/p95 of the whole request, and the server process's peak
   resident memory (VmHWM from /proc) after the loop.

Usage: python benchmarks/bench_search.py [--persons 100000] [--baseline-sample 40] [--no-http]
       [--data-dir DIR]
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from collections import defaultdict
from pathlib import Path

from rapidfuzz import fuzz, process
from scale import analyze, kept_cluster, kept_ids
from search_devset import add_development
from search_http import Client, http_latencies, memory, serve
from search_negatives import add_negatives
from search_queries import build
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from ncen.accounts.actor import Actor
from ncen.accounts.models import User
from ncen.accounts.services import create_user
from ncen.db import make_engine
from ncen.demo.load import DemoPlan, load_demo
from ncen.persons.services import create_person
from ncen.search.identifiers import search_identifiers
from ncen.search.persons import search_persons
from ncen.search.query import PersonQuery, SearchOptions
from ncen.search.transliterate import to_latin

try:
    from ncen.search.results import STRONG_MATCH as STRONG
except ImportError:  # a tree from before the threshold was one constant (compare runs)
    STRONG = 0.85
CURVE = (0.70, 0.75, 0.80, 0.85, 0.88, 0.90, 0.92, 0.95)
USERNAME, PASSWORD = "bench-analyst", "correct horse battery staple 42"
RSS_LIMIT_MB = 400
NAIVE = text("SELECT DISTINCT person_id FROM person_names WHERE full_name ILIKE :p LIMIT 10")


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] * 1000


def create_population(engine, ev):
    """Targets and distractors through the services; returns key -> person id."""
    system = Actor.system("bench")
    ids = {}
    people = ev.targets + ev.distractors
    for start in range(0, len(people), 100):
        with Session(engine) as session, session.begin():
            for p in people[start : start + 100]:
                data = {
                    "names": [{"full_name": n} for n in p.names],
                    "gender": p.gender,
                    "birth_year": p.birth_year,
                    "nationalities": [p.nationality],
                }
                ids[p.key] = create_person(session, system, data).id
    return ids


def make_analyst(engine):
    with Session(engine) as session, session.begin():
        # A kept haystack (--data-dir) already holds the analyst of an earlier run.
        user = session.scalars(select(User).where(User.username == USERNAME)).one_or_none()
        if user is not None:
            return Actor.of(user)
        user = create_user(
            session,
            Actor.system("bench"),
            username=USERNAME,
            display_name="Benchmark analyst",
            password=PASSWORD,
            roles=["analyst"],
            must_change_password=False,
        )
        return Actor.of(user)


def evaluate(engine, actor, ev, ids, misses=None):
    """Run every query through the service; return per-kind ranks and latencies.

    Ranks are (rank or None, the target's score) per positive kind; negatives are
    (kind, top score) pairs. With ``misses`` (a list), each query whose target is not first
    is appended to it.
    """
    ranks, latencies, negatives = defaultdict(list), ([], []), []
    names = {p.key: p.names for p in ev.targets}
    for q in ev.queries:
        query = PersonQuery(q.text, birth_year=q.birth_year, options=SearchOptions(limit=10))
        started = time.perf_counter()
        with Session(engine) as session, session.begin():
            hits = search_persons(session, actor, query).hits
            latencies[0].append(time.perf_counter() - started)
        latencies[1].append(time.perf_counter() - started)
        if q.target is None:
            negatives.append((q.kind, hits[0].score if hits else 0.0))
            if misses is not None and hits and hits[0].score >= STRONG:
                misses.append((q.kind, q.text, "-", [(hits[0].display_name, hits[0].score)]))
            continue
        found = [h.person_id for h in hits]
        target = ids[q.target]
        rank = found.index(target) + 1 if target in found else None
        ranks[q.kind].append((rank, hits[rank - 1].score if rank else 0.0))
        if misses is not None and found[:1] != [target]:
            top = [(h.display_name, h.score) for h in hits[:3]]
            misses.append((q.kind, q.text, names[q.target], top))
    return ranks, latencies, negatives


def over_http(url, instance, queries):
    """The labelled queries through the app served in its own process; latencies and memory."""
    with serve(url, instance) as (pid, base):
        client = Client(base)
        client.sign_in(USERNAME, PASSWORD)
        idle = memory(pid)
        times, size = http_latencies(client, queries)
        return times, size, idle, memory(pid)


def report_http(times, size, idle, used):
    print(
        f"{'HTTP GET /search/persons?q=':34}{len(times):>8}{'':>11}"
        f"{percentile(times, 0.5):>9.1f}{percentile(times, 0.95):>9.1f}"
    )
    peak = used["VmHWM"] / 1024
    print(
        f"  (waitress, 8 threads, separate process, loopback, one client; pages of "
        f"{size / 1024:.0f} KiB on average; server RSS after sign-in "
        f"{idle['VmRSS'] / 1024:.0f} MB, after the queries {used['VmRSS'] / 1024:.0f} MB, "
        f"peak (VmHWM) {peak:.0f} MB: {'under' if peak < RSS_LIMIT_MB else 'OVER'} "
        f"the {RSS_LIMIT_MB} MB limit)"
    )


def report_quality(ranks, negatives):
    print(f"{'kind':18}{'queries':>8}{'recall@1':>10}{'recall@10':>11}{'MRR':>8}")
    total = []
    for kind in sorted(ranks):
        rs = [r for r, _ in ranks[kind]]
        total += rs
        print(f"{kind:18}{len(rs):>8}{recall(rs, 1):>10.3f}{recall(rs, 10):>11.3f}{mrr(rs):>8.3f}")
    print(
        f"{'all positives':18}{len(total):>8}{recall(total, 1):>10.3f}"
        f"{recall(total, 10):>11.3f}{mrr(total):>8.3f}"
    )
    print(f"\nnegative queries at the strong-match threshold {STRONG}:")
    by_kind = defaultdict(list)
    for kind, score in negatives:
        by_kind[kind].append(score)
    for kind in sorted(by_kind):
        scores = by_kind[kind]
        print(
            f"{kind:18}{len(scores):>8}  false positives (top hit >= {STRONG}): "
            f"{fpr(scores, STRONG):.3f}; any hit returned: "
            f"{sum(s > 0 for s in scores) / len(scores):.3f}"
        )
    scores = [s for _, s in negatives]
    print(f"{'all negatives':18}{len(scores):>8}  false positives: {fpr(scores, STRONG):.3f}")
    report_curve(ranks, negatives)


def fpr(scores, threshold):
    return sum(s >= threshold for s in scores) / len(scores)


def report_curve(ranks, negatives):
    """Recall (target in the top 10 and scoring at least t) and FPR (a negative's top hit at
    least t) at each threshold t of `CURVE`, and the precision of the top hit among the
    queries whose top hit reaches t."""
    positives = [pair for pairs in ranks.values() for pair in pairs]
    scores = [s for _, s in negatives]
    generated = [s for kind, s in negatives if kind != "negative"]
    print(
        f"\n{'threshold':>9}{'recall@10>=t':>14}{'FPR all':>9}{'FPR generated':>15}"
        f"{'precision@1':>13}"
    )
    for t in CURVE:
        found = sum(r is not None and r <= 10 and s >= t for r, s in positives)
        first = sum(r == 1 and s >= t for r, s in positives)
        wrong = sum(s >= t for s in scores)
        called = first + wrong
        precision = first / called if called else 1.0
        mark = "  <- STRONG_MATCH" if abs(t - STRONG) < 1e-9 else ""
        print(
            f"{t:>9.2f}{found / len(positives):>14.3f}{fpr(scores, t):>9.3f}"
            f"{fpr(generated, t) if generated else 0.0:>15.3f}{precision:>13.3f}{mark}"
        )
    print(
        "  (precision@1 counts, among queries whose top hit reaches t, those whose top hit is "
        "the target: negatives' top hits are all wrong)"
    )


def recall(rs, k):
    return sum(r is not None and r <= k for r in rs) / len(rs)


def mrr(rs):
    return sum(1 / r for r in rs if r) / len(rs)


def baselines(engine, ev, ids, sample_size, rng):
    """Recall@10 and latency of an ILIKE scan and a rapidfuzz full scan on a query sample."""
    sample = rng.sample([q for q in ev.queries if q.target], sample_size)
    with engine.connect() as conn:
        started = time.perf_counter()
        rows = conn.execute(text("SELECT person_id, search_text FROM person_names")).all()
        load = time.perf_counter() - started
    owners = [r[0] for r in rows]
    keys = [r[1] for r in rows]
    results = {}
    with engine.connect() as conn:
        ilike_ranks, ilike_times = [], []
        for q in sample:
            started = time.perf_counter()
            found = list(conn.execute(NAIVE, {"p": f"%{q.text}%"}).scalars())
            ilike_times.append(time.perf_counter() - started)
            ilike_ranks.append(1 if ids[q.target] in found else None)
        results["ILIKE '%query%' scan"] = (ilike_ranks, ilike_times)
    fuzzy_ranks, fuzzy_times = [], []
    for q in sample:
        started = time.perf_counter()
        best = process.extract(to_latin(q.text), keys, scorer=fuzz.token_sort_ratio, limit=40)
        found = list(dict.fromkeys(owners[i] for _, _, i in best))[:10]
        fuzzy_times.append(time.perf_counter() - started)
        target = ids[q.target]
        fuzzy_ranks.append(found.index(target) + 1 if target in found else None)
    results["rapidfuzz full scan"] = (fuzzy_ranks, fuzzy_times)
    return results, load, len(keys)


def identifier_latencies(engine, actor, rng, count=300):
    with engine.connect() as conn:
        numbers = (
            conn.execute(
                text("SELECT number FROM identity_documents TABLESAMPLE SYSTEM (5) LIMIT :n"),
                {"n": count},
            )
            .scalars()
            .all()
        )
    times, found = ([], []), 0
    for number in numbers:
        typed = f"{number[:3].lower()} {number[3:6]}-{number[6:]}"
        started = time.perf_counter()
        with Session(engine) as session, session.begin():
            found += bool(search_identifiers(session, actor, typed).hits)
            times[0].append(time.perf_counter() - started)
        times[1].append(time.perf_counter() - started)
    return times, found


def arguments():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--persons", type=int, default=100_000)
    parser.add_argument("--seizures", type=int, default=2_000)
    parser.add_argument("--baseline-sample", type=int, default=40)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument(
        "--http",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="also search through HTTP against the app served by waitress in its own process",
    )
    parser.add_argument("--show-misses", action="store_true", help="list queries not ranked 1st")
    parser.add_argument(
        "--development",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="also the development cases of search_devset (Cantonese, parentage, recombined)",
    )
    parser.add_argument(
        "--data-dir",
        type=Path,
        default=None,
        help="keep the haystack cluster here and reuse it next time (same persons and seeds)",
    )
    return parser.parse_args()


def main():
    args = arguments()
    rng = random.Random(args.seed)
    ev = build(args.seed)
    add_negatives(ev, args.seed)
    if args.development:
        add_development(ev, args.seed)

    wanted = {
        "bench": "search",
        "persons": args.persons,
        "seizures": args.seizures,
        "seed": args.seed,
        "development": args.development,
    }
    with kept_cluster(args.data_dir, wanted) as cluster:
        urls = cluster.urls
        engine = make_engine(urls.app)
        started = time.perf_counter()
        if cluster.fresh:
            plan = DemoPlan(
                persons=args.persons,
                seizures=args.seizures,
                companies=100,
                conveyances=100,
                seed=args.seed,
            )
            load_demo(engine, plan)
        ids = kept_ids(cluster, lambda: create_population(engine, ev))
        if cluster.fresh:
            analyze(urls)
            cluster.loaded()
        with engine.connect() as conn:
            names = conn.execute(text("SELECT count(*) FROM person_names")).scalar_one()
        setup = time.perf_counter() - started
        actor = make_analyst(engine)
        misses = [] if args.show_misses else None
        ranks, latencies, negatives = evaluate(engine, actor, ev, ids, misses)
        base, scan_load, scanned = baselines(engine, ev, ids, args.baseline_sample, rng)
        id_times, id_found = identifier_latencies(engine, actor, rng)
        engine.dispose()
        if args.http:
            with tempfile.TemporaryDirectory(prefix="ncen-bench-web-") as tmp:
                web = over_http(urls.app, Path(tmp) / "instance", ev.queries)
        else:
            web = None

    for miss in misses or ():
        print("miss", *miss, sep=" | ")
    people = len(ev.targets) + len(ev.distractors)
    print(f"bench_search --persons {args.persons} --seed {args.seed}")
    print(
        f"  {args.persons:,} demo persons + {len(ev.targets)} targets + "
        f"{len(ev.distractors)} distractors = {args.persons + people:,} persons, "
        f"{names:,} name forms; load, index and analyse: {setup:.0f} s"
    )
    print(f"  {len(ev.queries)} queries ({len(negatives)} negative)\n")
    report_quality(ranks, negatives)
    print(f"\n{'name search latency':34}{'queries':>8}{'recall@10':>11}{'p50 ms':>9}{'p95 ms':>9}")
    positives = recall([r for rs in ranks.values() for r, _ in rs], 10)
    for label, times in zip(
        ("service layer (search_persons)", "  + session and commit"), latencies, strict=True
    ):
        print(
            f"{label:34}{len(times):>8}{positives:>11.3f}"
            f"{percentile(times, 0.5):>9.1f}{percentile(times, 0.95):>9.1f}"
        )
    if web is not None:
        report_http(*web)
    for label, (rs, times) in base.items():
        print(
            f"{label:34}{len(times):>8}{recall(rs, 10):>11.3f}"
            f"{percentile(times, 0.5):>9.1f}{percentile(times, 0.95):>9.1f}"
        )
    print(
        f"  (rapidfuzz scans {scanned:,} Latin name keys held in memory, "
        f"loaded in {scan_load:.1f} s; ILIKE recall counts a hit anywhere in its 10 rows)"
    )
    service, committed = id_times
    print(
        f"\nidentifier lookup (search_identifiers): {len(service)} retyped passport numbers, "
        f"{id_found} found; service layer p50 {percentile(service, 0.5):.1f} ms, "
        f"p95 {percentile(service, 0.95):.1f} ms; with session and commit "
        f"p50 {percentile(committed, 0.5):.1f} ms, p95 {percentile(committed, 0.95):.1f} ms"
    )


if __name__ == "__main__":
    main()

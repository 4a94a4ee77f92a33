"""Benchmark: person name search on both labelled sets, side by side, with the false-positive
rate at the strong-match threshold and a precision-recall curve.

Starts a throwaway embedded PostgreSQL, migrates it, loads N demo persons (``ncen demo``'s COPY
path), then creates through the person services (`create_person`) the persons of both labelled
sets in the same haystack: the first set (`search_queries`, the project's own) and the
traditions set (`search_evalset_traditions`, written from transliteration standards and naming
conventions), plus ``--near`` more near neighbours of the traditions set's targets (default
N / 50: 20,000 at 1,000,000 persons; none is a true match for any query). ANALYZE as the owner.
Then every labelled query of both sets goes through the service layer,
`ncen.search.persons.search_persons` (one session and transaction per query, its audit event
included, limit 10), with the query's birth data and gender where the label gives them, and,
in the same run, a sample of the same queries through a naive ``full_name ILIKE '%query%'``.

Reported per set: per kind recall@1, recall@10 and MRR (positives) or the false-positive rate
(negatives: the top hit scores at or above the threshold) and the share with any hit at all;
overall figures; recall@10 (counting a target only when it scores at or above t) and the
false-positive rate for t = 0.70, 0.75, ..., 0.95; p50/p95 latency of the service call and
of the whole unit of work, next to the ILIKE baseline's.

The threshold is the matcher's documented strong-match constant when ``ncen.search`` exposes
one (a module-level float whose name contains ``STRONG``), else ``--threshold`` (default 0.85,
the project's "strong match" figure); the report says which.

Usage: python benchmarks/bench_search_traditions.py [--persons 100000] [--near N]
       [--threshold T] [--baseline-sample 60] [--show-misses FILE]
"""

from __future__ import annotations

import argparse
import datetime
import importlib
import pkgutil
import random
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path

import search_evalset_traditions as traditions
import search_queries
from scale import analyze, kept_cluster, kept_ids
from sqlalchemy import select, text
from sqlalchemy.orm import Session
from timing import percentiles

from ncen.accounts.actor import Actor
from ncen.accounts.models import User
from ncen.accounts.services import create_user
from ncen.db import make_engine
from ncen.demo.load import DemoPlan, load_demo
from ncen.persons.models import Gender
from ncen.persons.services import create_person
from ncen.search.persons import search_persons
from ncen.search.query import PersonQuery, SearchOptions

DEFAULT_THRESHOLD = 0.85
CURVE = (0.70, 0.75, 0.80, 0.85, 0.90, 0.95)
NAIVE = text("SELECT DISTINCT person_id FROM person_names WHERE full_name ILIKE :p LIMIT 10")


def documented_threshold() -> tuple[float | None, str]:
    """The matcher's public strong-match constant, found by name only, and where it was."""
    import ncen.search

    found: dict[str, float] = {}
    for module in pkgutil.iter_modules(ncen.search.__path__):
        loaded = importlib.import_module(f"ncen.search.{module.name}")
        for name, value in vars(loaded).items():
            if name.isupper() and "STRONG" in name and isinstance(value, float) and 0 < value < 1:
                found[f"ncen.search.{module.name}.{name}"] = value
    if len(set(found.values())) == 1:
        return next(iter(found.values())), ", ".join(sorted(found))
    return None, f"no single public STRONG constant in ncen.search ({found or 'none'})"


def person_data(p) -> dict:
    """The services' input for a labelled person of either set."""
    who = getattr(p, "who", None)
    data = {
        "names": [{"full_name": n} for n in p.names],
        "gender": p.gender,
        "birth_year": who.year if who else p.birth_year,
        "nationalities": [p.nationality],
    }
    if who is not None:
        data |= {"birth_month": who.month, "birth_day": who.day}
    return data


def create_population(engine, people, prefix: str) -> dict[str, object]:
    """Create ``people`` through the services, 200 per transaction; return key -> id."""
    system = Actor.system("bench")
    ids = {}
    for start in range(0, len(people), 200):
        with Session(engine) as session, session.begin():
            for p in people[start : start + 200]:
                ids[prefix + p.key] = create_person(session, system, person_data(p)).id
    return ids


def make_analyst(engine) -> Actor:
    with Session(engine) as session, session.begin():
        # A kept haystack (--data-dir) already holds the analyst of an earlier run.
        user = session.scalars(
            select(User).where(User.username == "bench-traditions")
        ).one_or_none()
        if user is not None:
            return Actor.of(user)
        user = create_user(
            session,
            Actor.system("bench"),
            username="bench-traditions",
            display_name="Benchmark analyst",
            password="correct horse battery staple 42",
            roles=["analyst"],
            must_change_password=False,
        )
        return Actor.of(user)


def person_query(q) -> PersonQuery:
    """The service query for a labelled query of either set (birth data and gender as given)."""
    who = getattr(q, "who", None)
    if who is None:
        return PersonQuery(q.text, birth_year=q.birth_year, options=SearchOptions(limit=10))
    return PersonQuery(
        q.text,
        birth_year=who.year,
        birth_month=who.month,
        birth_day=who.day,
        gender=Gender(who.gender) if who.gender else None,
        options=SearchOptions(limit=10),
    )


class Outcome:
    """Per query: kind, the target's rank (or None), its score, the top score; latencies."""

    def __init__(self) -> None:
        self.rows: list[tuple[str, bool, int | None, float, float]] = []
        self.service: list[float] = []
        self.unit: list[float] = []
        self.misses: list[str] = []


def evaluate(engine, actor, queries, *, ids, prefix, names) -> Outcome:
    """Every query through the service layer, one session and transaction each."""
    out = Outcome()
    for q in queries:
        started = time.perf_counter()
        with Session(engine) as session, session.begin():
            hits = search_persons(session, actor, person_query(q)).hits
            out.service.append(time.perf_counter() - started)
        out.unit.append(time.perf_counter() - started)
        top = hits[0].score if hits else 0.0
        if q.target is None:
            out.rows.append((q.kind, False, None, 0.0, top))
            if top > 0:
                out.misses.append(f"{q.kind} | {q.text} | top {hits[0].display_name} {top:.2f}")
            continue
        target = ids[prefix + q.target]
        found = [h.person_id for h in hits]
        rank = found.index(target) + 1 if target in found else None
        score = hits[rank - 1].score if rank else 0.0
        out.rows.append((q.kind, True, rank, score, top))
        if rank != 1:
            shown = ", ".join(f"{h.display_name} {h.score:.2f}" for h in hits[:3])
            out.misses.append(
                f"{q.kind} | {q.text} | want {names[q.target]} (rank {rank}) | got {shown}"
            )
    return out


def ilike(engine, queries, *, ids, prefix, sample, rng) -> tuple[float, list[float]]:
    """Recall@10 and latencies of the naive ILIKE scan on a sample of positive queries."""
    chosen = rng.sample([q for q in queries if q.target], min(sample, len(queries)))
    times, hits = [], 0
    with engine.connect() as conn:
        for q in chosen:
            started = time.perf_counter()
            found = list(conn.execute(NAIVE, {"p": f"%{q.text}%"}).scalars())
            times.append(time.perf_counter() - started)
            hits += ids[prefix + q.target] in found
    return hits / len(chosen), times


def recall(ranks, k):
    return sum(r is not None and r <= k for r in ranks) / len(ranks) if ranks else 0.0


def report(title, out: Outcome, threshold, base) -> None:
    print(f"\n== {title}: {len(out.rows)} queries ==")
    print(f"{'kind':18}{'queries':>8}{'recall@1':>10}{'recall@10':>11}{'MRR':>8}{'FPR@t':>8}")
    kinds = defaultdict(list)
    for row in out.rows:
        kinds[row[0]].append(row)
    positives = [r for r in out.rows if r[1]]
    negatives = [r for r in out.rows if not r[1]]
    for kind in sorted(kinds, key=lambda k: (k.startswith("neg") or k == "negative", k)):
        rows = kinds[kind]
        if rows[0][1]:
            ranks = [r[2] for r in rows]
            mrr = sum(1 / r for r in ranks if r) / len(ranks)
            print(
                f"{kind:18}{len(rows):>8}{recall(ranks, 1):>10.3f}{recall(ranks, 10):>11.3f}"
                f"{mrr:>8.3f}{'':>8}"
            )
        else:
            fpr = sum(r[4] >= threshold for r in rows) / len(rows)
            any_hit = sum(r[4] > 0 for r in rows) / len(rows)
            print(f"{kind:18}{len(rows):>8}{'':>29}{fpr:>8.3f}   (any hit {any_hit:.2f})")
    ranks = [r[2] for r in positives]
    low = min((recall([r[2] for r in rows], 10), k) for k, rows in kinds.items() if rows[0][1])
    print(
        f"{'ALL positives':18}{len(ranks):>8}{recall(ranks, 1):>10.3f}{recall(ranks, 10):>11.3f}"
        f"{sum(1 / r for r in ranks if r) / len(ranks):>8.3f}"
        f"   lowest kind: {low[1]} {low[0]:.3f}"
    )
    if negatives:
        fpr = sum(r[4] >= threshold for r in negatives) / len(negatives)
        print(f"{'ALL negatives':18}{len(negatives):>8}{'':>29}{fpr:>8.3f}")
    print(f"\n  precision-recall curve ({title}):")
    print(f"  {'threshold':>10}{'recall@10':>11}{'FPR':>8}{'precision@1':>13}")
    for t in CURVE:
        rec = sum(r[2] is not None and r[3] >= t for r in positives) / len(positives)
        fp = sum(r[4] >= t for r in negatives) / len(negatives) if negatives else 0.0
        # Of the top hits at or above t, how many are the labelled target (negatives count
        # every such top hit as wrong).
        shown = [r for r in out.rows if r[4] >= t]
        right = sum(r[1] and r[2] == 1 for r in shown)
        precision = right / len(shown) if shown else 1.0
        print(f"  {t:>10.2f}{rec:>11.3f}{fp:>8.3f}{precision:>13.3f}")
    p50, p95 = percentiles(out.service)
    u50, u95 = percentiles(out.unit)
    b50, b95 = percentiles(base[1])
    print(f"\n  {'latency':34}{'queries':>8}{'recall@10':>11}{'p50 ms':>9}{'p95 ms':>9}")
    print(
        f"  {'service layer (search_persons)':34}{len(out.service):>8}"
        f"{recall(ranks, 10):>11.3f}{p50:>9.1f}{p95:>9.1f}"
    )
    print(f"  {'  + session and commit':34}{len(out.unit):>8}{'':>11}{u50:>9.1f}{u95:>9.1f}")
    print(f"  {'ILIKE %query% (sample)':34}{len(base[1]):>8}{base[0]:>11.3f}{b50:>9.1f}{b95:>9.1f}")


def header(args, threshold, source) -> None:
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=False
    ).stdout.strip()
    dirty = subprocess.run(
        ["git", "status", "--porcelain", "--untracked-files=no"],
        capture_output=True,
        text=True,
        check=False,
    ).stdout.strip()
    print(f"command: python {' '.join(sys.argv)}")
    print(f"date: {datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M UTC}")
    print(f"git commit: {commit}{' (with uncommitted changes)' if dirty else ''}")
    print(f"threshold: {threshold} ({source})")


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--persons", type=int, default=100_000)
    parser.add_argument("--seizures", type=int, default=2_000)
    parser.add_argument("--near", type=int, default=None, help="extra near neighbours")
    parser.add_argument("--threshold", type=float, default=None)
    parser.add_argument("--baseline-sample", type=int, default=60)
    parser.add_argument("--seed", type=int, default=14, help="seed of the traditions set")
    parser.add_argument("--first-seed", type=int, default=11, help="seed of the first set")
    parser.add_argument("--show-misses", type=Path, default=None, help="write misses here")
    parser.add_argument(
        "--data-dir",
        type=Path,
        default=None,
        help="keep the haystack cluster here and reuse it next time (same persons and seeds)",
    )
    return parser.parse_args()


def threshold_of(args: argparse.Namespace) -> tuple[float, str]:
    """The threshold to report at, and where it comes from."""
    found, source = documented_threshold()
    if args.threshold is not None:
        threshold, source = args.threshold, "--threshold"
    elif found is not None:
        threshold = found
    else:
        threshold, source = DEFAULT_THRESHOLD, f"--threshold default; {source}"
    return threshold, source


def main() -> None:
    args = arguments()
    threshold, source = threshold_of(args)
    near = args.near if args.near is not None else args.persons // 50
    first = search_queries.build(args.first_seed)
    second = traditions.build(args.seed)
    extra = traditions.neighbours(second, near, args.seed + 1)
    rng = random.Random(args.seed)

    wanted = {
        "bench": "search_traditions",
        "persons": args.persons,
        "seizures": args.seizures,
        "near": near,
        "seed": args.seed,
        "first_seed": args.first_seed,
    }
    with kept_cluster(args.data_dir, wanted) as cluster:
        engine = make_engine(cluster.urls.app)
        loaded = created = 0.0
        if cluster.fresh:
            started = time.perf_counter()
            load_demo(
                engine,
                DemoPlan(
                    persons=args.persons,
                    seizures=args.seizures,
                    companies=100,
                    conveyances=100,
                    seed=args.first_seed,
                ),
            )
            loaded = time.perf_counter() - started
        started = time.perf_counter()

        def population() -> dict[str, object]:
            ids = create_population(engine, first.targets + first.distractors, "1:")
            return ids | create_population(engine, second.persons + extra, "2:")

        ids = kept_ids(cluster, population)
        created = time.perf_counter() - started if cluster.fresh else 0.0
        if cluster.fresh:
            analyze(cluster.urls)
            cluster.loaded()
        with engine.connect() as conn:
            persons = conn.execute(text("SELECT count(*) FROM persons")).scalar_one()
            names = conn.execute(text("SELECT count(*) FROM person_names")).scalar_one()
        actor = make_analyst(engine)
        first_names = {p.key: p.names for p in first.targets}
        second_names = {p.key: p.names for p in second.targets}
        out1 = evaluate(engine, actor, first.queries, ids=ids, prefix="1:", names=first_names)
        out2 = evaluate(engine, actor, second.queries, ids=ids, prefix="2:", names=second_names)
        sample = {"ids": ids, "sample": args.baseline_sample, "rng": rng}
        base1 = ilike(engine, first.queries, prefix="1:", **sample)
        base2 = ilike(engine, second.queries, prefix="2:", **sample)
        engine.dispose()

    header(args, threshold, source)
    print(
        f"haystack: {persons:,} persons, {names:,} name forms: {args.persons:,} demo "
        f"(loaded in {loaded:.0f} s) + first set {len(first.targets) + len(first.distractors)} "
        f"+ traditions set {len(second.persons)} + {len(extra):,} near neighbours "
        f"(created through the services in {created:.0f} s)"
    )
    report("first set (search_queries)", out1, threshold, base1)
    report("traditions set (search_evalset_traditions)", out2, threshold, base2)
    if args.show_misses:
        lines = [f"first | {m}" for m in out1.misses] + [f"traditions | {m}" for m in out2.misses]
        args.show_misses.write_text("\n".join(lines) + "\n")
        print(f"\n{len(lines)} misses and negative hits written to {args.show_misses}")


if __name__ == "__main__":
    main()

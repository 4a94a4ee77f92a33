"""Benchmark: duplicate candidates, their precision and recall on planted duplicates, page time.

Starts a throwaway embedded PostgreSQL, migrates it, loads N demo persons (`ncen demo`'s COPY
path, which plants the true duplicate pairs of `ncen.demo.duplicates` and the ring organiser
recorded twice), VACUUM ANALYZEs, then walks every page of the duplicates list
(`ncen.merging.candidates.duplicate_candidates`, a window of 25 records per page) and, in the
same run:

1. the new ranking: pairs whose duplicate score (name plus evidence) is at least the strong
   threshold; precision = share of them that are planted true duplicates, recall = share of
   the planted pairs among them; pairs listed on the page (score >= 0.8);
2. the old ranking as baseline: the same pairs ranked by their search score (the score the page
   showed before the evidence, qualifiers of `ncen.search.qualifiers`), precision and recall at
   the same threshold;
3. page time: p50/p95 of one window page of the new list (service call in its own
   transaction), next to the old page (the search hits of the same window at the old minimum
   0.8, no evidence), timed alternately on the same sample of pages so that both see the same
   machine load;
4. the stored queue (`ncen.merging.queue`): the time of a full ``ncen duplicates scan`` (one
   transaction per window of 25 records; ``--scan-limit`` examines only the first N records
   and extrapolates), then precision/recall of the queue and p50/p95 of a page read from it
   (what the duplicates page serves once a scan has run).

Precision counts every pair above the threshold that is not a planted pair as wrong, although
the random demo persons may by chance include a real double (same name and full birth date).

Usage: python benchmarks/bench_duplicates.py [--persons 3000] [--seizures 1000] [--pages 20]
       [--scan-limit N] [--time-pages 20]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from sqlalchemy import select, text
from sqlalchemy.orm import Session
from timing import percentiles

from ncen.accounts.actor import Actor
from ncen.db import make_engine
from ncen.dbroles import APP_ROLE
from ncen.demo.duplicates import known_duplicate_pairs
from ncen.demo.load import DemoPlan, load_demo
from ncen.embedded import embedded_database
from ncen.merging.candidates import (
    DEFAULT_MIN_SCORE,
    DEFAULT_WINDOW,
    count_records,
    duplicate_candidates,
    name_hits,
    ordered,
)
from ncen.merging.evidence import STRONG_DUPLICATE
from ncen.merging.queue import queued_pairs, scan_window
from ncen.migrate import upgrade
from ncen.persons.models import Person
from ncen.search.query import SearchOptions


def walk(engine, pages):
    """Every pair of every page: pair -> (new score, old search score)."""
    scores = {}
    for page in range(pages):
        with Session(engine) as session, session.begin():
            found = duplicate_candidates(
                session, "person", min_score=0.0, offset=page * DEFAULT_WINDOW
            )
        for c in found:
            old = scores.get(c.pair, (0.0, 0.0))
            scores[c.pair] = (max(old[0], c.score), max(old[1], c.search_score))
    return scores


def old_page(session, page):
    """The page as it was: the search hits of each record of the window, at 0.8, no evidence."""
    records = session.execute(
        select(Person)
        .where(Person.deleted_at.is_(None), Person.origin_node.is_(None))
        .order_by(Person.updated_at.desc(), Person.id)
        .offset(page * DEFAULT_WINDOW)
        .limit(DEFAULT_WINDOW)
    ).scalars()
    options = SearchOptions(min_score=DEFAULT_MIN_SCORE, limit=11)
    return [name_hits(session, record, options) for record in records]


def new_page(session, page):
    """The page as it is (the default minimum score of the list)."""
    return duplicate_candidates(session, "person", offset=page * DEFAULT_WINDOW)


def page_times(engine, pages, sample):
    """Old and new page of the same windows, alternately (so that both see the same load)."""
    times = {old_page: [], new_page: []}
    for page in range(0, pages, max(1, pages // sample)):
        for build, samples in times.items():
            started = time.perf_counter()
            with Session(engine) as session, session.begin():
                build(session, page)
            samples.append(time.perf_counter() - started)
    return times[old_page], times[new_page]


def scan(engine, limit):
    """A full scan into the stored queue, one window per transaction: seconds and records."""
    actor, examined = Actor.system("bench"), 0
    started = time.perf_counter()
    while not limit or examined < limit:
        with Session(engine) as session, session.begin():
            done = scan_window(session, actor, "person")
        if not done:
            break
        examined += done
    return time.perf_counter() - started, examined


def queue_quality_and_times(engine, truth, samples):
    """Precision/recall of the stored queue at the threshold, and its page times."""
    with Session(engine) as session:
        pairs, total = queued_pairs(session, "person", limit=1_000_000)
    strong = {ordered(p.record_id, p.other_id) for p in pairs if p.score >= STRONG_DUPLICATE}
    found = strong & truth
    pages = max(1, -(-total // DEFAULT_WINDOW))
    times = []
    for i in range(samples):
        page = (i * 7) % pages
        started = time.perf_counter()
        with Session(engine) as session, session.begin():
            queued_pairs(session, "person", offset=page * DEFAULT_WINDOW)
        times.append(time.perf_counter() - started)
    precision = len(found) / len(strong) if strong else 1.0
    return total, len(strong), precision, len(found) / len(truth), times


def quality(scores, truth, index):
    strong = {pair for pair, s in scores.items() if s[index] >= STRONG_DUPLICATE}
    found = strong & truth
    precision = len(found) / len(strong) if strong else 1.0
    return len(strong), precision, len(found) / len(truth)


def report(args, run):
    """Print the rankings and the window page times."""
    total, pages, setup, truth = run["total"], run["pages"], run["setup"], run["truth"]
    walked, scores, old_times, times = run["walked"], run["scores"], run["old"], run["new"]
    print(f"bench_duplicates --persons {args.persons} --seizures {args.seizures}")
    print(f"  {total:,} national persons, {pages} pages of {DEFAULT_WINDOW}; load {setup:.0f} s")
    print(f"  {len(truth)} planted true pairs; {walked} pages walked\n")
    print(f"{'ranking':28}{'>= ' + str(STRONG_DUPLICATE):>10}{'precision':>11}{'recall':>9}")
    for label, index in (("old (search score)", 1), ("new (evidence)", 0)):
        strong, precision, recall = quality(scores, truth, index)
        print(f"{label:28}{strong:>10}{precision:>11.3f}{recall:>9.3f}")
    listed = sum(1 for s in scores.values() if s[0] >= DEFAULT_MIN_SCORE)
    listed_old = sum(1 for s in scores.values() if s[1] >= DEFAULT_MIN_SCORE)
    print(f"\npairs listed (score >= {DEFAULT_MIN_SCORE}): old {listed_old}, new {listed}")
    print(f"\n{'page time':28}{'pages':>10}{'p50 ms':>11}{'p95 ms':>9}")
    for label, samples in (("old page", old_times), ("new page", times)):
        p50, p95 = percentiles(samples)
        print(f"{label:28}{len(samples):>10}{p50:>11.0f}{p95:>9.0f}")


def report_queue(args, run):
    """Print the stored queue's scan time, quality and page times, and the misses."""
    total, truth, scores, queue, show = (
        run["total"],
        run["truth"],
        run["scores"],
        run["queue"],
        args.show,
    )
    scan_seconds, scanned = run["scan"]
    listed, strong, precision, recall, queue_times = queue
    rate = scanned / scan_seconds if scan_seconds else 0.0
    print(
        f"\nstored queue: scan of {scanned:,} records in {scan_seconds:.0f} s "
        f"({rate:.0f} records/s; all {total:,}: {total / rate if rate else 0:.0f} s)"
    )
    print(
        f"  {listed} pairs listed ({-(-listed // DEFAULT_WINDOW)} pages), {strong} >= "
        f"{STRONG_DUPLICATE}: precision {precision:.3f}, recall {recall:.3f}"
        + ("" if scanned >= total else " (partial scan: not comparable)")
    )
    p50, p95 = percentiles(queue_times)
    print(f"{'queue page':28}{len(queue_times):>10}{p50:>11.0f}{p95:>9.0f}")
    missed = truth - {pair for pair, s in scores.items() if s[0] >= STRONG_DUPLICATE}
    print(f"\nplanted pairs missed: {len(missed)}")
    if show:
        wrong = sorted(
            ((s[0], pair) for pair, s in scores.items() if pair not in truth), reverse=True
        )
        for score, pair in wrong[:show]:
            print(f"  wrong {score:.3f} {pair[0]} {pair[1]}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--persons", type=int, default=3_000)
    parser.add_argument("--seizures", type=int, default=1_000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument(
        "--pages", type=int, default=0, help="pages to walk (0: all; recall needs all)"
    )
    parser.add_argument("--time-pages", type=int, default=20, help="pages timed, old and new")
    parser.add_argument(
        "--scan-limit", type=int, default=0, help="records the timed scan examines (0: all)"
    )
    parser.add_argument("--show", type=int, default=0, help="print the top N wrong pairs")
    args = parser.parse_args()
    truth = {ordered(a, b) for _, a, b in known_duplicate_pairs()}
    with (
        tempfile.TemporaryDirectory(prefix="ncen-bench-") as tmp,
        embedded_database(Path(tmp) / "pgdata") as urls,
    ):
        owner = make_engine(urls.owner)
        upgrade(owner, app_role=APP_ROLE)
        owner.dispose()
        engine = make_engine(urls.app)
        started = time.perf_counter()
        load_demo(engine, DemoPlan(persons=args.persons, seizures=args.seizures, seed=args.seed))
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("VACUUM ANALYZE"))
        setup = time.perf_counter() - started
        with Session(engine) as session:
            total = count_records(session, "person")
        pages = -(-total // DEFAULT_WINDOW)
        walked = min(pages, args.pages) if args.pages else pages
        scores = walk(engine, walked)
        old_times, times = page_times(engine, walked, args.time_pages)
        scan_seconds, scanned = scan(engine, args.scan_limit)
        queue = queue_quality_and_times(engine, truth, args.time_pages)
        engine.dispose()

    run = {
        "total": total, "pages": pages, "setup": setup, "truth": truth, "walked": walked,
        "scores": scores, "old": old_times, "new": times, "queue": queue,
        "scan": (scan_seconds, scanned),
    }  # fmt: skip
    report(args, run)
    report_queue(args, run)


if __name__ == "__main__":
    main()

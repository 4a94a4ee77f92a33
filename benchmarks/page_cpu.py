"""Benchmark: median CPU time per request of the record pages, the pages requested in turn.

`bench_pages.py` requests each page ``--runs`` times in a row, so a burst of load on a shared
machine lands on whichever page runs then. This one requests the seizure list, the person list,
the seizure page, the person page (the targets of `profile_pages.py`: the busiest seizure and
person) and the account page (the cheapest signed-in page) one after the other, ``--runs``
rounds, and prints each page's median CPU time of this process per request (PostgreSQL's not
counted) on one line, so that runs of two versions alternated with each other compare well::

    PYTHONPATH=<export of main> python benchmarks/page_cpu.py --data-dir DIR   # base
    python benchmarks/page_cpu.py --data-dir DIR                              # this branch

Usage: python benchmarks/page_cpu.py [--persons 5000] [--seizures 10000] [--runs 60]
       [--data-dir DIR]
"""

from __future__ import annotations

import argparse
import statistics
import time

from profile_pages import _CSRF, PASSWORD, USERNAME, ensure_user, pick_targets
from scale import add_scale_arguments, demo_database

from ncen.db import make_engine
from ncen.settings import Settings
from web import create_app

PAGES = ("seizures", "persons", "seizure", "person", "account")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_scale_arguments(parser, 5_000, 10_000)
    parser.add_argument("--runs", type=int, default=60)
    args = parser.parse_args()
    with demo_database(args.persons, args.seizures, args.data_dir) as db:
        engine = make_engine(db.urls.app)
        ensure_user(engine)
        targets = {**pick_targets(engine), "account": "/auth/account"}
        settings = Settings(
            instance_path=db.directory / "instance",
            database_url=db.urls.app,
            secret_key="profile-secret-key-" + "x" * 32,
            secure_cookies=False,
        )
        app = create_app(settings, deferred_audit=True)  # as `ncen serve` builds it
        client = app.test_client()
        token = _CSRF.search(client.get("/auth/sign-in").text).group(1)  # type: ignore[union-attr]
        signed_in = client.post(
            "/auth/sign-in",
            data={"csrf_token": token, "username": USERNAME, "password": PASSWORD},
        )
        assert signed_in.status_code == 302, signed_in.text
        for page in PAGES:  # warm-up: template compilation, first-use caches
            for _ in range(5):
                assert client.get(targets[page]).status_code == 200, targets[page]
        samples: dict[str, list[float]] = {page: [] for page in PAGES}
        for _ in range(args.runs):
            for page in PAGES:
                started = time.process_time()
                client.get(targets[page])
                samples[page].append((time.process_time() - started) * 1000)
        print(" ".join(f"{page}={statistics.median(samples[page]):.2f}" for page in PAGES))
        app.extensions["ncen.engine"].dispose()
        engine.dispose()


if __name__ == "__main__":
    main()

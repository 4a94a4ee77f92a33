"""Benchmark: the statistics page's six panels through the planner, next to the same GROUP BY
queries on the base tables, in the same run.

Starts a throwaway embedded PostgreSQL (or reuses a kept one, ``--data-dir``), migrates it,
loads the demo data (`ncen.demo.load`'s COPY, 5,000 persons and 50,000 seizures by default;
the migration's triggers queue every seizure), then times the set-based rebuild of the
statistics tables (facts, monthly rollup, per-filter rollup: what ``ncen stats refresh`` does
after a bulk load or after migration 0023 queued every seizure; ``--rebuild`` forces it) and
VACUUM ANALYZEs as the owner role (autovacuum's job on a node). Then, in the same run, p50/p95
of:

1. the six panels of ``/analysis/statistics`` through the services (`refresh_statistics` with
   nothing queued, `tabulate_panels`, the "as of" query): unfiltered, with one filter (the
   commodity group, then the route country), and with both (the planner's selection path);
   each next to the six equivalent GROUP BY queries on the base tables (seizures, items,
   route, concealment; deleted seizures excluded) under the same filters;
2. the whole page through the Flask test client, signed in as an analyst (unfiltered, one
   filter, two filters);
3. the cost of keeping up: one seizure changed through the service, then refreshed.

Every panel's counts (the route flow by departure and destination too) are compared with the
baseline's, value by value, so a fast wrong answer cannot pass unnoticed.

Usage: python benchmarks/bench_statistics.py [--persons 5000] [--seizures 50000] [--runs 30]
       [--data-dir DIR] [--rebuild]
"""

from __future__ import annotations

import argparse
import re
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from scale import add_scale_arguments, demo_database
from sqlalchemy import Engine, text
from sqlalchemy.orm import Session
from timing import measure

from ncen.accounts.actor import Actor
from ncen.accounts.models import Role
from ncen.accounts.services import create_user
from ncen.analysis.filters import StatsFilters
from ncen.analysis.rollups import (
    REBUILD_ABOVE,
    rebuild_statistics,
    refresh_statistics,
    statistics_freshness,
)
from ncen.analysis.statistics import tabulate_panels
from ncen.db import make_engine
from ncen.seizures.models import Seizure
from ncen.seizures.services import update_seizure
from ncen.seizures.snapshots import snapshot
from ncen.settings import Settings
from web import create_app

PASSWORD = "benchmark passphrase 2026"
TARGET_MS = 300
PANELS = (("commodity",), ("month",), ("departure", "destination"), ("route",), ("transport",),
          ("concealment",))  # fmt: skip
_CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')

# The same six panels straight from the base tables (what a node without rollups would run).
_LIVE = "SELECT id, occurred_at, departure_country, destination_country, transport_mode FROM seizures WHERE deleted_at IS NULL"  # noqa: E501
_COMMODITY = " AND id IN (SELECT seizure_id FROM seizure_items WHERE commodity_group = :commodity)"
_COUNTRY = """
  AND (departure_country = :country OR destination_country = :country
       OR id IN (SELECT seizure_id FROM seizure_transit_countries WHERE country = :country))
"""
BASELINE = {
    "commodity": "WITH s AS ({live}) SELECT i.commodity_group, count(DISTINCT s.id) FROM s"
    " JOIN seizure_items i ON i.seizure_id = s.id GROUP BY 1",
    "month": "WITH s AS ({live}) SELECT to_char(occurred_at AT TIME ZONE 'UTC', 'YYYY-MM'),"
    " count(*) FROM s GROUP BY 1",
    "flow": "WITH s AS ({live}) SELECT departure_country, destination_country, count(*) FROM s"
    " WHERE departure_country IS NOT NULL AND destination_country IS NOT NULL GROUP BY 1, 2",
    "route": "WITH s AS ({live}) SELECT c, count(*) FROM (SELECT id, departure_country c FROM s"
    " UNION SELECT id, destination_country FROM s UNION SELECT t.seizure_id, t.country FROM"
    " seizure_transit_countries t JOIN s ON s.id = t.seizure_id) r WHERE c IS NOT NULL"
    " GROUP BY 1",
    "transport": "WITH s AS ({live}) SELECT transport_mode, count(*) FROM s"
    " WHERE transport_mode IS NOT NULL GROUP BY 1",
    "concealment": "WITH s AS ({live}) SELECT c.method, count(DISTINCT s.id) FROM s"
    " JOIN seizure_concealments c ON c.seizure_id = s.id GROUP BY 1",
}


# Panel (its first dimension) -> the baseline query giving the same counts.
_COMPARED = {
    "commodity": "commodity",
    "month": "month",
    "departure": "flow",
    "route": "route",
    "transport": "transport",
    "concealment": "concealment",
}


def six_panels(engine: Engine, filters: StatsFilters) -> Callable[[], dict[str, dict]]:
    """The page's work through the services: refresh, six tables, as-of."""
    actor = Actor.system("bench")

    def run() -> dict[str, dict]:
        with Session(engine) as session:
            with session.begin():
                refresh_statistics(session, limit=20_000)
            with session.begin():
                tables = dict(
                    zip(PANELS, tabulate_panels(session, actor, filters, list(PANELS)), strict=True)
                )
                statistics_freshness(session)
        return {by[0]: {r.values: r.seizures for r in t.rows} for by, t in tables.items()}

    return run


def baseline(engine: Engine, conditions: str, params: dict[str, str]) -> Callable[[], dict]:
    """The six GROUP BY queries on the base tables, in one transaction."""
    live = _LIVE + conditions

    def run() -> dict[str, dict]:
        out = {}
        with engine.connect() as conn:
            for name, sql in BASELINE.items():
                rows = conn.execute(text(sql.format(live=live)), params).all()
                out[name] = {tuple(str(v) for v in r[:-1]): r[-1] for r in rows}
        return out

    return run


def page(client, url: str) -> Callable[[], object]:
    def get() -> object:
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        return response

    return get


def main() -> None:  # noqa: PLR0915 - one linear script
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_scale_arguments(parser, 5_000, 50_000)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument(
        "--rebuild",
        action="store_true",
        help="time a set-based rebuild of every statistics table even if little is queued",
    )
    args = parser.parse_args()

    with demo_database(args.persons, args.seizures, args.data_dir) as db:
        urls = db.urls
        engine = make_engine(urls.app)
        load_seconds = db.load_seconds
        with engine.connect() as conn:
            counts = {
                "seizures": conn.execute(text("SELECT count(*) FROM seizures")).scalar_one(),
                "persons": conn.execute(text("SELECT count(*) FROM persons")).scalar_one(),
            }
        started = time.perf_counter()
        with Session(engine) as session, session.begin():
            # What `ncen stats refresh` does after a bulk load; a kept cluster (--data-dir) was
            # rebuilt by its first run and has nothing queued now.
            if args.rebuild or statistics_freshness(session).pending > REBUILD_ABOVE:
                refreshed = rebuild_statistics(session)
            else:
                refreshed = refresh_statistics(session)
        refresh_seconds = time.perf_counter() - started
        # As the owner: the application role may not VACUUM or ANALYZE tables it does not own
        # (it would skip them silently and leave the planner without statistics).
        owner = make_engine(urls.owner)
        with owner.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("VACUUM ANALYZE"))
        owner.dispose()
        with engine.connect() as conn:
            fact_rows = conn.execute(text("SELECT count(*) FROM stat_facts")).scalar_one()
            rollup_rows = conn.execute(text("SELECT count(*) FROM stat_rollup")).scalar_one()
            cross_rows = conn.execute(text("SELECT count(*) FROM stat_cross")).scalar_one()
            commodity, country = conn.execute(
                text(
                    "SELECT i.commodity_group, s.departure_country FROM seizure_items i"
                    " JOIN seizures s ON s.id = i.seizure_id WHERE s.departure_country IS NOT NULL"
                    " GROUP BY 1, 2 ORDER BY count(*) DESC LIMIT 1"
                )
            ).one()
            seizure_id = conn.execute(
                text("SELECT id FROM seizures WHERE deleted_at IS NULL LIMIT 1")
            ).scalar_one()
        params = {"commodity": commodity, "country": country}
        filtered = StatsFilters(facets=(("commodity", commodity), ("route", country)))
        one_commodity = StatsFilters(facets=(("commodity", commodity),))
        one_country = StatsFilters(facets=(("route", country),))

        runs = args.runs
        results = []
        for label, filters, conditions in (
            ("unfiltered", StatsFilters(), ""),
            (f"{commodity} (one filter)", one_commodity, _COMMODITY),
            (f"route {country} (one filter)", one_country, _COUNTRY),
            (f"{commodity} + {country}", filtered, _COMMODITY + _COUNTRY),
        ):
            ours = six_panels(engine, filters)
            base = baseline(engine, conditions, params)
            got, want = ours(), base()
            # Every panel's counts, value by value (the flow by departure and destination).
            agree = all(got[panel] == want[name] for panel, name in _COMPARED.items())
            with Session(engine) as session, session.begin():
                tables = tabulate_panels(session, Actor.system("bench"), filters, list(PANELS))
            sources = "+".join(sorted({t.source for t in tables}))
            results.append((label, sources, measure(ours, runs), measure(base, runs), agree))

        username = f"bench.analyst.{int(time.time())}"  # a kept cluster has earlier runs' users
        with Session(engine) as session, session.begin():
            create_user(
                session,
                Actor.system("bench"),
                username=username,
                display_name="Benchmark analyst",
                password=PASSWORD,
                roles=[Role.ANALYST],
                must_change_password=False,
            )
        settings = Settings(
            instance_path=Path(tempfile.mkdtemp(prefix="ncen-bench-stats-")) / "instance",
            database_url=urls.app,
            secret_key="benchmark-secret-key-" + "x" * 32,
            secure_cookies=False,
        )
        app = create_app(settings)
        client = app.test_client()
        token = _CSRF.search(client.get("/auth/sign-in").text).group(1)
        response = client.post(
            "/auth/sign-in",
            data={"csrf_token": token, "username": username, "password": PASSWORD},
        )
        assert response.status_code == 302, response.text
        page_plain = measure(page(client, "/analysis/statistics"), runs)
        page_one = measure(page(client, f"/analysis/statistics?commodity={commodity}"), runs)
        page_filtered = measure(
            page(client, f"/analysis/statistics?commodity={commodity}&country={country}"), runs
        )

        def change_and_refresh() -> None:
            with Session(engine) as session:
                with session.begin():
                    seizure = session.get(Seizure, seizure_id)
                    data = snapshot(session, seizure)
                    data["place"] = f"bench {time.perf_counter()}"
                    data["transport_mode"] = "rail" if seizure.transport_mode != "rail" else "road"
                    actor = Actor.system("bench")
                    update_seizure(session, actor, seizure_id, seizure.version, data)
                with session.begin():
                    refresh_statistics(session, limit=20_000)

        keep_up = measure(change_and_refresh, runs)
        app.extensions["ncen.engine"].dispose()
        engine.dispose()

    print(
        f"bench_statistics --persons {args.persons} --seizures {args.seizures} --runs {runs}"
        f"  ({counts['seizures']:,} seizures, {counts['persons']:,} persons;"
        f" demo load {load_seconds:.0f} s this run)"
    )
    print(
        f"refresh before measuring (a rebuild after a bulk load): {refreshed:,} seizures in"
        f" {refresh_seconds:.1f} s"
        f" ({refreshed / max(refresh_seconds, 1e-9):,.0f}/s); {fact_rows:,} fact rows,"
        f" {rollup_rows:,} rollup rows, {cross_rows:,} per-filter rollup rows"
    )
    print(
        f"{'6 panels: refresh+tables+as-of':34}{'source':26}{'p50 ms':>8}{'p95 ms':>8}"
        f"   {'naive GROUP BYs':16}{'p50 ms':>8}{'p95 ms':>8}  same counts"
    )
    for label, sources, (p50, p95), (b50, b95), agree in results:
        print(
            f"{label:34}{sources:26}{p50:8.1f}{p95:8.1f}   {'6 on base tables':16}"
            f"{b50:8.1f}{b95:8.1f}  {'yes' if agree else 'NO'}"
        )
    print(f"{'page, Flask test client, unfiltered':60}{page_plain[0]:8.1f}{page_plain[1]:8.1f}")
    print(f"{'page, Flask test client, one filter':60}{page_one[0]:8.1f}{page_one[1]:8.1f}")
    print(
        f"{'page, Flask test client, two filters':60}{page_filtered[0]:8.1f}{page_filtered[1]:8.1f}"
    )
    print(f"{'one seizure changed + refreshed':60}{keep_up[0]:8.1f}{keep_up[1]:8.1f}")
    for label, worst in (
        ("unfiltered", max(results[0][2][1], page_plain[1])),
        ("one filter", max(results[1][2][1], results[2][2][1], page_one[1])),
    ):
        verdict = "under" if worst <= TARGET_MS else "OVER"
        print(f"{label} p95: {worst:.1f} ms ({verdict} the {TARGET_MS} ms target)")
    two, naive = results[3][2][1], results[3][3][1]
    print(f"two filters p95: {two:.1f} ms vs naive {naive:.1f} ms ({naive / two:.1f}x)")


if __name__ == "__main__":
    main()

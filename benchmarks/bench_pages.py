"""Benchmark: render times of the record pages at demo size, next to baselines from the same run.

Starts a throwaway embedded PostgreSQL, migrates it, loads the demo data (`ncen.demo.load`,
5,000 persons and 10,000 seizures by default), creates a supervisor and signs it in through
the real sign-in form of the Flask test client. Then it requests each page many times and
prints the p50/p95 of the whole request (routing, session, authorisation, queries, the audit
event every read of nominal data writes, template rendering), and the median CPU time of this
process per request (steadier than wall time on a shared machine), beside:

- the raw SQL time of the same list query (count plus one page), run directly on the engine;
- a minimal signed-in page (the account page, no query: the dashboard became a desk with
  queries of its own, measured by ``bench_desk.py``) through the same client: the framework's
  floor.

Then the writes of the load test's recorders (`recording_forms.py`): saving a case without
and with a picture, the picture form of that case and a picture upload (each POST creates a
record or a picture; the CPU column is the figure to compare, as for the pages).

The seizure whose page and history are measured is first edited a few times through the
service, so that its History tab has a full page of field-level differences to show.

Usage: python benchmarks/bench_pages.py [--persons 5000] [--seizures 10000] [--runs 40]
"""

from __future__ import annotations

import argparse
import io
import re
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from recording_forms import case_fields, csrf_of, small_jpeg
from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from ncen.accounts.actor import Actor
from ncen.accounts.models import Role
from ncen.accounts.services import create_user
from ncen.db import make_engine
from ncen.dbroles import APP_ROLE
from ncen.demo.load import DemoPlan, load_demo
from ncen.embedded import embedded_database
from ncen.history import list_versions
from ncen.migrate import upgrade
from ncen.persons.queries import PersonFilters
from ncen.persons.queries import list_statement as person_list
from ncen.seizures.models import Seizure
from ncen.seizures.queries import SeizureFilters
from ncen.seizures.queries import list_statement as seizure_list
from ncen.seizures.services import update_seizure
from ncen.seizures.snapshots import snapshot
from ncen.settings import Settings
from web import create_app

PASSWORD = "benchmark passphrase 2026"
HISTORY_EDITS = 24  # the benchmarked seizure gets a real history: more than one page of it
TARGET_MS = 300


def signed_in(app, username: str):
    """A test client of ``app`` signed in as ``username`` through the real sign-in form."""
    client = app.test_client()
    token = csrf_of(client.get("/auth/sign-in").text)
    response = client.post(
        "/auth/sign-in",
        data={"csrf_token": token, "username": username, "password": PASSWORD},
    )
    assert response.status_code == 302, response.text
    return client


def percentiles(samples: list[float]) -> tuple[float, float]:
    """p50 and p95 of ``samples`` (seconds), in milliseconds."""
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return statistics.median(ordered) * 1000, p95 * 1000


def measure(action: Callable[[], object], runs: int, warmup: int = 3) -> tuple[float, float, float]:
    """p50/p95 milliseconds of ``action`` over ``runs`` calls after ``warmup`` calls, and the
    median CPU milliseconds this process spent per call (PostgreSQL's own CPU is not in it).

    The CPU figure moves much less than wall time when other work shares the machine, so it
    is the one to compare between runs on a busy machine."""
    for _ in range(warmup):
        action()
    samples, cpu = [], []
    for _ in range(runs):
        started, started_cpu = time.perf_counter(), time.process_time()
        action()
        samples.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
    return (*percentiles(samples), statistics.median(cpu) * 1000)


def measure_prepared(
    prepare: Callable[[], object], action: Callable[[object], object], runs: int, warmup: int = 2
) -> tuple[float, float, float]:
    """As `measure`, for an action that needs a fresh argument each time: ``prepare()`` runs
    before each call, outside the timing."""
    for _ in range(warmup):
        action(prepare())
    samples, cpu = [], []
    for _ in range(runs):
        argument = prepare()
        started, started_cpu = time.perf_counter(), time.process_time()
        action(argument)
        samples.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
    return (*percentiles(samples), statistics.median(cpu) * 1000)


def page(client, url: str) -> Callable[[], object]:
    """A request of ``url`` that must succeed."""

    def get() -> object:
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        return response.data

    return get


def write_rows(client, runs: int, floor: tuple[float, float, float]) -> list:
    """The writes of the load test's recorders: saving a case (a third of them with a
    picture), the picture form of one's own case and a picture upload. What a browser holds
    before it sends (the form's CSRF token and expected version, the picture file) is made
    outside the timed call."""
    when = (datetime.now(UTC) - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    token = csrf_of(client.get("/seizures/new").text)
    created: list[str] = []

    def case(with_picture: bool) -> Callable[[], object]:
        # The form as the browser sends it, the picture made outside the timed call.
        def prepare() -> dict[str, object]:
            data: dict[str, object] = {"csrf_token": token, **case_fields(when)}
            if with_picture:
                data["pictures"] = (io.BytesIO(small_jpeg()), "tiles.jpg", "image/jpeg")
            return data

        return prepare

    def save(data: object) -> object:
        response = client.post("/seizures/new", data=data, content_type="multipart/form-data")
        assert response.status_code == 302, (response.status_code, response.text[:2000])
        created.append(response.location.rstrip("/").rsplit("/", 1)[1])
        return response

    rows = [
        ("record: save", measure_prepared(case(False), save, runs), "account page", floor),
        (
            "record: save with picture",
            measure_prepared(case(True), save, runs),
            "account page",
            floor,
        ),
    ]
    action = f"/pictures/attach/seizure/{created[-1]}"
    rows.append(("picture: form", measure(page(client, action), runs), "account page", floor))
    version = re.compile(r'name="version" type="hidden" value="([^"]+)"')

    def form_state() -> dict[str, object]:
        # The form as the browser holds it before the timed upload: the expected version of
        # the case changes with each upload.
        html = client.get(action).text
        return {
            "csrf_token": csrf_of(html),
            "version": version.search(html).group(1),
            "caption": "Benchmark picture",
            "files": (io.BytesIO(small_jpeg()), "picture.jpg", "image/jpeg"),
        }

    def upload(data: dict[str, object]) -> object:
        response = client.post(action, data=data, content_type="multipart/form-data")
        assert response.status_code == 302, (response.status_code, response.text[-3000:])
        return response

    rows.append(
        ("picture: upload", measure_prepared(form_state, upload, runs), "account page", floor)
    )
    return rows


def raw_list(engine, stmt, number: int, per_page: int = 50) -> Callable[[], object]:
    """The list query alone: the count and one page, as `web.pagination` runs them."""

    def run() -> object:
        with Session(engine) as session:
            session.execute(select(func.count()).select_from(stmt.order_by(None).subquery()))
            return (
                session.execute(stmt.limit(per_page).offset((number - 1) * per_page))
                .scalars()
                .all()
            )

    return run


def add_history(engine, seizure_id: object, edits: int) -> int:
    """Edit the seizure ``edits`` times through the service (each a new version); return the
    number of versions it then has."""
    actor = Actor.system("bench")
    with Session(engine) as session:
        for number in range(edits):
            with session.begin():
                seizure = session.get(Seizure, seizure_id)
                data = snapshot(session, seizure)
                data["narrative"] = f"Benchmark edit {number}: {data.get('narrative') or ''}"[:500]
                data["place"] = f"Place {number}"
                update_seizure(session, actor, seizure.id, seizure.version, data)
        return len(list_versions(session, "seizure", seizure_id))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--persons", type=int, default=5_000)
    parser.add_argument("--seizures", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=40)
    args = parser.parse_args()

    with (
        tempfile.TemporaryDirectory(prefix="ncen-bench-pages-") as tmp,
        embedded_database(Path(tmp) / "pgdata") as urls,
    ):
        owner = make_engine(urls.owner)
        upgrade(owner, app_role=APP_ROLE)
        engine = make_engine(urls.app)
        started = time.perf_counter()
        counts = load_demo(engine, DemoPlan(persons=args.persons, seizures=args.seizures))
        load_seconds = time.perf_counter() - started
        # As the owner: the app role's ANALYZE skips the tables it does not own.
        with owner.connect() as conn:
            conn.execute(text("ANALYZE"))
            conn.commit()
        owner.dispose()
        with Session(engine) as session, session.begin():
            create_user(
                session,
                Actor.system("bench"),
                username="bench.supervisor",
                display_name="Benchmark supervisor",
                password=PASSWORD,
                roles=[Role.SUPERVISOR],
                must_change_password=False,
            )
        with engine.connect() as conn:
            # The busiest records: most persons on a seizure, most seizures for a person.
            seizure_id = conn.execute(
                text(
                    "SELECT seizure_id FROM seizure_persons GROUP BY seizure_id "
                    "ORDER BY count(*) DESC, seizure_id LIMIT 1"
                )
            ).scalar_one()
            person_id = conn.execute(
                text(
                    "SELECT person_id FROM seizure_persons GROUP BY person_id "
                    "ORDER BY count(*) DESC, person_id LIMIT 1"
                )
            ).scalar_one()
            name = conn.execute(
                text("SELECT family_name FROM person_names WHERE family_name IS NOT NULL LIMIT 1")
            ).scalar_one()

        versions = add_history(engine, seizure_id, edits=HISTORY_EDITS)

        settings = Settings(
            instance_path=Path(tmp) / "instance",
            database_url=urls.app,
            secret_key="benchmark-secret-key-" + "x" * 32,
            secure_cookies=False,
        )
        app = create_app(settings)
        client = signed_in(app, "bench.supervisor")

        tobacco = SeizureFilters(commodity_group="tobacco")
        with Session(engine) as session:
            tobacco_total = session.execute(
                select(func.count()).select_from(seizure_list(tobacco).subquery())
            ).scalar_one()
        deep = max(1, (tobacco_total // 50) * 3 // 4)

        runs = args.runs
        rows: list[tuple[str, tuple[float, float, float], str, tuple[float, float, float]]] = []
        floor = measure(page(client, "/auth/account"), runs)
        lists = (
            ("seizure list, page 1", "/seizures", seizure_list(SeizureFilters()), 1),
            (
                f"seizure list, tobacco, page {deep}",
                f"/seizures?commodity_group=tobacco&page={deep}",
                seizure_list(tobacco),
                deep,
            ),
            (
                "seizure list, KZ + road, by ref",
                "/seizures?country=KZ&transport_mode=road&sort=reference&dir=asc",
                seizure_list(
                    SeizureFilters(country="KZ", transport_mode="road"),
                    sort="reference",
                    descending=False,
                ),
                1,
            ),
            ("person list, page 1", "/persons", person_list(PersonFilters()), 1),
            (
                f"person list, name ~ {name}",
                f"/persons?name={name}",
                person_list(PersonFilters(name=name)),
                1,
            ),
        )
        for label, address, stmt, number in lists:
            rows.append(
                (
                    label,
                    measure(page(client, address), runs),
                    "raw SQL of the list",
                    measure(raw_list(engine, stmt, number), runs),
                )
            )
        for label, address in (
            ("seizure page (most persons)", f"/seizures/{seizure_id}"),
            (f"seizure history tab ({versions} versions)", f"/seizures/{seizure_id}/history"),
            ("person page (most seizures)", f"/persons/{person_id}"),
            ("person history tab", f"/persons/{person_id}/history"),
            (f"name search, {name}", f"/search/persons?q={name}"),
            ("record-a-seizure form", "/seizures/new"),
        ):
            rows.append((label, measure(page(client, address), runs), "account page", floor))
        rows += write_rows(client, runs, floor)
        app.extensions["ncen.engine"].dispose()
        engine.dispose()

    print(
        f"bench_pages --persons {args.persons} --seizures {args.seizures} --runs {runs}"
        f"  (demo load {load_seconds:.0f} s, {counts['rows']:,} rows)"
    )
    print(
        f"{'page (Flask test client, signed in)':36}{'p50 ms':>8}{'p95 ms':>8}{'cpu ms':>8}   "
        f"{'baseline, same run':22}{'p50 ms':>8}{'p95 ms':>8}{'cpu ms':>8}"
    )
    worst = 0.0
    for label, (p50, p95, cpu), base_label, (b50, b95, bcpu) in rows:
        worst = max(worst, p95)
        print(
            f"{label:36}{p50:8.1f}{p95:8.1f}{cpu:8.1f}   "
            f"{base_label:22}{b50:8.1f}{b95:8.1f}{bcpu:8.1f}"
        )
    print("cpu ms: median CPU time of the benchmark process per request (PostgreSQL's excluded)")
    verdict = "under" if worst < TARGET_MS else "OVER"
    print(f"slowest p95: {worst:.1f} ms ({verdict} the {TARGET_MS} ms target)")


if __name__ == "__main__":
    main()

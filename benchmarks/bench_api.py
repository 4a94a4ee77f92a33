"""Benchmark: REST API record reads (``GET /api/v1/persons/{id}``) next to the bare service call.

Opens a demo database (`scale.demo_database`: throwaway, or kept with ``--data-dir``), makes an
analyst and a personal read token through the services, and samples ``--reads`` distinct
random person ids (each id is read once per method, so the figures are not a warm-cache loop
over one row). In the same run it measures, per read:

1. **service**: the unit of work the API view does, without HTTP: a session, `read_person`
   (policy check, audit event, the person with its seizures and companies), the snapshot as
   JSON, commit (the audit event is written);
2. **in-process app**: Flask's test client against ``web.create_app`` (routing, token lookup,
   rate limit, view, JSON), no network;
3. **HTTP**: the real app under waitress in its own process on 127.0.0.1, called with
   ``requests`` and the token, body read;
4. for reference, the first page and a cursor page of ``GET /api/v1/persons`` over HTTP.

Target (issue 11): HTTP record read p95 <= 50 ms at 1,000,000 persons.

Usage: python benchmarks/bench_api.py [--persons 20000] [--seizures 20000] [--reads 300]
       [--data-dir DIR] [--output FILE]
"""

from __future__ import annotations

import argparse
import contextlib
import json
import secrets
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import requests
from scale import add_scale_arguments, demo_database
from sqlalchemy import Engine, text
from sqlalchemy.orm import Session
from timing import percentiles

from ncen.accounts.actor import Actor
from ncen.accounts.models import Role
from ncen.accounts.services import create_user
from ncen.apitokens.services import create_token
from ncen.db import make_engine
from ncen.persons.queries import read_person
from ncen.persons.services import snapshot
from ncen.settings import Settings
from web import create_app

TARGET_MS = 50.0
SERVER = """
import sys
from pathlib import Path

from waitress import serve

from ncen.settings import Settings
from web import create_app

url, port, instance, key = sys.argv[1:5]
settings = Settings(
    database_url=url, secret_key=key, secure_cookies=False, instance_path=Path(instance),
    api_rate_per_minute=10_000_000,
)
serve(create_app(settings), host="127.0.0.1", port=int(port), threads=4, ident="ncen")
"""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextlib.contextmanager
def served(database_url: str, instance: Path) -> Iterator[str]:
    """The app under waitress in a child process; yields its base URL."""
    port = _free_port()
    instance.mkdir(parents=True, exist_ok=True)
    args = [database_url, str(port), str(instance), secrets.token_hex(32)]
    proc = subprocess.Popen([sys.executable, "-c", SERVER, *args])
    try:
        deadline = time.monotonic() + 120
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"web server exited with {proc.returncode}")
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 1):
                break
            if time.monotonic() > deadline:
                raise RuntimeError("web server did not start listening")
            time.sleep(0.2)
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def make_reader(engine: Engine) -> tuple[Actor, str]:
    """An analyst and a read token of theirs."""
    name = f"bench-api-{int(time.time())}"
    with Session(engine) as session, session.begin():
        user = create_user(
            session,
            Actor.system("bench"),
            username=name,
            display_name="API benchmark",
            password=secrets.token_urlsafe(24),
            roles=[Role.ANALYST.value],
        )
        actor = Actor.of(user)
        issued = create_token(
            session, actor, user_id=user.id, name="bench", scope="read", days=1, max_days=365
        )
        return actor, issued.text


def sample_ids(engine: Engine, count: int) -> list[uuid.UUID]:
    """``count`` distinct random live person ids (one sort of the ids: seconds at 1M rows)."""
    with engine.connect() as conn:
        rows = conn.execute(
            text("SELECT id FROM persons WHERE deleted_at IS NULL ORDER BY random() LIMIT :n"),
            {"n": count},
        ).scalars()
        return list(rows)


def timed(ids: list[uuid.UUID], call: Callable[[uuid.UUID], None]) -> tuple[float, float]:
    """p50/p95 ms of ``call`` over ``ids`` (each once), after 5 unmeasured calls."""
    for person_id in ids[:5]:
        call(person_id)
    samples = []
    for person_id in ids:
        started = time.perf_counter()
        call(person_id)
        samples.append(time.perf_counter() - started)
    return percentiles(samples)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_scale_arguments(parser, 20_000, 20_000)
    parser.add_argument("--reads", type=int, default=300)
    parser.add_argument("--output", type=Path)
    args = parser.parse_args()

    with (
        demo_database(args.persons, args.seizures, args.data_dir) as db,
        tempfile.TemporaryDirectory(prefix="ncen-bench-api-") as tmp,
    ):
        engine = make_engine(db.urls.app)
        actor, token = make_reader(engine)
        # Three disjoint samples: no method reads a row another one just brought into cache.
        ids = sample_ids(engine, 3 * args.reads)
        service_ids, app_ids, http_ids = (ids[i::3] for i in range(3))

        def service_read(person_id: uuid.UUID) -> None:
            with Session(engine) as session, session.begin():
                detail = read_person(session, actor, person_id)
                body = {**snapshot(detail.person), "seizures": len(detail.seizures)}
                json.dumps(body)

        settings = Settings(
            instance_path=Path(tmp) / "instance",
            database_url=db.urls.app,
            secret_key="benchmark-secret-key-" + "x" * 32,
            secure_cookies=False,
            api_rate_per_minute=10_000_000,
        )
        app = create_app(settings)
        client = app.test_client()
        auth = {"Authorization": f"Bearer {token}"}

        def app_read(person_id: uuid.UUID) -> None:
            response = client.get(f"/api/v1/persons/{person_id}", headers=auth)
            if response.status_code != 200:
                raise RuntimeError(response.text)

        rows = [("service call (no HTTP)", timed(service_ids, service_read))]
        rows.append(("API, in-process test client", timed(app_ids, app_read)))
        with served(db.urls.app, Path(tmp) / "served") as base:
            http = requests.Session()
            http.headers.update(auth)

            def http_read(person_id: uuid.UUID) -> None:
                response = http.get(f"{base}/api/v1/persons/{person_id}", timeout=60)
                if response.status_code != 200:
                    raise RuntimeError(response.text)

            rows.append(("API over HTTP (waitress)", timed(http_ids, http_read)))
            cursors: list[str] = []

            def list_page(_: uuid.UUID) -> None:
                params = {"limit": "50", **({"cursor": cursors[-1]} if cursors else {})}
                body = http.get(f"{base}/api/v1/persons", params=params, timeout=60).json()
                if body["next_cursor"]:
                    cursors.append(body["next_cursor"])

            rows.append(("list page of 50 over HTTP", timed(http_ids[:50], list_page)))
        app.extensions["ncen.engine"].dispose()
        engine.dispose()

    lines = [
        f"# bench_api.py {' '.join(sys.argv[1:])}   ({datetime.now(UTC):%Y-%m-%d %H:%M} UTC)",
        f"{db.plan.persons:,} persons, {db.plan.seizures:,} seizures; {args.reads} distinct "
        "random persons per method",
        f"{'':34} {'p50 ms':>8} {'p95 ms':>8}",
    ]
    lines += [f"{label:34} {p50:8.1f} {p95:8.1f}" for label, (p50, p95) in rows]
    http_p95 = rows[2][1][1]
    verdict = "meets" if http_p95 <= TARGET_MS else "MISSES"
    lines.append(
        f"HTTP record read p95 {http_p95:.1f} ms {verdict} the {TARGET_MS:.0f} ms target "
        f"(service alone {rows[0][1][1]:.1f} ms: HTTP, token and JSON add "
        f"{http_p95 - rows[0][1][1]:.1f} ms)"
    )
    print("\n".join(lines))
    if args.output:
        args.output.write_text("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()

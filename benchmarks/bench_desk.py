"""Benchmark: the home page ("desk") of each role at demo size, next to baselines from the same run.

Opens a demo database (`scale.demo_database`: throwaway, or kept with ``--data-dir``) and gives
the desks something to show: ``--mine`` demo seizures are made the benchmark investigator's (a
tenth of them returned by a supervisor through the services, so their history says so; the
analyst watches five of those, so their changes raise alerts), and the analyst saves a seizure
search that is run once. Then, through the Flask test client signed in with the real
form, it measures p50/p95 of:

- ``/home`` for an investigator (3 panels), a supervisor (1) and an analyst (2), each next to
  ``/auth/account``, a signed-in page without queries (the framework's floor);
- each panel's query alone, as the domain runs it (`ncen.analysis.desk`, one LIMIT query and
  its audit event), next to the naive way to fill it: the full list it links to (count plus
  the first page of 50, what `web.pagination` runs for that list).

With ``--without-index`` it then drops the author index of migration 0022,
``seizures (created_by_id, updated_at) WHERE deleted_at IS NULL``, measures again (then "my
drafts / my recent seizures" read every seizure; the demo leaves ``created_by_id`` empty, so
the figure is the one of a node where few seizures are the user's) and creates it again.

Usage: python benchmarks/bench_desk.py [--persons 5000] [--seizures 10000] [--data-dir DIR]
       [--mine 300] [--runs 40] [--without-index] [--output benchmarks/results/desk.txt (appends)]

With ``--data-dir`` the demo cluster of `scale.py` is reused (1M x 1M loads once); the run adds
its own accounts and, when it ends, restores the author index if it dropped it and gives the
seizures it made the investigator's back to no author (their versions and audit events stay).
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from scale import add_scale_arguments, demo_database
from sqlalchemy import Engine, func, select, text
from sqlalchemy.orm import Session
from timing import measure

from ncen.accounts.actor import Actor
from ncen.accounts.models import Role
from ncen.accounts.services import create_user
from ncen.analysis import desk
from ncen.db import make_engine
from ncen.policy import Action
from ncen.search.saved import run_saved_search, save_search
from ncen.seizures.models import Seizure, SeizureStatus
from ncen.seizures.queries import list_statement
from ncen.seizures.services import return_seizure, submit_seizure
from ncen.settings import Settings
from ncen.watch.models import WatchKind
from ncen.watch.services import add_watch
from web import create_app

PASSWORD = "benchmark passphrase 2026"
TARGET_MS = 300
INDEX_NAME = "ix_seizures_created_by_id_updated_at"  # migration 0022
INDEX = (
    f"CREATE INDEX {INDEX_NAME} ON seizures (created_by_id, updated_at) WHERE deleted_at IS NULL"
)
_CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


def make_users(engine: Engine, suffix: str) -> dict[str, Actor]:
    """The benchmark's accounts (none of these roles needs a second factor); ``suffix`` keeps
    the names of a rerun on a kept cluster unique."""
    actors = {}
    with Session(engine) as session, session.begin():
        for name, role in (
            ("investigator", Role.INVESTIGATOR),
            ("supervisor", Role.SUPERVISOR),
            ("analyst", Role.ANALYST),
        ):
            user = create_user(
                session,
                Actor.system("bench"),
                username=f"bench.{name}.{suffix}",
                display_name=f"Benchmark {name}",
                password=PASSWORD,
                roles=[role],
                must_change_password=False,
            )
            actors[name] = Actor.of(user)
    return actors


def fill_desks(owner: Engine, engine: Engine, actors: dict[str, Actor], mine: int) -> None:
    """Give the investigator ``mine`` seizures, a tenth of them returned by the supervisor
    (submitted, then sent back: their status ends where it was), watched by the analyst (each
    change raises an alert), and the analyst a saved seizure search, run once. `restore` undoes
    what would change other benchmarks' figures on a kept cluster."""
    investigator, supervisor, analyst = (
        actors["investigator"],
        actors["supervisor"],
        actors["analyst"],
    )
    with owner.begin() as conn:  # the demo records no author; make some seizures this user's
        conn.execute(
            text(
                "UPDATE seizures SET created_by_id = :user WHERE id IN "
                "(SELECT id FROM seizures WHERE origin_node IS NULL AND created_by_id IS NULL "
                "AND deleted_at IS NULL ORDER BY random() LIMIT :n)"
            ),
            {"user": investigator.user_id, "n": mine},
        )
    with Session(engine) as session:
        with session.begin():
            drafts = session.execute(
                select(Seizure)
                .where(
                    Seizure.created_by_id == investigator.user_id,
                    Seizure.status == SeizureStatus.DRAFT,
                )
                .limit(max(1, mine // 10))
            ).scalars()
            for number, seizure in enumerate(list(drafts)):
                if number < 5:
                    add_watch(
                        session,
                        analyst,
                        WatchKind.RECORD,
                        record_type="seizure",
                        record_id=seizure.id,
                    )
                submit_seizure(session, investigator, seizure.id, seizure.version)
                return_seizure(session, supervisor, seizure.id, seizure.version)
        with session.begin():
            saved = save_search(
                session,
                analyst,
                name="tobacco by road",
                kind="seizures",
                params={"commodity_group": "tobacco", "transport_mode": "road"},
            )
            run_saved_search(session, analyst, saved.id)


def restore(owner: Engine, actors: dict[str, Actor]) -> None:
    """Leave a kept cluster as the demo made it for the next benchmark: the author index in
    place, and no seizure authored by this run's investigator (versions and audit rows stay)."""
    with owner.begin() as conn:
        conn.execute(text(INDEX.replace("CREATE INDEX", "CREATE INDEX IF NOT EXISTS")))
        conn.execute(
            text("UPDATE seizures SET created_by_id = NULL WHERE created_by_id = :user"),
            {"user": actors["investigator"].user_id},
        )


def signed_in_client(app: Any, username: str) -> Any:
    client = app.test_client()
    token = _CSRF.search(client.get("/auth/sign-in").text).group(1)  # type: ignore[union-attr]
    response = client.post(
        "/auth/sign-in", data={"csrf_token": token, "username": username, "password": PASSWORD}
    )
    assert response.status_code == 302, response.text
    return client


def page(client: Any, url: str) -> Callable[[], object]:
    def get() -> object:
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        return response.data

    return get


def in_transaction(engine: Engine, work: Callable[[Session], object]) -> Callable[[], object]:
    def run() -> object:
        with Session(engine) as session, session.begin():
            return work(session)

    return run


def full_list(queue: desk.SeizureQueue) -> Callable[[Session], object]:
    """The naive baseline: the full list behind a panel (count and first page of 50)."""
    stmt = list_statement(queue.filters, sort=queue.sort, descending=queue.descending)

    def run(session: Session) -> object:
        session.execute(select(func.count()).select_from(stmt.order_by(None).subquery()))
        return session.execute(stmt.limit(50)).scalars().all()

    return run


def run_round(
    engine: Engine, app: Any, actors: dict[str, Actor], runs: int
) -> list[tuple[str, tuple[float, float], str, tuple[float, float]]]:
    rows = []
    for role in ("investigator", "supervisor", "analyst"):
        client = signed_in_client(app, actors[role].username)
        floor = measure(page(client, "/auth/account"), runs)
        rows.append(
            (f"/home, {role}", measure(page(client, "/home"), runs), "/auth/account", floor)
        )
    inv, sup, ana = actors["investigator"], actors["supervisor"], actors["analyst"]
    queues = (
        ("panel: my drafts", inv, "drafts", desk.my_drafts_queue(inv), Action.CREATE_RECORDS),
        ("panel: my recent", inv, "recent", desk.my_recent_queue(inv), Action.CREATE_RECORDS),
        (
            "panel: awaiting validation",
            sup,
            "awaiting",
            desk.awaiting_validation_queue(),
            Action.VALIDATE_SEIZURE,
        ),
    )
    for label, actor, name, queue, action in queues:

        def panel(session: Session, a=actor, n=name, q=queue, act=action) -> object:  # type: ignore[no-untyped-def]
            return desk.seizure_panel(session, a, n, q, action=act)

        rows.append(
            (
                label,
                measure(in_transaction(engine, panel), runs),
                "its full list",
                measure(in_transaction(engine, full_list(queue)), runs),
            )
        )
    returned = desk.returned_queue(inv)
    rows.append(
        (
            "panel: returned to me",
            measure(in_transaction(engine, lambda s: desk.returned_to_me(s, inv)), runs),
            "its full list",
            measure(in_transaction(engine, full_list(returned)), runs),
        )
    )
    for label, work in (
        ("panel: new alerts", lambda s: desk.new_alerts(s, ana)),
        ("panel: saved-search seizures", lambda s: desk.saved_search_seizures(s, ana)),
    ):
        rows.append((label, measure(in_transaction(engine, work), runs), "-", (0.0, 0.0)))
    return rows


def report(
    title: str, rows: list[tuple[str, tuple[float, float], str, tuple[float, float]]]
) -> list[str]:
    lines = [
        title,
        f"{'what':32}{'p50 ms':>8}{'p95 ms':>8}   "
        f"{'baseline, same run':20}{'p50 ms':>8}{'p95 ms':>8}",
    ]
    for label, (p50, p95), base_label, (b50, b95) in rows:
        lines.append(f"{label:32}{p50:8.1f}{p95:8.1f}   {base_label:20}{b50:8.1f}{b95:8.1f}")
    worst = max(p95 for label, (_p50, p95), *_ in rows if label.startswith("/home"))
    verdict = "under" if worst < TARGET_MS else "OVER"
    lines.append(f"slowest /home p95: {worst:.1f} ms ({verdict} the {TARGET_MS} ms page target)")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_scale_arguments(parser, 5_000, 10_000)
    parser.add_argument("--mine", type=int, default=300)
    parser.add_argument("--runs", type=int, default=40)
    parser.add_argument("--without-index", action="store_true")
    parser.add_argument("--output", type=Path)
    args = parser.parse_args()

    with (
        demo_database(args.persons, args.seizures, args.data_dir) as db,
        tempfile.TemporaryDirectory(prefix="ncen-bench-desk-") as tmp,
    ):
        owner = make_engine(db.urls.owner)
        engine = make_engine(db.urls.app)
        actors = make_users(engine, f"{int(time.time())}")
        try:
            fill_desks(owner, engine, actors, args.mine)
            with owner.begin() as conn:
                conn.execute(text("ANALYZE seizures"))
            settings = Settings(
                instance_path=Path(tmp) / "instance",
                database_url=db.urls.app,
                secret_key="benchmark-secret-key-" + "x" * 32,
                secure_cookies=False,
            )
            app = create_app(settings)
            lines = [
                f"# {' '.join(['bench_desk.py', *sys.argv[1:]])}"
                f"   ({datetime.now(UTC):%Y-%m-%d %H:%M} UTC)",
                f"{db.plan.persons:,} persons, {db.plan.seizures:,} seizures (demo load "
                f"{db.load_seconds:.0f} s this run); {args.mine} seizures are the investigator's",
            ]
            lines += report("schema as migrated:", run_round(engine, app, actors, args.runs))
            if args.without_index:
                with owner.begin() as conn:
                    conn.execute(text(f"DROP INDEX {INDEX_NAME}"))
                    conn.execute(text("ANALYZE seizures"))
                lines += report(f"without {INDEX_NAME}:", run_round(engine, app, actors, args.runs))
            app.extensions["ncen.engine"].dispose()
        finally:
            restore(owner, actors)
            engine.dispose()
            owner.dispose()
    print("\n".join(lines))
    if args.output:
        with args.output.open("a") as out:
            out.write("\n".join(lines) + "\n\n")


if __name__ == "__main__":
    main()

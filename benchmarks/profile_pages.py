"""Profile: where the CPU of one read page goes (cProfile over the Flask test client).

Loads (or reuses, with ``--data-dir``) a demo database, signs a supervisor in through the real
sign-in form, then for each read page of the load test (person page, seizure page, name search,
seizure list, person list) requests it ``--runs`` times under cProfile and prints:

- the wall time and this process's CPU time per request (unprofiled), and the number of SQL
  statements each request sends (``--sql`` lists them);
- the self time per layer (package or module), the functions with the largest self time, and
  the functions of this project with the largest cumulative time, in ms per request (``--top``
  rows each), so that the hot layer (templates, ORM loading, code lists, the audit commit,
  session or login loading) shows at a glance.

The application is built as ``ncen serve`` builds it (deferred audit: a read appends its event
to the audit queue; the server's chainer links the queue in batches).

It is a finding tool, not a benchmark: cProfile slows Python code down several times, so read
the shares, not the milliseconds (`benchmarks/bench_pages.py` gives the figures). The profile
counts the CPU time of this process only: time spent waiting for PostgreSQL or for a core of a
shared machine is not in it (the statement count stands for the former).

Usage: python benchmarks/profile_pages.py [--persons 5000] [--seizures 10000] [--runs 30]
       [--top 25] [--page person|seizure|search|seizures|persons|account|form] [--sql] [--save DIR]
       [--data-dir DIR]
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import re
import time
from pathlib import Path

from flask.testing import FlaskClient
from scale import add_scale_arguments, demo_database
from sqlalchemy import event, select, text
from sqlalchemy.orm import Session

from ncen.accounts.actor import Actor
from ncen.accounts.models import Role, User
from ncen.accounts.services import create_user
from ncen.db import make_engine
from ncen.settings import Settings
from web import create_app

PASSWORD = "profile passphrase 2026"
USERNAME = "profile.supervisor"
_CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')
_ROOT = str(Path(__file__).resolve().parent.parent) + "/"


def pick_targets(engine: object) -> dict[str, str]:
    """The URL of each profiled page: the busiest seizure and person, a common family name."""
    with engine.connect() as conn:  # type: ignore[attr-defined]
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
            text(
                "SELECT family_name FROM person_names WHERE family_name IS NOT NULL "
                "GROUP BY family_name ORDER BY count(*) DESC, family_name LIMIT 1"
            )
        ).scalar_one()
    return {
        "person": f"/persons/{person_id}",
        "seizure": f"/seizures/{seizure_id}",
        "search": f"/search/persons?q={name}",
        "seizures": "/seizures?page=2",
        "persons": "/persons",
        "account": "/auth/account",
        "form": "/seizures/new",
    }


def ensure_user(engine: object) -> None:
    """Create the profiling supervisor unless a kept database already has it."""
    with Session(engine) as session, session.begin():  # type: ignore[arg-type]
        if session.scalar(select(User.id).where(User.username == USERNAME)) is None:
            create_user(
                session,
                Actor.system("profile"),
                username=USERNAME,
                display_name="Profiling supervisor",
                password=PASSWORD,
                roles=[Role.SUPERVISOR],
                must_change_password=False,
            )


def short(path: str) -> str:
    """A source path made readable: the installed package or the repository prefix removed."""
    marker = "site-packages/"
    if marker in path:
        return path.split(marker, 1)[1]
    return path[len(_ROOT) :] if path.startswith(_ROOT) else path


def layer(path: str) -> str:
    """The package (or template folder) a source path belongs to: ``sqlalchemy``, ``web/codes``,
    ``templates``..., so that self time adds up per layer."""
    name = short(path)
    if "/templates/" in name or name.endswith(".html"):
        return "templates (compiled Jinja code)"
    if name.startswith(("ncen/", "web/", "exchange/")):
        return name.removesuffix(".py")
    return name.split("/", 1)[0] if "/" in name else name


def report(profile: cProfile.Profile, runs: int, top: int) -> str:
    """Three views, in ms per request: self time per layer (package or module), the ``top``
    functions by self time, and the ``top`` functions of this project by cumulative time."""
    stats = pstats.Stats(profile, stream=io.StringIO())
    rows = []
    layers: dict[str, float] = {}
    for (filename, line, func), (_cc, ncalls, tottime, cumtime, _callers) in stats.stats.items():  # type: ignore[attr-defined]
        rows.append((cumtime, tottime, ncalls, filename, f"{short(filename)}:{line}({func})"))
        key = layer(filename)
        layers[key] = layers.get(key, 0.0) + tottime
    total = sum(layers.values()) or 1.0
    out = ["  self time per layer:  ms/req  share"]
    for key, seconds in sorted(layers.items(), key=lambda kv: -kv[1])[:top]:
        out.append(f"  {key:42} {seconds * 1000 / runs:7.2f} {seconds / total:6.1%}")
    out.append(f"  {'self ms/req':>11} {'calls/req':>9}  function (by self time)")
    for _cum, tottime, ncalls, _f, where in sorted(rows, key=lambda r: -r[1])[:top]:
        out.append(f"  {tottime * 1000 / runs:11.2f} {ncalls / runs:9.1f}  {where}")
    out.append(f"  {'cum ms/req':>11} {'calls/req':>9}  function of ncen/web (by cumulative time)")
    ours = [r for r in rows if layer(r[3]).startswith(("ncen/", "web/", "templates"))]
    for cumtime, _tt, ncalls, _f, where in sorted(ours, key=lambda r: -r[0])[:top]:
        out.append(f"  {cumtime * 1000 / runs:11.2f} {ncalls / runs:9.1f}  {where}")
    return "\n".join(out)


def profile_page(
    client: FlaskClient, page: str, url: str, sent: list[str], args: argparse.Namespace
) -> None:
    """Measure, profile and report one page (``sent`` collects the statements sent)."""
    for _ in range(3):  # warm-up: template compilation, first-use caches
        assert client.get(url).status_code == 200, url
    sent.clear()
    started, cpu = time.perf_counter(), time.process_time()
    for _ in range(args.runs):
        client.get(url)
    plain_ms = (time.perf_counter() - started) * 1000 / args.runs
    cpu_ms = (time.process_time() - cpu) * 1000 / args.runs
    queries = len(sent) / args.runs
    # CPU time, not wall time: on a shared machine, waiting for the core (and for PostgreSQL)
    # would otherwise land on whatever function happened to be running.
    profile = cProfile.Profile(time.process_time)
    profile.enable()
    for _ in range(args.runs):
        response = client.get(url)
    profile.disable()
    assert response.status_code == 200, (url, response.status_code)
    if args.save is not None:
        args.save.mkdir(parents=True, exist_ok=True)
        profile.dump_stats(args.save / f"{page}.prof")
    print(f"\n== {page}: {url}")
    print(
        f"  unprofiled: {plain_ms:.1f} ms/request, of which {cpu_ms:.1f} ms CPU of this "
        f"process (PostgreSQL's not counted); {queries:.1f} SQL statements/request"
    )
    print(report(profile, args.runs, args.top))
    if args.sql:
        sent.clear()
        client.get(url)
        print("  SQL of one request:")
        for number, statement in enumerate(sent, 1):
            print(f"  {number:3}. {statement}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_scale_arguments(parser, 5_000, 10_000)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument(
        "--page",
        action="append",
        choices=("person", "seizure", "search", "seizures", "persons", "account", "form"),
        help="profile only this page (repeatable); default: all seven",
    )
    parser.add_argument(
        "--sql", action="store_true", help="also list the SQL statements of one request"
    )
    parser.add_argument(
        "--save",
        type=Path,
        default=None,
        help="also write each page's profile to DIR/<page>.prof (pstats, snakeviz...)",
    )
    args = parser.parse_args()

    with demo_database(args.persons, args.seizures, args.data_dir) as db:
        engine = make_engine(db.urls.app)
        ensure_user(engine)
        targets = pick_targets(engine)
        settings = Settings(
            instance_path=db.directory / "instance",
            database_url=db.urls.app,
            secret_key="profile-secret-key-" + "x" * 32,
            secure_cookies=False,
        )
        # As ``ncen serve`` builds it: the requests' audit events go to the queue without the
        # chain lock (the server's chainer links them; here nobody does, which costs nothing).
        app = create_app(settings, deferred_audit=True)
        sent: list[str] = []

        def count(_conn: object, _cursor: object, statement: str, *_args: object) -> None:
            sent.append(" ".join(statement.split())[:160])

        event.listen(app.extensions["ncen.engine"], "before_cursor_execute", count)
        client = app.test_client()
        token = _CSRF.search(client.get("/auth/sign-in").text).group(1)  # type: ignore[union-attr]
        response = client.post(
            "/auth/sign-in",
            data={"csrf_token": token, "username": USERNAME, "password": PASSWORD},
        )
        assert response.status_code == 302, response.text
        print(
            f"profile_pages --persons {args.persons} --seizures {args.seizures} --runs {args.runs}"
        )
        for page in args.page or list(targets):
            profile_page(client, page, targets[page], sent, args)
        app.extensions["ncen.engine"].dispose()
        engine.dispose()


if __name__ == "__main__":
    main()

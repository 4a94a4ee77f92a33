"""The ``ncen`` command line: the composition root that wires settings, database and app.

It gathers the domain commands (`ncen.cli`), adds ``serve``, and turns configuration errors
into one-line messages. ``ncen serve`` runs the app under a production WSGI server: gunicorn
(several worker processes, the default since the load test in benchmarks/results/load-50u.txt)
or waitress (one process, threads).
"""

from __future__ import annotations

import gc
import logging
import os
import signal
import subprocess
import sys
import threading
from typing import TYPE_CHECKING, Any

import click
from sqlalchemy import Engine

from exchange.cli import COMMANDS as EXCHANGE_COMMANDS
from exchange.network.node import EXCHANGE_FOLDER, exchange_config_from
from exchange.network.scratch import sweep_stale
from exchange.profilecli import attach_profile_commands
from ncen import migrate
from ncen.analysis.centrality_job import start_centrality_refresher
from ncen.audit.checkpointer import start_checkpointer
from ncen.audit.queue import start_chainer
from ncen.cli import COMMANDS, administrator_text, run_demo
from ncen.clitools import fail_on_ncen_errors
from ncen.collector import freeze_process
from ncen.dbroles import check_least_privilege
from ncen.demo.load import DemoPlan
from ncen.errors import ValidationError
from ncen.imports.queue import start_runner
from ncen.merging.scanner import start_duplicate_scanner
from ncen.pictures.rehash import rehash_missing
from ncen.pictures.store import PictureStore
from ncen.runtime import open_database
from ncen.settings import Settings, ensure_secret_key, load_settings
from ncen.targeting.cli import profiles_group as targeting_profiles_group
from web.exchange.api import server_body_limit

if TYPE_CHECKING:
    from flask import Flask
    from sqlalchemy import Engine


@click.group()
@click.pass_context
def cli(ctx: click.Context) -> None:
    """ncen: a national customs enforcement network node."""
    try:
        ctx.obj = load_settings()
    except ValidationError as exc:
        for name, message in exc.errors.items():
            click.echo(f"configuration error: {name}: {message}", err=True)
        sys.exit(2)


for command in (*COMMANDS, *EXCHANGE_COMMANDS):
    cli.add_command(command)
# Sharing profiles with peers is exchange's, offered under ``ncen targeting profiles`` beside
# the other profile commands (``ncen`` cannot import ``exchange`` to add them itself).
attach_profile_commands(targeting_profiles_group)


@cli.command("serve")
@click.option("--host", default=None, help="Address to bind (default NCEN_HOST or 127.0.0.1).")
@click.option("--port", default=None, type=int, help="Port (default NCEN_PORT or 8000).")
@click.option(
    "--server",
    type=click.Choice(["gunicorn", "waitress"]),
    default="gunicorn",
    show_default=True,
    help="gunicorn: several worker processes (uses every core); waitress: one process.",
)
@click.option(
    "--workers",
    default=None,
    type=click.IntRange(1, 32),
    help="gunicorn worker processes (default: 1 per CPU core, at least 2, at most 8).",
)
@click.option(
    "--threads",
    default=None,
    type=click.IntRange(1, 64),
    help="Threads per process (default: 8 under waitress, 4 per gunicorn worker).",
)
@click.option("--demo", is_flag=True, help="First load demo data and print sign-in details.")
@click.option(
    "--insecure-cookies",
    is_flag=True,
    help="Send the session cookie over plain HTTP (local trials only; never in production).",
)
@click.option(
    "--with-worker",
    is_flag=True,
    help="Also run the exchange delivery loop (as `ncen exchange worker` does).",
)
@click.pass_context
@fail_on_ncen_errors
def serve(  # noqa: PLR0917 - click passes options by keyword
    ctx: click.Context,
    host: str | None,
    port: int | None,
    server: str,
    workers: int | None,
    threads: int | None,
    demo: bool,
    insecure_cookies: bool,
    with_worker: bool,
) -> None:
    """Run the web application (and the database, if embedded) until interrupted.

    \f
    The embedded PostgreSQL, the migrations, the demo data and the ``--with-worker`` exchange
    loop (started once) stay in this process. Under gunicorn, the web workers run in a child
    process started after them (a gunicorn master forking the workers), so no fork ever
    copies the database server's handle or a running thread; SIGTERM or Ctrl-C stops the
    workers gracefully, then the exchange loop, then the database.
    """
    settings: Settings = ensure_secret_key(ctx.obj)
    if insecure_cookies:
        settings = settings.__class__(**{**settings.__dict__, "secure_cookies": False})
    bind_host = host or settings.host
    bind_port = port or settings.port
    try:
        body_limit = server_body_limit(settings, exchange_config_from(os.environ))
    except ValueError as exc:
        raise click.ClickException(f"configuration error: {exc}") from exc
    with open_database(settings, check_role=False) as (settings, engine):
        if demo:
            username, password = run_demo(settings, engine, DemoPlan())
        else:
            migrate.upgrade_node(settings)
        with engine.connect() as conn:
            check_least_privilege(conn)  # fail closed: never serve as a privileged role
        _seal_clear_secrets(settings, engine)
        _rehash_pictures(settings, engine)
        # A node killed mid-import left its spooled bundle and decrypted pictures behind.
        sweep_stale(settings.instance_path / EXCHANGE_FOLDER / "incoming")
        background = _start_background(engine, settings)
        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
        click.echo(f"ncen node {settings.node_id} serving on http://{bind_host}:{bind_port}/")
        if demo:
            click.echo(administrator_text(username, password))
        # Service managers stop with SIGTERM: leave through the same path as Ctrl-C, so the
        # embedded PostgreSQL is stopped cleanly by open_database's exit.
        signal.signal(signal.SIGTERM, _exit_on_signal)
        worker = None
        if with_worker:
            from exchange.errors import ExchangeError
            from exchange.network.worker import start_worker

            try:
                worker = start_worker(engine, settings)
            except ExchangeError as exc:
                raise click.ClickException(f"exchange worker: {exc}") from exc
            click.echo("exchange worker running")
        try:
            if server == "waitress":
                _serve_waitress(
                    settings, bind_host, bind_port, threads or WAITRESS_THREADS, body_limit
                )
            else:
                # The web workers open their own pools; this one served migrations only.
                engine.dispose()
                count = workers or default_workers()
                _serve_gunicorn(settings, bind_host, bind_port, count, threads or WORKER_THREADS)
        except KeyboardInterrupt:
            click.echo("stopping")
        finally:
            _stop_background(background)
            if worker is not None:
                worker[1].set()
                worker[0].join(timeout=30)


# ncen serve's defaults (docs/operations.md, "Production server"; chosen with
# benchmarks/bench_load.py, whose defaults run them): one gunicorn worker per core (two per
# core measured no gain in the session-6 runs, and cost memory and connections), at least two
# so that a worker being restarted never stops the node. No max_requests: a restarted worker
# loses its warm, frozen objects (`_freeze_warm_worker`; the session-8 paced runs in
# docs/operations.md, "Paced latency").
MIN_WORKERS = 2
MAX_WORKERS = 8
WORKER_THREADS = 4
WAITRESS_THREADS = 8


def default_workers() -> int:
    """gunicorn worker processes when ``--workers`` is not given: one per CPU core of this
    machine, at least `MIN_WORKERS`, at most `MAX_WORKERS`."""
    return max(MIN_WORKERS, min(MAX_WORKERS, os.cpu_count() or 1))


def _start_background(
    engine: Engine, settings: Settings
) -> list[tuple[threading.Thread, threading.Event]]:
    """Start the serving process's background threads: the audit chainer (the web's sessions
    defer their audit events to it), the audit checkpointer, the import runner (the wizard
    queues big files for it) and, unless disabled, the whole-graph centrality (far too slow
    for a request: computed here, read by the web) and the duplicate scanner (new and changed
    records reach the duplicate candidates)."""
    # The chainer first: stopped first, it chains the web's last events before the
    # checkpointer's last checkpoint.
    threads = [start_chainer(engine), start_checkpointer(engine, settings), start_runner(engine)]
    for optional in (
        start_centrality_refresher(engine, settings),
        start_duplicate_scanner(engine, settings.duplicate_scan_minutes),
    ):
        if optional is not None:
            threads.append(optional)
    return threads


def _stop_background(threads: list[tuple[threading.Thread, threading.Event]]) -> None:
    """Stop them: the checkpointer writes a last checkpoint; a centrality computation under
    way is not waited for (its daemon thread and its transaction end with the process)."""
    threads[0][1].set()
    threads[0][0].join(timeout=30)  # the chainer's last round, before the last checkpoint
    for _, stop in threads[1:]:
        stop.set()
    threads[1][0].join(timeout=30)


def _serve_waitress(
    settings: Settings, host: str, port: int, threads: int, body_limit: int
) -> None:
    """One process, ``threads`` threads; returns when interrupted."""
    from waitress import serve as waitress_serve

    from web import create_app

    waitress_serve(
        _with_slow_log(create_app(settings, deferred_audit=True)),
        host=host,
        port=port,
        threads=threads,
        ident="ncen",
        max_request_body_size=body_limit,
    )


# How long gunicorn lets running requests finish after SIGTERM, and the parent waits on top.
GRACEFUL_SECONDS = 30


def _serve_gunicorn(settings: Settings, host: str, port: int, workers: int, threads: int) -> None:
    """Run `gunicorn_main` in a child process until it exits or this process is interrupted.

    The child reads the same settings from the environment, plus the database URL of the
    server this process opened. Raises `click.ClickException` if gunicorn stops by itself
    (for example when a worker cannot boot), so that the database is still stopped cleanly.
    """
    env = dict(os.environ)
    env["NCEN_DATABASE_URL"] = settings.database_url or ""
    # The web workers never migrate: they get no owner credentials (an empty value also hides
    # one from an NCEN_CONFIG file, since the environment wins).
    env["NCEN_DATABASE_OWNER_URL"] = ""
    env["NCEN_SERVER_PROCESSES"] = str(workers)  # in-memory limits are shared out per worker
    env["NCEN_INSTANCE_PATH"] = str(settings.instance_path)
    env["NCEN_SECURE_COOKIES"] = "true" if settings.secure_cookies else "false"
    args = [sys.executable, "-c", "from web.cli import gunicorn_main; gunicorn_main()"]
    # Our own interpreter and module, arguments from the validated options: no shell, no input.
    child = subprocess.Popen([*args, host, str(port), str(workers), str(threads)], env=env)  # noqa: S603
    try:
        code = child.wait()
    except KeyboardInterrupt:
        child.send_signal(signal.SIGTERM)  # gunicorn's graceful stop
        try:
            child.wait(timeout=GRACEFUL_SECONDS + 10)
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()
        raise
    raise click.ClickException(f"gunicorn stopped with exit code {code}")


def gunicorn_main() -> None:
    """Entry of the gunicorn child of ``ncen serve``: ``HOST PORT WORKERS THREADS`` in argv.

    Each worker builds its own app (and so its own connection pool) after the fork; the
    master never touches the database. gthread workers keep a slow request from blocking a
    whole process; gunicorn does not buffer request bodies, so run it behind nginx (see
    docs/operations.md), which buffers slow clients and bounds bodies.
    """
    from gunicorn.app.base import BaseApplication

    from web import create_app

    host, port, workers, threads = sys.argv[1:5]
    settings = ensure_secret_key(load_settings())
    options: dict[str, object] = {
        "bind": f"{host}:{port}",
        "workers": int(workers),
        "threads": int(threads),
        "worker_class": "gthread",
        "proc_name": "ncen",
        "graceful_timeout": GRACEFUL_SECONDS,
        # A picture upload or a bundle import can take a while; gthread workers still
        # heartbeat meanwhile, so this only ends a worker that is truly stuck.
        "timeout": 120,
        # Trust no X-Forwarded-* header here: the app decides which proxy it trusts.
        "forwarded_allow_ips": "",
        "errorlog": "-",
        # No control socket: it defaults to one path per OS user (~/.gunicorn/gunicorn.ctl),
        # which two nodes on one machine would share, and ncen does not use it.
        "control_socket_disable": True,
        "post_request": _freeze_warm_worker,
    }

    class NcenApplication(BaseApplication):
        def load_config(self) -> None:
            for key, value in options.items():
                self.cfg.set(key, value)

        # types-gunicorn types the WSGI environ as MutableMapping, Flask (like wsgiref.types)
        # as dict; gunicorn hands the app a plain dict, so the two agree at run time.
        def load(self) -> Flask:  # type: ignore[override]
            # The chainer runs in the parent, ncen serve: see _start_background.
            app = create_app(settings, deferred_audit=True)
            freeze_process()  # see _freeze_warm_worker
            gc.set_threshold(YOUNG_COLLECTION, *gc.get_threshold()[1:])
            return _with_slow_log(app)

    NcenApplication().run()


# Allocations between two young collections in a gunicorn worker (CPython's default: 700).
# Each young collection promotes what the requests in flight hold to the older generations,
# where it dies and waits for a full collection; 700 made a full one every few seconds under
# the paced load test once the app was frozen (docs/operations.md, "Paced latency").
YOUNG_COLLECTION = 10_000
# After how many requests a gunicorn worker freezes what it has built by then (see below).
FREEZE_AT = (200, 2_000, 20_000)
_freezes: list[int] = []


def _freeze_warm_worker(worker: Any, _req: object, _environ: object, _resp: object) -> None:
    """gunicorn's ``post_request`` hook: `freeze_process` once past each of `FREEZE_AT`.

    A worker holds some 250,000 objects once the app is built, and more once its requests have
    compiled the templates, loaded translations and code lists and filled SQLAlchemy's caches.
    CPython's full (oldest-generation) collection walks all of them while holding the GIL:
    measured with NCEN_SLOW_REQUEST_MS under the paced load test, one such pause stopped every
    request of the worker for 0.6-0.8 s, and those pauses made the paced phase's p99. Frozen
    objects are never walked again; they live as long as the worker anyway (the app and its
    caches). The app is frozen once built (``load``), then again as it warms up. The young
    generations are collected first (a few milliseconds); cyclic garbage already in the oldest
    one is kept, a bounded few kB each time, three times in a worker's life."""
    due = sum(1 for n in FREEZE_AT if worker.nr >= n)
    if due <= len(_freezes):
        return
    _freezes.append(worker.nr)
    freeze_process()


def _with_slow_log(app: Flask) -> Flask:
    """``app``, its WSGI callable wrapped in `web.requesttiming.SlowRequestLog` when
    ``NCEN_SLOW_REQUEST_MS`` is a positive number of milliseconds (an operator's diagnosis
    switch; off by default)."""
    raw = os.environ.get("NCEN_SLOW_REQUEST_MS", "").strip()
    if not raw.isdigit() or int(raw) <= 0:
        return app
    from web.requesttiming import SlowRequestLog

    app.wsgi_app = SlowRequestLog(app.wsgi_app, int(raw))  # type: ignore[method-assign]
    return app


def _seal_clear_secrets(settings: Settings, engine: Engine) -> None:
    """Seal the TOTP secrets and hit-check keys a node stored in clear before sealing existed,
    at start-up rather than at each one's next use."""
    from sqlalchemy.orm import Session

    from exchange.services.hitcheck import seal_clear_keys
    from ncen.accounts.totp import seal_clear_secrets
    from ncen.secretbox import SecretBox

    box = SecretBox.for_settings(settings)
    with Session(engine) as session, session.begin():
        sealed = seal_clear_secrets(session, box) + seal_clear_keys(session, box)
    if sealed:
        click.echo(f"sealed {sealed} secrets stored in clear")


def _rehash_pictures(settings: Settings, engine: Engine) -> None:
    """Give the pictures stored before the similarity index their hashes (`rehash_missing`).

    A migration cannot: the files live in the picture store, not in the database. Once every
    picture has its hashes this is one query; an unreadable file is reported, not fatal.
    """
    report = rehash_missing(engine, PictureStore(settings.picture_path))
    if report.hashed:
        click.echo(f"hashed {report.hashed} pictures for the similarity search")
    for sha256, reason in report.failed.items():
        click.echo(f"picture {sha256} not hashed: {reason}", err=True)


def _exit_on_signal(signum: int, _frame: object) -> None:
    raise KeyboardInterrupt(f"signal {signum}")


def main() -> None:
    """Console-script entry point."""
    cli(prog_name="ncen")

"""The ``ncen`` command line: the composition root that wires settings, database and app.

It gathers the domain commands (`ncen.cli`), adds ``serve``, and turns configuration errors
into one-line messages. ``ncen serve`` runs the app under waitress, a production WSGI server.
"""

from __future__ import annotations

import logging
import signal
import sys

import click

from exchange.cli import COMMANDS as EXCHANGE_COMMANDS
from ncen import migrate
from ncen.audit.checkpointer import start_checkpointer
from ncen.cli import COMMANDS, DemoPlan, run_demo
from ncen.clitools import fail_on_ncen_errors
from ncen.dbroles import check_least_privilege
from ncen.errors import ValidationError
from ncen.runtime import open_database
from ncen.settings import Settings, ensure_secret_key, load_settings


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


@cli.command("serve")
@click.option("--host", default=None, help="Address to bind (default NCEN_HOST or 127.0.0.1).")
@click.option("--port", default=None, type=int, help="Port (default NCEN_PORT or 8000).")
@click.option("--threads", default=8, show_default=True, type=click.IntRange(1, 64))
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
    threads: int,
    demo: bool,
    insecure_cookies: bool,
    with_worker: bool,
) -> None:
    """Run the web application (and the database, if embedded) until interrupted."""
    from waitress import serve as waitress_serve

    from web import create_app

    settings: Settings = ensure_secret_key(ctx.obj)
    if insecure_cookies:
        settings = settings.__class__(**{**settings.__dict__, "secure_cookies": False})
    bind_host = host or settings.host
    bind_port = port or settings.port
    with open_database(settings, check_role=False) as (settings, engine):
        if demo:
            username, password = run_demo(settings, engine, DemoPlan())
        else:
            migrate.upgrade_node(settings)
        with engine.connect() as conn:
            check_least_privilege(conn)  # fail closed: never serve as a privileged role
        app = create_app(settings)
        checkpointer = start_checkpointer(engine, settings)
        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
        click.echo(f"ncen node {settings.node_id} serving on http://{bind_host}:{bind_port}/")
        if demo:
            click.echo(f"sign in as: {username}\none-time password: {password}")
        # Service managers stop with SIGTERM: leave through the same path as Ctrl-C, so the
        # embedded PostgreSQL is stopped cleanly by open_database's exit.
        signal.signal(signal.SIGTERM, _exit_on_signal)
        worker = None
        if with_worker:
            from exchange.errors import ExchangeError
            from exchange.worker import start_worker

            try:
                worker = start_worker(engine, settings)
            except ExchangeError as exc:
                raise click.ClickException(f"exchange worker: {exc}") from exc
            click.echo("exchange worker running")
        try:
            waitress_serve(app, host=bind_host, port=bind_port, threads=threads, ident="ncen")
        except KeyboardInterrupt:
            click.echo("stopping")
        finally:
            checkpointer[1].set()
            checkpointer[0].join(timeout=30)
            if worker is not None:
                worker[1].set()
                worker[0].join(timeout=30)


def _exit_on_signal(signum: int, _frame: object) -> None:
    raise KeyboardInterrupt(f"signal {signum}")


def main() -> None:
    """Console-script entry point."""
    cli(prog_name="ncen")

"""``ncen duplicates scan``: fill the stored queue of duplicate candidates the page ranks.

Runs `ncen.merging.queue.scan_window` one window (one transaction) at a time until every
record changed since the last run is examined, or ``--limit`` records are: an interrupted run
resumes where it stopped. Meant for a timer (every few minutes) and after large imports.
"""

from __future__ import annotations

import sys

import click
from sqlalchemy.orm import Session

from ncen.accounts.actor import Actor
from ncen.clitools import database, fail_on_ncen_errors
from ncen.merging.candidates import DEFAULT_WINDOW, RECORD_TYPES
from ncen.merging.queue import last_scan, reset_scan, scan_window, waiting


@click.group("duplicates")
def duplicates_group() -> None:
    """Duplicate candidates: the stored queue the duplicates page ranks."""


@duplicates_group.command("scan")
@click.option(
    "--type", "record_types", type=click.Choice(RECORD_TYPES), multiple=True,
    help="record type to scan (default: persons and companies)",
)  # fmt: skip
@click.option("--full", is_flag=True, help="examine every record again, not only changed ones")
@click.option("--limit", type=click.IntRange(min=0), default=0, help="at most this many (0: all)")
@click.pass_context
@fail_on_ncen_errors
def scan_command(ctx: click.Context, record_types: tuple[str, ...], full: bool, limit: int) -> None:
    """Examine the records changed since the last scan and store their duplicate candidates."""
    actor = Actor.system("duplicates")
    with database(ctx) as engine:
        for record_type in record_types or RECORD_TYPES:
            with Session(engine) as session, session.begin():
                if full:
                    reset_scan(session, actor, record_type)
                todo = waiting(session, record_type, last_scan(session, record_type))
            todo = min(todo, limit) if limit else todo
            done = 0
            with click.progressbar(length=todo, label=f"{record_type:<8}", file=sys.stderr) as bar:
                while done < todo:
                    with Session(engine) as session, session.begin():
                        window = min(DEFAULT_WINDOW, todo - done)
                        examined = scan_window(session, actor, record_type, window=window)
                    if not examined:
                        break
                    done += examined
                    bar.update(examined)
            click.echo(f"{record_type}: {done} records examined")

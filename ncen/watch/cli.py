"""``ncen watch check``: rerun the saved searches that alert, for a scheduler (cron, timer).

Every new result of a saved search with its ``alert`` flag becomes an alert for its owner (see
`ncen.watch.saved`). Watches of records, names and identifiers need no command: their alerts
are raised when records are written.
"""

from __future__ import annotations

import click
from sqlalchemy.orm import Session

from ncen.clitools import database, fail_on_ncen_errors
from ncen.watch.saved import check_saved_searches


@click.group("watch")
def watch_group() -> None:
    """Watch-lists and alerts."""


@watch_group.command("check")
@click.pass_context
@fail_on_ncen_errors
def watch_check(ctx: click.Context) -> None:
    """Rerun every alerting saved search and raise an alert per new result."""
    with database(ctx) as engine, Session(engine) as session, session.begin():
        raised = check_saved_searches(session)
    click.echo(f"saved searches checked: {raised} new alerts")

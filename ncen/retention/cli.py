"""``ncen retention``: list the records due for review, and give review dates to rows without.

``due`` is for a scheduler or an operator: it prints the queue (or JSON with ``--json``) and is
audited like the web queue, as a read of nominal data by the node's console actor. Decisions
(keep, delete) are taken by a supervisor on the web page, because a deletion is retracted from
peers through the exchange, which only the composition layer may call.
``assign`` fills the review dates of rows written around the services (bulk loads).
"""

from __future__ import annotations

import json
from datetime import UTC, datetime

import click
from sqlalchemy.orm import Session

from ncen.accounts.actor import Actor
from ncen.clitools import database, fail_on_ncen_errors
from ncen.retention.dates import assign_missing
from ncen.retention.services import RECORD_TYPES, read_queue


@click.group("retention")
def retention_group() -> None:
    """Retention review: records due for review, review dates."""


@retention_group.command("due")
@click.option("--type", "record_type", type=click.Choice(RECORD_TYPES), default=None)
@click.option("--limit", type=click.IntRange(1, 100_000), default=1000, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
@click.pass_context
@fail_on_ncen_errors
def retention_due(ctx: click.Context, record_type: str | None, limit: int, as_json: bool) -> None:
    """List the records whose review date has come, the longest overdue first."""
    today = datetime.now(UTC).date()
    with database(ctx) as engine, Session(engine) as session, session.begin():
        items, total = read_queue(
            session, Actor.system("retention-cli"), today, record_type=record_type, limit=limit
        )
    if as_json:
        payload = {
            "date": today.isoformat(),
            "total": total,
            "records": [
                {
                    "record_type": item.record_type,
                    "id": str(item.record_id),
                    "label": item.label,
                    "handling_code": item.handling_code,
                    "review_due": item.review_due.isoformat(),
                    "deleted": item.deleted,
                    "origin_node": item.origin_node,
                }
                for item in items
            ],
        }
        click.echo(json.dumps(payload, ensure_ascii=False, indent=2))
        return
    for item in items:
        flags = " (deleted)" if item.deleted else ""
        click.echo(
            f"{item.review_due.isoformat()}  {item.record_type:<10}  {item.handling_code}  "
            f"{item.record_id}  {item.label}{flags}"
        )
    click.echo(f"{total} records due for review on {today.isoformat()}")


@retention_group.command("assign")
@click.pass_context
@fail_on_ncen_errors
def retention_assign(ctx: click.Context) -> None:
    """Give a review date to every record without one (e.g. after a bulk load)."""
    with database(ctx) as engine, Session(engine) as session, session.begin():
        counts = assign_missing(session)
    click.echo(", ".join(f"{count} {name}" for name, count in counts.items()) + " dated")

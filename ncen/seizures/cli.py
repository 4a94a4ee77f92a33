"""``ncen seizures list``: the seizure references of this node, filtered, for scripts and for a
newcomer who needs a real reference (the README's "Two nodes" walk-through picks one with it).

It runs the web list's query (`ncen.seizures.queries.list_statement`, live seizures only, foreign
ones with their origin) as ``Actor.system("cli")`` and is audited like the web list
(``seizure.list`` with the filters). Output: one line per seizure (reference, date, status,
office, commodity groups, origin), or with ``--json`` one document.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any

import click
from sqlalchemy.orm import Session, selectinload

from ncen.accounts.actor import Actor
from ncen.clitools import database, fail_on_ncen_errors
from ncen.reading import note_read
from ncen.seizures.models import Seizure, SeizureStatus
from ncen.seizures.queries import WITHOUT_COLLECTIONS, SeizureFilters, list_statement

_DATE = click.DateTime(["%Y-%m-%d"])


def _day(value: datetime | None) -> date | None:
    return value.date() if value is not None else None


def _row(seizure: Seizure) -> dict[str, Any]:
    return {
        "reference": seizure.reference,
        "occurred_at": seizure.occurred_at.isoformat(),
        "status": seizure.status.value,
        "office": seizure.office_code,
        "commodities": sorted({item.commodity_group for item in seizure.items}),
        "origin_node": seizure.origin_node,
    }


@click.group("seizures")
def seizures_group() -> None:
    """Seizures of this node: list."""


@seizures_group.command("list")
@click.option("--from", "date_from", type=_DATE, default=None, help="Seized on or after (UTC).")
@click.option("--to", "date_to", type=_DATE, default=None, help="Seized on or before (UTC).")
@click.option("--commodity", default=None, help="Commodity group code (e.g. drugs, tobacco).")
@click.option("--office", default=None, help="Customs office code.")
@click.option("--status", type=click.Choice([s.value for s in SeizureStatus]), default=None)
@click.option(
    "--origin",
    type=click.Choice(["national", "received"]),
    default=None,
    help="Only this node's own seizures, or only those received from peers.",
)
@click.option("--limit", default=20, show_default=True, type=click.IntRange(1, 10_000))
@click.option("--json", "as_json", is_flag=True, help="One JSON document.")
@click.pass_context
@fail_on_ncen_errors
def seizures_list(  # noqa: PLR0917 - click passes options by keyword
    ctx: click.Context,
    date_from: datetime | None,
    date_to: datetime | None,
    commodity: str | None,
    office: str | None,
    status: str | None,
    origin: str | None,
    limit: int,
    as_json: bool,
) -> None:
    """List seizure references, newest first (audited as a read of the seizure list)."""
    filters = SeizureFilters(
        status=SeizureStatus(status) if status else None,
        commodity_group=commodity,
        office_code=office,
        date_from=_day(date_from),
        date_to=_day(date_to),
        foreign=None if origin is None else origin == "received",
    )
    actor = Actor.system("cli")
    with database(ctx) as engine, Session(engine) as session, session.begin():
        note_read(session, actor, "seizure", details={**filters.describe(), "limit": limit})
        stmt = (
            list_statement(filters)
            .options(*WITHOUT_COLLECTIONS[1:], selectinload(Seizure.items))
            .limit(limit)
        )
        rows = [_row(seizure) for seizure in session.execute(stmt).scalars()]
    if as_json:
        click.echo(json.dumps({"count": len(rows), "seizures": rows}, indent=2))
        return
    if not rows:
        click.echo("no seizures")
    for row in rows:
        origin_text = f"  from {row['origin_node']}" if row["origin_node"] else ""
        commodities = ",".join(row["commodities"]) or "-"
        click.echo(
            f"{row['reference']:<28} {str(row['occurred_at'])[:10]}  {row['status']:<9} "
            f"{row['office'] or '-':<14} {commodities}{origin_text}"
        )

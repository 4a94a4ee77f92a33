"""``ncen stats``: the statistics from the command line, for scripting.

``ncen stats seizures --by DIM[,DIM] [--from --to --commodity --country --office --transport
--provenance --facet DIM:VALUE ...] [--json]`` prints one table (the same numbers as the
statistics page, each row with the seizure-list filters behind it); ``ncen stats refresh``
applies every queued change to the statistics tables (after a bulk import, or from a timer).
Runs as ``Actor.system("cli")``; statistics are not nominal, so nothing is audited.
"""

from __future__ import annotations

import json

import click
from sqlalchemy.orm import Session

from ncen.accounts.actor import Actor
from ncen.analysis.export import table_document, table_labels
from ncen.analysis.filters import parse_by, parse_filters
from ncen.analysis.rollups import (
    BATCH,
    REBUILD_ABOVE,
    rebuild_statistics,
    refresh_statistics,
    statistics_freshness,
)
from ncen.analysis.statistics import tabulate
from ncen.clitools import database, fail_on_ncen_errors

# Named options that are shorthands for facets (see `ncen.seizures.facets`).
_SHORTHANDS = (
    ("commodity", "commodity", "Commodity group code, e.g. drugs."),
    ("country", "route", "Any country of the route (ISO alpha-2), e.g. KZ."),
    ("office", "office", "Customs office code."),
    ("transport", "transport", "Transport mode code, e.g. road."),
    ("provenance", "provenance", "national or received."),
)


@click.group("stats")
def stats_group() -> None:
    """Statistics of seizures (the numbers of the statistics page)."""


@stats_group.command("seizures")
@click.option("--by", "by", required=True, help="One or two dimensions, e.g. commodity,month.")
@click.option("--from", "date_from", default=None, help="First day (YYYY-MM-DD, UTC).")
@click.option("--to", "date_to", default=None, help="Last day (YYYY-MM-DD, UTC).")
@click.option("--commodity", default=None, help=_SHORTHANDS[0][2])
@click.option("--country", default=None, help=_SHORTHANDS[1][2])
@click.option("--office", default=None, help=_SHORTHANDS[2][2])
@click.option("--transport", default=None, help=_SHORTHANDS[3][2])
@click.option("--provenance", default=None, help=_SHORTHANDS[4][2])
@click.option("--facet", "facets", multiple=True, help="DIM:VALUE, any dimension; repeatable.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON document.")
@click.pass_context
@fail_on_ncen_errors
def stats_seizures(  # noqa: PLR0917 - click passes options by keyword
    ctx: click.Context,
    by: str,
    date_from: str | None,
    date_to: str | None,
    commodity: str | None,
    country: str | None,
    office: str | None,
    transport: str | None,
    provenance: str | None,
    facets: tuple[str, ...],
    as_json: bool,
) -> None:
    """Seizures counted by one or two dimensions, with quantities per unit family."""
    named = dict(
        zip(
            (dim for _option, dim, _help in _SHORTHANDS),
            (commodity, country, office, transport, provenance),
            strict=True,
        )
    )
    raw = [f"{dim}:{value}" for dim, value in named.items() if value] + list(facets)
    filters = parse_filters(date_from, date_to, raw)
    dimensions = parse_by(by)
    with database(ctx) as engine, Session(engine) as session:
        _refresh_all(session)
        with session.begin():
            table = tabulate(session, Actor.system("cli"), filters, dimensions)
            document = table_document(
                table, table_labels(session, table), statistics_freshness(session)
            )
    if as_json:
        click.echo(json.dumps(document, ensure_ascii=False, indent=2))
        return
    click.echo(f"{document['total_seizures']} seizures, as of {document['as_of']}")
    for row in document["rows"]:
        values = " / ".join(row[name]["label"] for name in dimensions)
        quantities = ", ".join(f"{v} {f}" for f, v in row["quantities"].items())
        click.echo(f"{row['seizures']:>8}  {values}" + (f"  ({quantities})" if quantities else ""))


@stats_group.command("refresh")
@click.pass_context
@fail_on_ncen_errors
def stats_refresh(ctx: click.Context) -> None:
    """Apply every queued change to the statistics tables."""
    with database(ctx) as engine, Session(engine) as session:
        done = _refresh_all(session, progress=True)
    click.echo(f"refreshed the statistics of {done} seizures")


def _refresh_all(session: Session, *, progress: bool = False) -> int:
    """Refresh everything queued: one set-based rebuild after a bulk load, otherwise one
    committed transaction per batch (bounded locks)."""
    done = 0
    with session.begin():
        pending = statistics_freshness(session).pending
    if pending > REBUILD_ABOVE:
        if progress:
            click.echo(f"  {pending} seizures queued: rebuilding the statistics", err=True)
        with session.begin():
            done = rebuild_statistics(session)
    while True:
        with session.begin():
            n = refresh_statistics(session, limit=BATCH)
        done += n
        if progress and n:
            click.echo(f"  {done} seizures refreshed", err=True)
        if n < BATCH:
            return done

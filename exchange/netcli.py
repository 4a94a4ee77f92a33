"""Online exchange commands of ``ncen exchange``: worker, send, ledger, cen-export.

``worker`` runs the delivery loop until SIGTERM or Ctrl-C. ``send`` seals seizures for peers and
queues them (the worker delivers). ``ledger`` prints the per-peer ledger and reconciliation.
``cen-export`` writes the non-nominal CEN export (CSV or JSON). Commands are thin: settings,
database, one transaction, the services of this package, print.
"""

from __future__ import annotations

import signal
import threading
from datetime import date
from pathlib import Path

import click
from sqlalchemy.orm import Session

from exchange.network.ledger import peer_ledger
from exchange.network.node import load_node
from exchange.network.outbox import queue_records
from exchange.network.worker import utc_now, worker_loop
from exchange.services.cen_export import build_cen_export, to_csv, to_json
from exchange.services.trust import list_peers
from ncen.accounts.actor import Actor
from ncen.audit import record_event
from ncen.clitools import database, settings_from
from ncen.runtime import open_database


@click.command("worker")
@click.pass_context
def exchange_worker(ctx: click.Context) -> None:
    """Deliver queued bundles (with retries) and pull from NAT peers until stopped."""
    settings = settings_from(ctx)
    with open_database(settings) as (settings, engine):
        node = load_node(settings)
        stop = threading.Event()

        def _stop(_signum: int, _frame: object) -> None:
            stop.set()

        signal.signal(signal.SIGTERM, _stop)
        signal.signal(signal.SIGINT, _stop)
        click.echo(f"exchange worker of {node.node_id} running")
        worker_loop(engine, node, stop)
        click.echo("exchange worker stopped")


@click.command("send")
@click.option("--to", "recipients", multiple=True, required=True, help="Peer node id.")
@click.option("--seizure", "references", multiple=True, required=True, help="Seizure reference.")
@click.option("--legal-basis", required=True, help="The legal basis of this exchange.")
@click.option("--purpose", required=True, help="The purpose of this exchange.")
@click.option(
    "--confirm-h3",
    "h3_confirmed",
    multiple=True,
    metavar="NODE_ID",
    help="Confirm that this recipient is allowed by the restrictions of the H3 records "
    "(once per recipient; recorded with the legal basis).",
)
@click.pass_context
def exchange_send(  # noqa: PLR0917 - click passes options by keyword
    ctx: click.Context,
    recipients: tuple[str, ...],
    references: tuple[str, ...],
    legal_basis: str,
    purpose: str,
    h3_confirmed: tuple[str, ...],
) -> None:
    """Seal seizures for peers and queue them for online delivery.

    Only validated seizures whose distribution includes every recipient leave; H3 records
    need --confirm-h3 for each recipient.
    """
    settings = settings_from(ctx)
    node = load_node(settings)
    with database(ctx) as engine, Session(engine) as session, session.begin():
        queued = queue_records(
            session,
            Actor.system("exchange-cli"),
            node,
            recipients=recipients,
            references=references,
            legal_basis=legal_basis,
            purpose=purpose,
            now=utc_now(),
            h3_confirmed=h3_confirmed,
        )
    click.echo(f"queued bundle {queued.bundle_id} ({queued.size} bytes)")
    for node_id, sequence in queued.recipients:
        click.echo(f"  for {node_id} (sequence {sequence})")


@click.command("ledger")
@click.pass_context
def exchange_ledger(ctx: click.Context) -> None:
    """Print, per peer, what was sent and received and what the peer acknowledged."""
    with database(ctx) as engine, Session(engine) as session:
        for peer in list_peers(session):
            ledger = peer_ledger(session, peer.node_id)
            sent = ", ".join(f"{n} {state}" for state, n in sorted(ledger.sent.items()))
            received = ", ".join(f"{n} {state}" for state, n in sorted(ledger.received.items()))
            click.echo(
                f"{peer.node_id}: sent {sent or 'nothing'}; received {received or 'nothing'}"
            )
            click.echo(f"  acknowledged by {peer.node_id}: {len(ledger.acknowledged)} bundles")


@click.command("cen-export")
@click.option("--format", "fmt", type=click.Choice(["csv", "json"]), default="csv")
@click.option("--since", type=click.DateTime(["%Y-%m-%d"]), default=None)
@click.option("--until", type=click.DateTime(["%Y-%m-%d"]), default=None)
@click.option("--min-count", type=click.IntRange(1, 100), default=None)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True)
@click.pass_context
def exchange_cen_export(  # noqa: PLR0917 - click passes options by keyword
    ctx: click.Context,
    fmt: str,
    since: object,
    until: object,
    min_count: int | None,
    output: Path,
) -> None:
    """Write the non-nominal CEN export (audited)."""
    settings = settings_from(ctx)
    node = load_node(settings)
    start = since.date() if hasattr(since, "date") else None
    end = until.date() if hasattr(until, "date") else None
    with database(ctx) as engine, Session(engine) as session, session.begin():
        export = build_cen_export(
            session,
            reporting_country=settings.node_country,
            since=start if isinstance(start, date) else None,
            until=end if isinstance(end, date) else None,
            min_count=min_count or node.config.cen_min_count,
            now=utc_now(),
        )
        record_event(
            session,
            Actor.system("exchange-cli"),
            "exchange.cen_export",
            details={"format": fmt, "seizures": len(export.seizures), "file": output.name},
        )
    output.write_bytes(to_json(export) if fmt == "json" else to_csv(export))
    click.echo(f"{len(export.seizures)} seizures written to {output}")


NETWORK_COMMANDS: tuple[click.Command, ...] = (
    exchange_worker,
    exchange_send,
    exchange_ledger,
    exchange_cen_export,
)

"""Online exchange commands of ``ncen exchange``: worker, send, distribution, ledger, reconcile,
retract, cen-export.

``worker`` runs the delivery loop until SIGTERM or Ctrl-C. ``send`` seals seizures for peers and
queues them (the worker delivers); ``distribution`` marks how far seizures may travel.
``ledger`` prints the per-peer ledger (bundle ids, states, reasons; ``--json`` for the peer),
``reconcile`` compares it with the peer's. ``retract`` withdraws shared seizures, online or as a
sealed file. ``cen-export`` writes the non-nominal CEN export (CSV or JSON). Commands are thin:
settings, database, one transaction, the services of this package, print.
"""

from __future__ import annotations

import json
import signal
import threading
import uuid
from datetime import date
from pathlib import Path
from typing import Any

import click
from sqlalchemy.orm import Session

from exchange.netmodels import DistributionLevel
from exchange.network.ledger import ledger_entries, peer_ledger, reconcile
from exchange.network.node import load_node
from exchange.network.outbox import queue_records, set_distribution
from exchange.network.worker import utc_now, worker_loop
from exchange.services.cen_export import build_cen_export, to_csv, to_json
from exchange.services.retractions import queue_retraction, seal_retraction_file
from exchange.services.trust import get_peer, list_peers
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
@click.option("--to", "recipients", multiple=True, required=True, help="Peer node id (repeatable).")
@click.option(
    "--seizure",
    "references",
    multiple=True,
    required=True,
    help="Seizure reference (repeat for several: --seizure A --seizure B).",
)
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


@click.command("distribution")
@click.argument("references", nargs=-1, required=True)
@click.option(
    "--level",
    type=click.Choice([level.value for level in DistributionLevel]),
    required=True,
    help="national_only (the default of an unmarked seizure), named_peers, all_peers, "
    "global_cen (all peers, and non-nominal in the CEN export).",
)
@click.option("--peer", "peers", multiple=True, help="With named_peers: a peer (repeatable).")
@click.pass_context
def exchange_distribution(
    ctx: click.Context, references: tuple[str, ...], level: str, peers: tuple[str, ...]
) -> None:
    """Mark how far national seizures may travel (REFERENCES: one or more references). A
    seizure leaves only to peers its distribution includes."""
    with database(ctx) as engine, Session(engine) as session, session.begin():
        for reference in references:
            set_distribution(
                session, Actor.system("exchange-cli"), reference, DistributionLevel(level), peers
            )
    click.echo(
        f"{len(references)} seizures marked {level}" + (f": {', '.join(peers)}" if peers else "")
    )


@click.command("ledger")
@click.option("--peer", "peer_id", default=None, help="Only this peer.")
@click.option("--limit", default=20, show_default=True, type=click.IntRange(1, 10000))
@click.option("--json", "as_json", is_flag=True, help="JSON, for `ncen exchange reconcile`.")
@click.pass_context
def exchange_ledger(ctx: click.Context, peer_id: str | None, limit: int, as_json: bool) -> None:
    """Print, per peer, the bundles sent (online or on files) and received, newest first, with
    their state and the reason of any failure, and what the peer acknowledged."""
    settings = settings_from(ctx)
    document: dict[str, Any] = {"node_id": settings.node_id, "peers": {}}
    with database(ctx) as engine, Session(engine) as session:
        peers = [get_peer(session, peer_id)] if peer_id else list_peers(session)
        for peer in peers:
            ledger = peer_ledger(session, peer.node_id)
            entries = ledger_entries(session, peer.node_id, limit)
            document["peers"][peer.node_id] = {
                "sent": dict(ledger.sent),
                "received": dict(ledger.received),
                "acknowledged": sorted(str(b) for b in ledger.acknowledged),
                "imported": sorted(str(b) for b in ledger.imported),
                "sealed_to_file": sorted(str(b) for b in ledger.sealed_to_file),
                "entries": [entry.to_json() for entry in entries],
            }
            if as_json:
                continue
            sent = ", ".join(f"{n} {state}" for state, n in sorted(ledger.sent.items()))
            received = ", ".join(f"{n} {state}" for state, n in sorted(ledger.received.items()))
            click.echo(
                f"{peer.node_id}: sent {sent or 'nothing'}; received {received or 'nothing'}"
            )
            click.echo(f"  acknowledged by {peer.node_id}: {len(ledger.acknowledged)} bundles")
            for entry in entries:
                arrow = "->" if entry.direction == "sent" else "<-"
                details = [f"seq {entry.sequence}" if entry.sequence is not None else ""]
                if entry.attempts:
                    details.append(f"{entry.attempts} attempts")
                if entry.reason:
                    details.append(entry.reason)
                click.echo(
                    f"  {arrow} {entry.bundle_id or '?'}  {entry.channel:<6} {entry.state:<9} "
                    f"{entry.at:%Y-%m-%d %H:%M:%S}  {'; '.join(d for d in details if d)}"
                )
    if as_json:
        click.echo(json.dumps(document, indent=1, sort_keys=True))


@click.command("reconcile")
@click.argument("peer_id", metavar="PEER")
@click.option(
    "--theirs",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="The peer's `ncen exchange ledger --peer OUR_NODE_ID --json` output.",
)
@click.pass_context
def exchange_reconcile(ctx: click.Context, peer_id: str, theirs: Path | None) -> None:
    """Check what PEER acknowledged against what we sent; with --theirs, against what PEER's
    own ledger says it imported from us, both ways. Exits 1 when the ledgers disagree."""
    settings = settings_from(ctx)
    with database(ctx) as engine, Session(engine) as session:
        get_peer(session, peer_id)
        ledger = peer_ledger(session, peer_id)
        pending = [
            e
            for e in ledger_entries(session, peer_id, 10000)
            if e.direction == "sent" and e.channel == "online" and e.state != "accepted"
        ]
    click.echo(
        f"{peer_id} acknowledged {len(ledger.acknowledged)} bundles from us with a signed "
        f"receipt; {len(ledger.sealed_to_file)} were sealed to files"
    )
    for entry in pending:
        click.echo(f"  not acknowledged: {entry.bundle_id} ({entry.state}: {entry.reason or '-'})")
    if theirs is None:
        click.echo("give --theirs (the peer's ledger as JSON) to compare both sides")
        return
    document = json.loads(theirs.read_text(encoding="utf-8"))
    if document.get("node_id") != peer_id:
        raise click.BadParameter(f"{theirs} is the ledger of {document.get('node_id')!r}")
    about_us = document.get("peers", {}).get(settings.node_id)
    if about_us is None:
        raise click.BadParameter(f"{theirs} has no ledger of {settings.node_id}")
    imported = {uuid.UUID(b) for b in about_us.get("imported", [])}
    result = reconcile(ledger.acknowledged, imported, ledger.sealed_to_file)
    for bundle_id in sorted(result.acknowledged_not_imported, key=str):
        click.echo(f"  acknowledged but not imported by {peer_id}: {bundle_id}")
    for bundle_id in sorted(result.imported_not_acknowledged, key=str):
        click.echo(f"  imported by {peer_id} without our record of a receipt: {bundle_id}")
    for bundle_id in sorted(result.files_not_opened, key=str):
        click.echo(f"  sealed to a file, not yet opened by {peer_id}: {bundle_id}")
    if not result.agree:
        click.echo("the ledgers disagree")
        raise SystemExit(1)
    click.echo("the ledgers agree")


@click.command("retract")
@click.option(
    "--seizure",
    "references",
    multiple=True,
    required=True,
    help="A national seizure to withdraw (repeat for several).",
)
@click.option("--reason", required=True, help="Why (shown to the recipients, kept on tombstones).")
@click.option("--legal-basis", required=True, help="The legal basis of the retraction.")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Seal the retraction into this bundle file (FILE.ncb) for peers reached by "
    "removable media, instead of queueing it online.",
)
@click.option("--to", "recipients", multiple=True, help="With -o: only these peers (repeatable).")
@click.pass_context
def exchange_retract(  # noqa: PLR0917 - click passes options by keyword
    ctx: click.Context,
    references: tuple[str, ...],
    reason: str,
    legal_basis: str,
    output: Path | None,
    recipients: tuple[str, ...],
) -> None:
    """Withdraw seizures this node shared: a signed retraction to every peer that received them
    (online, or on a file that the peer opens with `ncen exchange open`). Receivers delete the
    records and their content, and keep a tombstone."""
    settings = settings_from(ctx)
    node = load_node(settings)
    actor = Actor.system("exchange-cli")
    if output is None:
        if recipients:
            raise click.BadParameter("--to goes with -o; online, every recipient is told")
        with database(ctx) as engine, Session(engine) as session, session.begin():
            queued = queue_retraction(
                session,
                actor,
                node,
                references=references,
                reason=reason,
                legal_basis=legal_basis,
                now=utc_now(),
            )
        click.echo(f"queued retraction {queued.bundle_id}")
        for node_id, sequence in queued.recipients:
            click.echo(f"  for {node_id} (sequence {sequence})")
        return
    with database(ctx) as engine, Session(engine) as session:
        sealed = None
        try:
            with session.begin():
                sealed = seal_retraction_file(
                    session,
                    actor,
                    identity=node.identity,
                    references=references,
                    reason=reason,
                    legal_basis=legal_basis,
                    destination=output,
                    now=utc_now(),
                    recipients=recipients,
                )
        except BaseException:
            if sealed is not None:
                sealed.discard()
            raise
    path = sealed.publish()
    click.echo(f"sealed retraction {sealed.header.bundle_id} to {path}")
    for recipient in sealed.header.recipients:
        click.echo(f"  for {recipient.node_id} (sequence {recipient.sequence})")


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
    exchange_distribution,
    exchange_ledger,
    exchange_reconcile,
    exchange_retract,
    exchange_cen_export,
)

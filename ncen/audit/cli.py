"""``ncen audit``: verify the trail, write and export signed checkpoints, show the audit key.

- ``verify [--checkpoints FILE] [--public-key FILE]``: recompute the chain and check it against
  every signed checkpoint (the node's own file by default; an exported copy kept elsewhere, with
  the public key kept with it, for an independent check). Exit 1 on any difference.
- ``checkpoint [--syslog]``: verify the events since the last checkpoint, then sign and append a
  new one (cron-able; ``ncen serve`` also writes one every NCEN_AUDIT_CHECKPOINT_MINUTES).
- ``export-checkpoints -o FILE``: copy the signed checkpoints and the public key to FILE.
- ``public-key``: print the audit public key (PEM) and its fingerprint, to keep off the host.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import click
from sqlalchemy.orm import Session

from ncen.audit import checkpoints as cp
from ncen.audit.queue import chain_all_queued
from ncen.clitools import database, fail_on_ncen_errors, opened_settings
from ncen.errors import AuditChainError


@click.group("audit")
def audit_group() -> None:
    """Audit trail: verify the hash chain against signed checkpoints; write and export them."""


@audit_group.command("verify")
@click.option(
    "--checkpoints",
    "checkpoint_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Signed checkpoints to verify against (default: the node's own file).",
)
@click.option(
    "--public-key",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="The audit public key to trust (default: the node's own audit key).",
)
@click.pass_context
@fail_on_ncen_errors
def audit_verify(ctx: click.Context, checkpoint_file: Path | None, public_key: Path | None) -> None:
    """Recompute the chain and check every signed checkpoint; exit 1 on any difference.

    Events still waiting in the audit queue are chained first, so that the whole trail is
    verified."""
    with database(ctx) as engine, Session(engine) as session:
        chained = chain_all_queued(engine)
        if chained:
            click.echo(f"chained {chained} queued events first")
        settings = opened_settings(ctx)
        path = checkpoint_file or settings.audit_checkpoint_path
        if public_key is not None:
            trusted = cp.load_public_key(public_key)
        elif settings.audit_key_path.exists():
            trusted = cp.load_or_create_key(settings.audit_key_path).public_key()
        else:
            trusted = None
        if trusted is None and path.exists():
            raise AuditChainError(
                f"{path} holds checkpoints but there is no audit key to check them: "
                "give --public-key"
            )
        checkpoints = cp.read_checkpoints(path, trusted) if trusted is not None else []
        if checkpoint_file is not None and not checkpoints:
            # An explicit copy kept elsewhere that holds nothing must not pass as "verified".
            raise AuditChainError(f"{checkpoint_file} holds no signed checkpoint")
        head = cp.verify_against(session, checkpoints)
    click.echo(f"audit trail verified: {head.count} events")
    if checkpoints:
        last = checkpoints[-1]
        click.echo(
            f"checked against {len(checkpoints)} signed checkpoints; the last at event "
            f"{last.event_id} ({last.at}); {head.count - last.count} events since"
        )
    else:
        click.echo("no signed checkpoint yet: run `ncen audit checkpoint`")


@audit_group.command("checkpoint")
@click.option("--syslog", is_flag=True, help="Also send the checkpoint to the local syslog.")
@click.pass_context
@fail_on_ncen_errors
def audit_checkpoint(ctx: click.Context, syslog: bool) -> None:
    """Verify the events since the last checkpoint, then sign and append a new one (after
    chaining the events still queued)."""
    with database(ctx) as engine, Session(engine) as session:
        chain_all_queued(engine)
        settings = opened_settings(ctx)
        key = cp.load_or_create_key(settings.audit_key_path)
        checkpoint = cp.write_checkpoint(
            session, key, settings.audit_checkpoint_path, settings.node_id
        )
    if checkpoint is None:
        click.echo("the trail has not moved since the last checkpoint")
        return
    if syslog:
        cp.send_to_syslog(checkpoint)
    click.echo(f"checkpoint at event {checkpoint.event_id} ({checkpoint.count} events) signed")


@audit_group.command("export-checkpoints")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True)
@click.pass_context
@fail_on_ncen_errors
def audit_export(ctx: click.Context, output: Path) -> None:
    """Copy the signed checkpoints to OUTPUT and the public key to OUTPUT.pub.pem."""
    with database(ctx):
        settings = opened_settings(ctx)
    key = cp.load_or_create_key(settings.audit_key_path)
    source = settings.audit_checkpoint_path
    if source.exists():
        shutil.copyfile(source, output)
    else:
        output.write_text("", encoding="utf-8")
    public_path = output.with_name(output.name + ".pub.pem")
    public_path.write_text(cp.public_key_pem(key.public_key()), encoding="utf-8")
    click.echo(f"checkpoints written to {output}; public key to {public_path}")


@audit_group.command("public-key")
@click.pass_context
@fail_on_ncen_errors
def audit_public_key(ctx: click.Context) -> None:
    """Print the audit public key (PEM) and its fingerprint."""
    with database(ctx):
        settings = opened_settings(ctx)
    public = cp.load_or_create_key(settings.audit_key_path).public_key()
    click.echo(cp.public_key_pem(public).rstrip())
    click.echo(f"fingerprint: {cp.key_id(public)}")

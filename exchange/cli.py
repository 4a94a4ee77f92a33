"""The exchange commands of ``ncen``: ``keys``, ``peers`` and ``exchange`` (offline bundles).

Commands are thin: they read the settings and the key passphrase (``NCEN_KEY_PASSPHRASE`` or
``NCEN_KEY_PASSPHRASE_FILE``), open the database when they need it, own the transaction, call
the services of this package, and print. ``keys`` commands work on files only. Errors print as
one line with their reason code; nothing prints private key material.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import click
from sqlalchemy.orm import Session

from exchange.crypto.bundle import inspect_bundle
from exchange.crypto.keydir import (
    NodeKeys,
    passphrase_from_environment,
    read_statement_file,
    write_public_file,
)
from exchange.crypto.keys import KemAlgorithm, format_fingerprint
from exchange.crypto.keysets import REVOCATION_REASONS, parse_keyset
from exchange.errors import ExchangeError, ReplayError
from exchange.models import Peer, PeerStatus
from exchange.network.receiving import receive_bundle
from exchange.network.sending import seal_seizures
from exchange.records.foreign import ImportPlan
from exchange.records.recordschema import HANDLING_CODES, RECORD_TYPES
from exchange.services.trust import (
    Agreement,
    DatabaseTrust,
    add_peer,
    agreement_of,
    apply_key_statement,
    describe_key_ids,
    fingerprint_lines,
    get_peer,
    list_peers,
    read_peer_keyset,
    set_agreement,
    set_peer_status,
)
from ncen.accounts.actor import Actor
from ncen.clitools import database, fail_on_ncen_errors, settings_from
from ncen.pictures.store import PictureStore
from ncen.settings import Settings

EXCHANGE_FOLDER = "exchange"


def _now() -> datetime:
    """The current time at whole seconds (the precision of every signed time)."""
    return datetime.now(UTC).replace(microsecond=0)


def _actor() -> Actor:
    return Actor.system("exchange-cli")


def fail_on_exchange_errors(func_: Callable[..., Any]) -> Callable[..., Any]:
    """Print an `ExchangeError` (with its reason code) or `NcenError` as one line, exit 1."""
    inner = fail_on_ncen_errors(func_)

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return inner(*args, **kwargs)
        except ExchangeError as exc:
            click.echo(f"error [{exc.code}]: {exc}", err=True)
            sys.exit(1)
        except FileExistsError as exc:
            click.echo(f"error: {exc}", err=True)
            sys.exit(1)

    wrapper.__name__ = func_.__name__
    wrapper.__doc__ = func_.__doc__
    return wrapper


def _node_keys(settings: Settings) -> NodeKeys:
    passphrase = passphrase_from_environment(os.environ)
    return NodeKeys.of_instance(settings.instance_path, passphrase=passphrase)


@contextmanager
def _session(ctx: click.Context) -> Iterator[Session]:
    with database(ctx) as engine, Session(engine) as session:
        yield session


def _work_dir(settings: Settings) -> Path:
    folder = settings.instance_path / EXCHANGE_FOLDER
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    return folder


def _handling(value: str) -> frozenset[str]:
    codes = frozenset(code.strip().upper() for code in value.split(",") if code.strip())
    unknown = codes - HANDLING_CODES
    if unknown:
        raise click.BadParameter(f"unknown handling codes {sorted(unknown)}; use H0,H1,H2,H3")
    return codes


# ---------------------------------------------------------------------------------- keys


@click.group("keys")
def keys_group() -> None:
    """This node's exchange keys: init, show, rotate, revoke, export-public."""


@keys_group.command("init")
@click.option(
    "--kem",
    type=click.Choice([k.value for k in KemAlgorithm]),
    default=KemAlgorithm.X25519.value,
    show_default=True,
    help="HPKE key encapsulation of the encryption key.",
)
@click.option("--valid-days", default=730, show_default=True, type=click.IntRange(1, 3650))
@click.option(
    "--unencrypted",
    is_flag=True,
    help="Keep the private keys in clear in an owner-only file (no passphrase is set).",
)
@click.pass_context
@fail_on_exchange_errors
def keys_init(ctx: click.Context, kem: str, valid_days: int, unencrypted: bool) -> None:
    """Create this node's signing and encryption keys and its first key set."""
    settings = settings_from(ctx)
    keys = _node_keys(settings)
    keyset = keys.init(
        settings.node_id,
        now=_now(),
        valid_for=timedelta(days=valid_days),
        kem=KemAlgorithm(kem),
        allow_plain=unencrypted,
    )
    protection = "encrypted with the passphrase" if keys.encrypted else "in clear, mode 0600"
    click.echo(f"keys of node {settings.node_id} created in {keys.directory} ({protection})")
    for line in fingerprint_lines(keyset):
        click.echo(line)
    click.echo("next: `ncen keys export-public -o FILE` and give FILE to each peer")


@keys_group.command("show")
@click.pass_context
@fail_on_exchange_errors
def keys_show(ctx: click.Context) -> None:
    """Print the node id, key ids and fingerprints (public information only)."""
    settings = settings_from(ctx)
    keys = _node_keys(settings)
    statements = keys.keyset_statements()
    current = parse_keyset(statements[-1])
    click.echo(f"node {current.node_id}, key set {current.serial} issued {current.issued:%Y-%m-%d}")
    for line in fingerprint_lines(current):
        click.echo(line)
    previous = [parse_keyset(statement) for statement in statements[:-1]]
    for keyset in reversed(previous):
        click.echo(f"previous signing key (key set {keyset.serial}):")
        for line in format_fingerprint(keyset.signing_key.key_id).splitlines():
            click.echo(f"  {line}")
    for revocation in keys.revocations():
        click.echo(
            f"revoked {revocation.revoked_at:%Y-%m-%d} ({revocation.reason}): {revocation.key_id}"
        )
    if current.signing_not_after - _now() < timedelta(days=30):
        click.echo("warning: the signing key expires within 30 days: run `ncen keys rotate`")


@keys_group.command("export-public")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True)
@click.pass_context
@fail_on_exchange_errors
def keys_export_public(ctx: click.Context, output: Path) -> None:
    """Write this node's public key set, self-signed, for a peer to register."""
    keys = _node_keys(settings_from(ctx))
    statement = keys.export_public()
    write_public_file(output, statement)
    click.echo(f"public key set written to {output}; fingerprints to read to the peer:")
    for line in fingerprint_lines(parse_keyset(statement)):
        click.echo(line)


@keys_group.command("rotate")
@click.option("--kem", type=click.Choice([k.value for k in KemAlgorithm]), default=None)
@click.option("--valid-days", default=730, show_default=True, type=click.IntRange(1, 3650))
@click.pass_context
@fail_on_exchange_errors
def keys_rotate(ctx: click.Context, kem: str | None, valid_days: int) -> None:
    """Make new keys; publish a key set signed by the current key; keep old decryption keys."""
    keys = _node_keys(settings_from(ctx))
    statement, path = keys.rotate(
        now=_now(),
        valid_for=timedelta(days=valid_days),
        kem=KemAlgorithm(kem) if kem else None,
    )
    keyset = parse_keyset(statement)
    click.echo(f"keys rotated: key set {keyset.serial} written to {path}")
    for line in fingerprint_lines(keyset):
        click.echo(line)
    click.echo(f"give {path.name} to every peer: ncen peers update-keys {keyset.node_id} FILE")


@keys_group.command("revoke")
@click.argument("key_id")
@click.option("--reason", type=click.Choice(sorted(REVOCATION_REASONS)), required=True)
@click.pass_context
@fail_on_exchange_errors
def keys_revoke(ctx: click.Context, key_id: str, reason: str) -> None:
    """Sign a revocation of one of this node's previous keys (KEY_ID: hex key id)."""
    keys = _node_keys(settings_from(ctx))
    _, path = keys.revoke(key_id.replace(" ", "").lower(), reason=reason, now=_now())
    click.echo(f"revocation written to {path}; give it to every peer (ncen peers update-keys)")


# --------------------------------------------------------------------------------- peers


@click.group("peers")
def peers_group() -> None:
    """Peer nodes: add, list, show, suspend, resume, agreement, update-keys."""


@peers_group.command("add")
@click.option("--node-id", required=True, help="The peer's node id (NCEN_NODE_ID over there).")
@click.option("--country", required=True, help="ISO 3166-1 alpha-2 code of the peer.")
@click.option("--endpoint", default=None, help="The peer's exchange URL (for online delivery).")
@click.option(
    "--keyset",
    "keyset_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    required=True,
    help="The peer's public key set (its `ncen keys export-public`).",
)
@click.option("--nominal/--no-nominal", default=False, show_default=True)
@click.option("--handling", default="H0,H1,H2,H3", show_default=True)
@click.option("--yes", is_flag=True, help="The fingerprints were already compared.")
@click.pass_context
@fail_on_exchange_errors
def peers_add(  # noqa: PLR0917 - click passes options by keyword
    ctx: click.Context,
    node_id: str,
    country: str,
    endpoint: str | None,
    keyset_file: Path,
    nominal: bool,
    handling: str,
    yes: bool,
) -> None:
    """Register a peer and pin its keys, after an out-of-band fingerprint check."""
    settings = settings_from(ctx)
    agreement = Agreement(nominal, _handling(handling))
    statement = read_statement_file(keyset_file)
    keyset = read_peer_keyset(statement)
    click.echo(f"key set of node {keyset.node_id} (serial {keyset.serial}):")
    for line in fingerprint_lines(keyset):
        click.echo(line)
    if not yes:
        click.confirm(
            f"Do these fingerprints match what {node_id} confirmed to you out of band?",
            abort=True,
        )
    with _session(ctx) as session, session.begin():
        add_peer(
            session,
            _actor(),
            node_id=node_id,
            country=country,
            endpoint=endpoint,
            keyset=statement,
            agreement=agreement,
            own_node_id=settings.node_id,
        )
    click.echo(f"peer {node_id} added ({_agreement_text(agreement)})")


def _agreement_text(agreement: Agreement) -> str:
    nominal = "nominal data" if agreement.may_receive_nominal else "no nominal data"
    return f"{nominal}; handling codes {','.join(sorted(agreement.handling_codes)) or 'none'}"


@peers_group.command("list")
@click.pass_context
@fail_on_exchange_errors
def peers_list(ctx: click.Context) -> None:
    """List registered peers with their status and agreement."""
    with _session(ctx) as session:
        peers = list_peers(session)
        if not peers:
            click.echo("no peers registered")
        for peer in peers:
            click.echo(
                f"{peer.node_id:<24} {peer.country}  {peer.status.value:<9} "
                f"{_agreement_text(agreement_of(peer))}  {peer.endpoint or '-'}"
            )


@peers_group.command("show")
@click.argument("node_id")
@click.pass_context
@fail_on_exchange_errors
def peers_show(ctx: click.Context, node_id: str) -> None:
    """Show a peer: agreement, sequence numbers, every pinned key with its fingerprint."""
    with _session(ctx) as session:
        peer = get_peer(session, node_id)
        _show_peer(peer)


def _show_peer(peer: Peer) -> None:
    click.echo(f"node       {peer.node_id}")
    click.echo(f"country    {peer.country}")
    click.echo(f"endpoint   {peer.endpoint or '-'}")
    click.echo(f"status     {peer.status.value}")
    click.echo(f"agreement  {_agreement_text(agreement_of(peer))}")
    click.echo(f"key set    serial {peer.keyset_serial}")
    received = "-" if peer.last_sequence_in is None else peer.last_sequence_in
    click.echo(f"sequence   last received {received}, last sent {peer.last_sequence_out}")
    for line in describe_key_ids(peer.keys):
        click.echo(line)


def _set_status(ctx: click.Context, node_id: str, status: PeerStatus) -> None:
    with _session(ctx) as session, session.begin():
        set_peer_status(session, _actor(), node_id, status)
    click.echo(f"peer {node_id} is {status.value}")


@peers_group.command("suspend")
@click.argument("node_id")
@click.pass_context
@fail_on_exchange_errors
def peers_suspend(ctx: click.Context, node_id: str) -> None:
    """Refuse bundles from NODE_ID and seal nothing to it until resumed."""
    _set_status(ctx, node_id, PeerStatus.SUSPENDED)


@peers_group.command("resume")
@click.argument("node_id")
@click.pass_context
@fail_on_exchange_errors
def peers_resume(ctx: click.Context, node_id: str) -> None:
    """Make a suspended peer active again."""
    _set_status(ctx, node_id, PeerStatus.ACTIVE)


@peers_group.command("agreement")
@click.argument("node_id")
@click.option("--nominal/--no-nominal", required=True)
@click.option("--handling", required=True, help="Allowed handling codes, e.g. H0,H1.")
@click.pass_context
@fail_on_exchange_errors
def peers_agreement(ctx: click.Context, node_id: str, nominal: bool, handling: str) -> None:
    """Change what NODE_ID may receive."""
    agreement = Agreement(nominal, _handling(handling))
    with _session(ctx) as session, session.begin():
        set_agreement(session, _actor(), node_id, agreement)
    click.echo(f"peer {node_id}: {_agreement_text(agreement)}")


@peers_group.command("update-keys")
@click.argument("node_id")
@click.argument("statement_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.pass_context
@fail_on_exchange_errors
def peers_update_keys(ctx: click.Context, node_id: str, statement_file: Path) -> None:
    """Apply a peer's new key set or revocation; it must be signed by its pinned key."""
    statement = read_statement_file(statement_file)
    with _session(ctx) as session, session.begin():
        kind = apply_key_statement(session, _actor(), node_id, statement)
        peer = get_peer(session, node_id)
        click.echo(f"peer {node_id}: {kind} accepted")
        for line in describe_key_ids(peer.keys):
            click.echo(line)


# ------------------------------------------------------------------------------ exchange


@click.group("exchange")
def exchange_group() -> None:
    """Offline bundles: seal, open, inspect."""


@exchange_group.command("seal")
@click.option("--to", "recipients", multiple=True, required=True, help="Peer node id.")
@click.option("--seizure", "references", multiple=True, required=True, help="Seizure reference.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True)
@click.option("--expires-days", default=30, show_default=True, type=click.IntRange(1, 90))
@click.option(
    "--confirm-h3",
    "h3_confirmed",
    multiple=True,
    metavar="NODE_ID",
    help="Confirm that this recipient is allowed by the restrictions of the H3 records "
    "(once per recipient).",
)
@click.option("--legal-basis", default="", help="The legal basis (required with --confirm-h3).")
@click.pass_context
@fail_on_exchange_errors
def exchange_seal(  # noqa: PLR0917 - click passes options by keyword
    ctx: click.Context,
    recipients: tuple[str, ...],
    references: tuple[str, ...],
    output: Path,
    expires_days: int,
    h3_confirmed: tuple[str, ...],
    legal_basis: str,
) -> None:
    """Seal seizures (with what they link to and their pictures) into a bundle file.

    Only validated seizures whose distribution includes every recipient leave; H3 records
    need --confirm-h3 for each recipient, recorded in the audit trail with --legal-basis.
    """
    settings = settings_from(ctx)
    identity = _node_keys(settings).load(settings.node_id)
    store = PictureStore(settings.picture_path)
    with _session(ctx) as session:
        sealed = None
        try:
            with session.begin():
                sealed = seal_seizures(
                    session,
                    _actor(),
                    identity=identity,
                    store=store,
                    recipients=recipients,
                    references=references,
                    destination=output,
                    now=_now(),
                    lifetime=timedelta(days=expires_days),
                    h3_confirmed=h3_confirmed,
                    legal_basis=legal_basis,
                )
        except BaseException:
            if sealed is not None:
                sealed.discard()
            raise
    path = sealed.publish()
    header = sealed.header
    for notice in sealed.exported.notices:
        click.echo(f"notice: {notice}")
    counts = sealed.exported.summary()["counts"]
    what = ", ".join(f"{counts[t]} {t}" for t in RECORD_TYPES if counts.get(t))
    click.echo(f"sealed bundle {header.bundle_id} to {path}")
    click.echo(f"  {what}; {len(sealed.exported.picture_hashes)} pictures")
    for recipient in header.recipients:
        click.echo(f"  for {recipient.node_id} (sequence {recipient.sequence})")
    click.echo(f"  handling codes {','.join(header.handling_codes)}; expires {header.expires}")


def _print_plan(plan: ImportPlan, *, dry_run: bool) -> None:
    for record_set in plan.record_sets:
        if record_set.skipped:
            click.echo(
                f"record set {record_set.name!r} of {record_set.originator}: skipped "
                f"({record_set.skipped})"
            )
            continue
        new = ", ".join(
            f"{len(record_set.new[t])} {t}" for t in RECORD_TYPES if record_set.new.get(t)
        )
        present = ", ".join(
            f"{record_set.present[t]} {t}" for t in RECORD_TYPES if record_set.present.get(t)
        )
        updated = ", ".join(
            f"{len(record_set.updated[t])} {t}" for t in RECORD_TYPES if record_set.updated.get(t)
        )
        click.echo(
            f"record set {record_set.name!r} of {record_set.originator}: "
            f"new: {new or 'nothing'}; pictures: {record_set.pictures}"
            + (f"; already here: {present}" if present else "")
            + (f"; newer versions from the originator: {updated}" if updated else "")
        )
        for reference in record_set.new.get("seizures", [])[:20]:
            click.echo(f"  seizure {record_set.originator}/{reference}")
    totals = plan.totals()
    what = ", ".join(f"{totals[t]} {t}" for t in RECORD_TYPES)
    what += f", {sum(rs.pictures for rs in plan.record_sets)} pictures"
    verb = "would import" if dry_run else "imported"
    click.echo(f"{verb}: {what}")
    updates = plan.summary()["updated"]
    if any(updates.values()):
        verb = "would update" if dry_run else "updated"
        click.echo(f"{verb}: " + ", ".join(f"{updates[t]} {t}" for t in RECORD_TYPES))
    if dry_run:
        click.echo("dry run: nothing was imported, and the bundle can still be opened")


@exchange_group.command("open")
@click.argument("bundle_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Verify and show what would be imported.")
@click.pass_context
@fail_on_exchange_errors
def exchange_open(ctx: click.Context, bundle_file: Path, dry_run: bool) -> None:
    """Verify a bundle file and import its records as foreign records (all or nothing)."""
    settings = settings_from(ctx)
    identity = _node_keys(settings).load(settings.node_id)
    store = PictureStore(settings.picture_path)
    with _session(ctx) as session, bundle_file.open("rb") as source:
        # The session begins on first use and rolls back when closed: a dry run, or any
        # failure, leaves nothing behind; only a successful import is committed.
        try:
            plan = receive_bundle(
                session,
                _actor(),
                source,
                identity=identity,
                store=store,
                upload_limits=settings,
                work_dir=_work_dir(settings),
                now=_now(),
                dry_run=dry_run,
            )
        except ReplayError as exc:
            click.echo(f"nothing imported: {exc} (opening a bundle twice changes nothing)")
            return
        if not dry_run:
            session.commit()
    click.echo(f"bundle {plan.bundle_id} from {plan.sender}: verified")
    _print_plan(plan, dry_run=dry_run)


@exchange_group.command("inspect")
@click.argument("bundle_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--verify", is_flag=True, help="Check the signature against the pinned keys.")
@click.pass_context
@fail_on_exchange_errors
def exchange_inspect(ctx: click.Context, bundle_file: Path, verify: bool) -> None:
    """Show a bundle's header without decrypting anything."""
    if verify:
        with _session(ctx) as session, bundle_file.open("rb") as source:
            inspected = inspect_bundle(source, trust=DatabaseTrust(session))
    else:
        with bundle_file.open("rb") as source:
            inspected = inspect_bundle(source)
    header = inspected.header
    state = "signature verified" if inspected.verified else "NOT verified (use --verify)"
    click.echo(f"bundle     {header.bundle_id} ({state})")
    click.echo(f"sender     {header.sender_node_id}, key")
    for line in format_fingerprint(header.sender_key_id).splitlines():
        click.echo(f"  {line}")
    click.echo(f"created    {header.created.isoformat()}")
    click.echo(f"expires    {header.expires.isoformat()}")
    click.echo(f"handling   {', '.join(header.handling_codes)}")
    click.echo(f"schema     {header.records_schema}")
    click.echo(f"size       {inspected.total_length} bytes")
    for recipient in header.recipients:
        click.echo(
            f"recipient  {recipient.node_id} (sequence {recipient.sequence}, "
            f"{recipient.kem.value} key {recipient.key_id[:16]}…)"
        )
    for entry in header.contents:
        origin = ""
        if entry.originator is not None:
            origin = f", produced by {entry.originator.statement.get('originator_node_id')}"
        click.echo(
            f"{entry.kind:<10} {entry.name} ({entry.media_type}, {entry.size} bytes{origin})"
        )


COMMANDS: tuple[click.Command, ...] = (keys_group, peers_group, exchange_group)


def _add_network_commands() -> None:
    """Attach the online exchange commands (`exchange.netcli`) to the ``exchange`` group."""
    from exchange.netcli import NETWORK_COMMANDS

    for command in NETWORK_COMMANDS:
        if command.callback is not None:
            command.callback = fail_on_exchange_errors(command.callback)
        exchange_group.add_command(command)


_add_network_commands()

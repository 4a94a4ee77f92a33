"""The ``ncen import`` commands: spreadsheets of any record type, and persons from JSON Lines.

``ncen import seizures|persons|companies|conveyances FILE --mapping M.yaml [--dry-run]
[--mode all-or-nothing|good-rows] [--report OUT.csv]`` runs `ncen.imports.running.run_import`
as the node itself, in one transaction, with a progress bar; ``ncen import persons
FILE.jsonl`` (no mapping) keeps the JSON Lines import of `ncen.imports.jsonl`.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click
from sqlalchemy.orm import Session

from ncen.accounts.actor import Actor
from ncen.clitools import database, fail_on_ncen_errors
from ncen.imports.jsonl import ImportFailedError, import_persons
from ncen.imports.mapping import MappingError, load_mapping
from ncen.imports.report import ImportReport, report_csv
from ncen.imports.running import Mode, run_import

_RECORD = {"seizures": "seizure", "persons": "person", "companies": "company"}
_RECORD["conveyances"] = "conveyance"


@click.group("import")
def import_group() -> None:
    """Bulk imports: spreadsheets (CSV, TSV, XLSX) with a mapping; persons from JSON Lines."""


def _spreadsheet_options(command: Callable[..., Any]) -> Callable[..., Any]:
    for option in reversed(
        [
            click.option(
                "--mapping",
                "mapping_path",
                type=click.Path(exists=True, dir_okay=False, path_type=Path),
                help="the mapping file (YAML or JSON, docs/import-spreadsheets.md)",
            ),
            click.option(
                "--dry-run", is_flag=True, help="read and check everything, write nothing"
            ),
            click.option(
                "--mode",
                type=click.Choice([m.value for m in Mode]),
                default=Mode.ALL_OR_NOTHING.value,
                show_default=True,
                help="all-or-nothing, or store the good rows and report the rest",
            ),
            click.option(
                "--report",
                "report_path",
                type=click.Path(dir_okay=False, path_type=Path),
                help="write the refused rows (row, column, reason) to this CSV file",
            ),
        ]
    ):
        command = option(command)
    return command


def _run_spreadsheet(
    ctx: click.Context,
    kind: str,
    path: Path,
    mapping_path: Path,
    *,
    dry_run: bool,
    mode: str,
    report_path: Path | None,
) -> None:
    mapping = load_mapping(mapping_path.read_bytes())
    if mapping.record != _RECORD[kind]:
        raise MappingError({"record": f"is {mapping.record}, but this command imports {kind}"})
    data = path.read_bytes()
    with (
        database(ctx) as engine,
        Session(engine) as session,
        click.progressbar(length=1, label=kind, file=sys.stderr) as bar,
    ):

        def progress(done: int, total: int) -> None:
            bar.length = total
            bar.update(done - bar.pos)

        with session.begin():
            report = run_import(
                session,
                Actor.system("cli"),
                data,
                path.name,
                mapping,
                mode=Mode(mode),
                dry_run=dry_run,
                progress=progress,
            )
    _print(report)
    if report_path is not None:
        report_path.write_text(report_csv(report.problems), encoding="utf-8")
    if report.problems and mode == Mode.ALL_OR_NOTHING.value:
        sys.exit(1)


def _print(report: ImportReport) -> None:
    for problem in report.problems[:50]:
        click.echo(f"row {problem.row}: {problem.column}: {problem.reason}", err=True)
    if len(report.problems) > 50:
        click.echo(f"... and {len(report.problems) - 50} more problems", err=True)
    for note in report.notes:
        click.echo(f"note: {note}", err=True)
    verb = "would import" if report.dry_run else "imported"
    if report.problems and report.mode == Mode.ALL_OR_NOTHING.value:
        verb = "refused: nothing imported;"
    click.echo(
        f"{verb} {report.rows_stored} of {report.rows} rows ({report.refused_rows} refused); "
        f"created {_counts(report.created)}, updated {_counts(report.updated)}, "
        f"unchanged {_counts(report.unchanged)}, {report.links} new links"
    )


def _counts(counts: dict[str, int]) -> str:
    return ", ".join(f"{n} {k}" for k, n in sorted(counts.items())) or "0"


def _make_command(kind: str) -> None:
    @import_group.command(kind)
    @click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
    @_spreadsheet_options
    @click.pass_context
    @fail_on_ncen_errors
    def command(  # noqa: PLR0917 - click passes each option as a parameter
        ctx: click.Context,
        path: Path,
        mapping_path: Path | None,
        dry_run: bool,
        mode: str,
        report_path: Path | None,
    ) -> None:
        if mapping_path is None:
            raise click.UsageError("--mapping is required for a spreadsheet")
        _run_spreadsheet(
            ctx, kind, path, mapping_path, dry_run=dry_run, mode=mode, report_path=report_path
        )

    command.__doc__ = (
        f"Create or update the {kind} of PATH (CSV, TSV or XLSX) through --mapping "
        "(docs/import-spreadsheets.md)."
    )


for _kind in ("seizures", "companies", "conveyances"):
    _make_command(_kind)


@import_group.command("persons")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--source",
    default=None,
    help="JSON Lines: the source system of lines that name none (with their source_id, "
    "re-import updates)",
)
@_spreadsheet_options
@click.pass_context
@fail_on_ncen_errors
def import_persons_command(  # noqa: PLR0917 - click passes each option as a parameter
    ctx: click.Context,
    path: Path,
    source: str | None,
    mapping_path: Path | None,
    dry_run: bool,
    mode: str,
    report_path: Path | None,
) -> None:
    """Create or update the persons of PATH: a spreadsheet with --mapping, or JSON Lines
    (docs/import-persons.md, all or nothing)."""
    if mapping_path is not None:
        _run_spreadsheet(
            ctx, "persons", path, mapping_path, dry_run=dry_run, mode=mode, report_path=report_path
        )
        return
    size = path.stat().st_size
    with (
        database(ctx) as engine,
        Session(engine) as session,
        path.open("rb") as lines,
        click.progressbar(length=size, label="persons", file=sys.stderr) as bar,
    ):
        try:
            with session.begin():
                summary = import_persons(
                    session, Actor.system("cli"), lines, bar.update, source=source
                )
        except ImportFailedError as exc:
            bar.render_finish()
            for error in exc.errors:
                click.echo(f"line {error.line}: {error.field}: {error.message}", err=True)
            click.echo(f"error: {exc}", err=True)
            sys.exit(1)
    click.echo(
        f"imported {summary.total} persons from {path} ({summary.created} new, "
        f"{summary.updated} updated, {summary.unchanged} unchanged)"
    )

"""``ncen export`` and ``ncen import ncen``: exports from the console, and the node format back.

``ncen export seizures|persons|companies|conveyances|all --format csv|xlsx|ftm|ncen
[--filter NAME=VALUE ...] -o FILE``:

- ``csv``, ``xlsx``, ``ftm``: one list with the filters of its web page (``--filter
  status=validated --filter country=KZ --filter date_from=2026-01-01``), uncapped; ``all``
  puts every record type in one XLSX workbook or FtM file (a CSV file holds one list);
- ``ncen``: everything, in the node's own format (``all`` only, no filters), for
  ``ncen import ncen FILE`` on an empty node;
- ``ncen export investigation --case REFERENCE|ID --format csv|xlsx|ftm -o FILE``: one case,
  its records and their links (`ncen.exports.service.export_investigation`).

Console exports act as ``Actor.system("cli")`` and are audited like the web's. Labels in the
console's files are the codes themselves (the web gives labels in the user's language).
"""

from __future__ import annotations

import dataclasses
import enum
import sys
import typing
import uuid
from datetime import date
from pathlib import Path
from typing import Any, BinaryIO

import click
from sqlalchemy.orm import Session

from ncen.accounts.actor import Actor
from ncen.clitools import database, fail_on_ncen_errors
from ncen.companies.queries import CompanyFilters
from ncen.companies.queries import list_statement as company_statement
from ncen.conveyances.queries import ConveyanceFilters
from ncen.conveyances.queries import list_statement as conveyance_statement
from ncen.errors import NotFoundError, ValidationError
from ncen.exports.cells_format import CellStyle
from ncen.exports.csvfile import csv_chunks
from ncen.exports.ftm import ftm_lines
from ncen.exports.nodeformat import export_node
from ncen.exports.restore import import_node
from ncen.exports.service import export_investigation
from ncen.exports.streaming import stream_list
from ncen.exports.xlsxfile import xlsx_write
from ncen.investigations.access import find_by_reference
from ncen.persons.queries import PersonFilters
from ncen.persons.queries import list_statement as person_statement
from ncen.seizures.queries import SeizureFilters
from ncen.seizures.queries import list_statement as seizure_statement

KINDS: dict[str, tuple[str, type[Any], Any]] = {
    "seizures": ("seizure", SeizureFilters, seizure_statement),
    "persons": ("person", PersonFilters, person_statement),
    "companies": ("company", CompanyFilters, company_statement),
    "conveyances": ("conveyance", ConveyanceFilters, conveyance_statement),
}
# Filters that are not plain values on the command line (facets come from statistics links).
UNFILTERABLE = frozenset({"facets"})


def _parsed(target: Any, raw: str) -> Any:
    """``raw`` as a ``target`` value; raises ValueError when it is not one."""
    if target is bool:
        truth = {"true": True, "yes": True, "1": True, "false": False, "no": False, "0": False}
        return truth[raw.lower()] if raw.lower() in truth else int("not a truth value")
    if target is date:
        return date.fromisoformat(raw)
    if target in {int, uuid.UUID}:
        return target(raw)
    if isinstance(target, type) and issubclass(target, enum.Enum):
        return target(raw)
    return raw


def _convert(name: str, kind: Any, raw: str) -> Any:
    options = [a for a in typing.get_args(kind) if a is not type(None)] or [kind]
    try:
        return _parsed(options[0], raw)
    except ValueError as exc:
        raise ValidationError({f"filter {name}": f"{raw!r} is not a valid value"}) from exc


def parse_filters(filters_type: type[Any], pairs: tuple[str, ...]) -> Any:
    """The filters object of ``filters_type`` from ``NAME=VALUE`` pairs; `ValidationError`
    for an unknown name or a value of the wrong kind."""
    hints = typing.get_type_hints(filters_type)
    known = {f.name for f in dataclasses.fields(filters_type)} - UNFILTERABLE
    values: dict[str, Any] = {}
    for pair in pairs:
        name, sep, raw = pair.partition("=")
        if not sep or name not in known:
            raise ValidationError(
                {"filter": f"{pair!r}: use NAME=VALUE with NAME one of {', '.join(sorted(known))}"}
            )
        values[name] = _convert(name, hints[name], raw)
    return filters_type(**values)


def _write(
    session: Session, actor: Actor, *, kind: str, fmt: str, pairs: tuple[str, ...], out: BinaryIO
) -> str:
    """Write the export to ``out`` as it is read (`ncen.exports.streaming`); return what it
    held, for the message."""
    if fmt == "ncen":
        out.writelines(export_node(session, actor))
        return "every record"
    parts = []
    for name in list(KINDS) if kind == "all" else [kind]:
        record_type, filters_type, statement = KINDS[name]
        filters = parse_filters(filters_type, pairs)
        parts.append(
            stream_list(
                session, actor, record_type, statement(filters), fmt=fmt,
                filters=filters.describe(),
            )
        )  # fmt: skip
    exported = parts[0][0]
    for more, _ in parts[1:]:
        exported.tables += more.tables
        exported.handling += more.handling
        exported.streamed_count += more.streamed_count
    with click.progressbar(length=exported.count, label="records", file=sys.stderr) as bar:
        for _, streamed in parts:
            streamed.progress = bar.update
        if fmt == "csv":
            out.writelines(csv_chunks(exported, CellStyle()))
        elif fmt == "xlsx":
            xlsx_write(exported, CellStyle(), out)
        else:
            for _, streamed in parts:
                out.writelines(streamed.ftm())
    return f"{exported.count} records"


def _write_case(session: Session, actor: Actor, case: str, fmt: str, out: BinaryIO) -> str:
    """Write the investigation ``case`` (its reference or id) to ``out``."""
    try:
        key: object = uuid.UUID(case)
    except ValueError:
        found = find_by_reference(session, actor, case)
        if found is None:
            raise NotFoundError("investigation", case) from None
        key = found.id
    exported = export_investigation(session, actor, key, fmt=fmt)
    if fmt == "csv":
        out.writelines(csv_chunks(exported, CellStyle()))
    elif fmt == "xlsx":
        xlsx_write(exported, CellStyle(), out)
    else:
        out.writelines(ftm_lines(session, exported.records))
    return f"{exported.count} records of {exported.title}"


@click.command("export")
@click.argument("kind", type=click.Choice([*KINDS, "all", "investigation"]))
@click.option("--format", "fmt", type=click.Choice(["csv", "xlsx", "ftm", "ncen"]), required=True)
@click.option("--filter", "pairs", multiple=True, metavar="NAME=VALUE", help="a list filter")
@click.option("--case", help="investigation: its reference or id")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True)
@click.pass_context
@fail_on_ncen_errors
def export_command(  # noqa: PLR0917 - click passes every option
    ctx: click.Context,
    kind: str,
    fmt: str,
    pairs: tuple[str, ...],
    case: str | None,
    output: Path,
) -> None:
    """Export KIND as FORMAT to OUTPUT (audited). ``--format ncen`` needs KIND ``all``;
    KIND ``investigation`` needs ``--case``."""
    if (kind == "investigation") != (case is not None):
        raise ValidationError({"case": "name the investigation with --case, and only then"})
    if kind == "investigation" and (fmt == "ncen" or pairs):
        raise ValidationError({"format": "an investigation exports as csv, xlsx or ftm"})
    if fmt == "ncen" and (kind != "all" or pairs):
        raise ValidationError(
            {"format": "the node format exports everything: use 'all', no filters"}
        )
    if fmt == "csv" and kind == "all":
        raise ValidationError({"format": "a CSV file holds one list: name it, or use xlsx"})
    actor = Actor.system("cli")
    partial = output.with_name(output.name + ".partial")
    try:
        # Written aside and renamed once complete: never a half file under the name.
        with (
            database(ctx) as engine,
            Session(engine) as session,
            session.begin(),
            partial.open("wb") as out,
        ):
            if case is not None:
                count = _write_case(session, actor, case, fmt, out)
            else:
                count = _write(session, actor, kind=kind, fmt=fmt, pairs=pairs, out=out)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    partial.replace(output)
    click.echo(f"exported {count} to {output}")


@click.command("ncen")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.pass_context
@fail_on_ncen_errors
def import_ncen_command(ctx: click.Context, path: Path) -> None:
    """Read PATH, a node export (``ncen export all --format ncen``), into this empty node:
    all or nothing."""
    with (
        database(ctx) as engine,
        Session(engine) as session,
        path.open("rb") as lines,
        session.begin(),
    ):
        counts = import_node(session, Actor.system("cli"), lines)
    click.echo(f"imported {sum(counts.values())} rows from {path}", file=sys.stdout)

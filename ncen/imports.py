"""Bulk import of person records from JSON Lines (``ncen import persons FILE.jsonl``).

Each line is one JSON object with the fields `ncen.persons.services.create_person` takes (see
``docs/import-persons.md``). The import is all or nothing: every line is validated and written
inside the caller's transaction, each in its own savepoint, and if any line is bad the whole
import fails with `ImportFailedError` listing every bad line with its line number and the
paths of its bad fields, so the file can be fixed in one pass. Each person written is audited
and versioned by the service, and indexed for name search.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import click
from sqlalchemy.orm import Session

from ncen.accounts.actor import Actor
from ncen.clitools import database, fail_on_ncen_errors
from ncen.errors import NcenError, ValidationError
from ncen.persons.services import create_person

MAX_LINE_BYTES = 1_000_000


@dataclass(frozen=True, slots=True)
class LineError:
    """One problem of one line: ``field`` is a path such as ``names.0.full_name`` or ``line``."""

    line: int
    field: str
    message: str


class ImportFailedError(NcenError):
    """At least one line was refused; nothing was imported."""

    def __init__(self, errors: list[LineError]) -> None:
        self.errors = errors
        lines = len({e.line for e in errors})
        super().__init__(f"{lines} bad line(s), nothing imported")


def import_persons(
    session: Session,
    actor: Actor,
    lines: Iterable[bytes],
    progress: Callable[[int], None] = lambda _n: None,
) -> int:
    """Create one person per non-blank JSON line of ``lines``; return the number created.

    ``progress`` is called with the byte length of each line read. Raises
    `PermissionDeniedError` (needs ``CREATE_RECORDS``) or `ImportFailedError` with every bad
    line; in that case the caller must roll back (the good lines were written). Writes: the
    persons, their history and audit events.
    """
    errors: list[LineError] = []
    created = 0
    for number, raw in enumerate(lines, 1):
        progress(len(raw))
        if not raw.strip():
            continue
        if len(raw) > MAX_LINE_BYTES:
            errors.append(LineError(number, "line", f"is longer than {MAX_LINE_BYTES} bytes"))
            continue
        try:
            data = json.loads(raw.decode("utf-8"))
        except UnicodeDecodeError:
            errors.append(LineError(number, "line", "is not valid UTF-8"))
            continue
        except json.JSONDecodeError as exc:
            errors.append(LineError(number, "line", f"is not valid JSON ({exc.msg})"))
            continue
        if not isinstance(data, dict):
            errors.append(LineError(number, "line", "must be a JSON object"))
            continue
        savepoint = session.begin_nested()
        try:
            create_person(session, actor, data)
        except ValidationError as exc:
            savepoint.rollback()
            errors.extend(LineError(number, f, m) for f, m in exc.errors.items())
            continue
        savepoint.commit()
        created += 1
    if errors:
        raise ImportFailedError(errors)
    return created


@click.group("import")
def import_group() -> None:
    """Bulk imports: persons from JSON Lines."""


@import_group.command("persons")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.pass_context
@fail_on_ncen_errors
def import_persons_command(ctx: click.Context, path: Path) -> None:
    """Create the persons of PATH (JSON Lines, see docs/import-persons.md), all or nothing."""
    size = path.stat().st_size
    with (
        database(ctx) as engine,
        Session(engine) as session,
        path.open("rb") as lines,
        click.progressbar(length=size, label="persons", file=sys.stderr) as bar,
    ):
        try:
            with session.begin():
                created = import_persons(session, Actor.system("cli"), lines, bar.update)
        except ImportFailedError as exc:
            bar.render_finish()
            for error in exc.errors:
                click.echo(f"line {error.line}: {error.field}: {error.message}", err=True)
            click.echo(f"error: {exc}", err=True)
            sys.exit(1)
    click.echo(f"imported {created} persons from {path}")

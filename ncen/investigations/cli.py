"""``ncen investigations list|show``: case files at the console, as text or ``--json``.

The commands act as the node itself (`Actor.system`), which sees every case, restricted or
not: the console is the host operator's. Each read is audited like a page read
(``investigation.list`` / ``investigation.read``, actor ``[cli]``).
"""

from __future__ import annotations

import json
from typing import Any

import click
from sqlalchemy import select
from sqlalchemy.orm import Session

from ncen.accounts.actor import Actor
from ncen.clitools import database, fail_on_ncen_errors
from ncen.errors import NotFoundError
from ncen.investigations.models import Investigation
from ncen.investigations.queries import CaseFile, CaseFilters, list_cases, read_case

_JSON = click.option("--json", "as_json", is_flag=True, help="Print one JSON document.")
MAX_LIST = 1000


@click.group("investigations")
def investigations_group() -> None:
    """Investigations (case files)."""


@investigations_group.command("list")
@click.option("--status", default=None, help="opened, active, suspended or closed.")
@click.option("--text", default=None, help="A part of the reference or title.")
@click.option("--limit", default=100, type=click.IntRange(1, MAX_LIST), show_default=True)
@_JSON
@click.pass_context
@fail_on_ncen_errors
def list_command(
    ctx: click.Context, status: str | None, text: str | None, limit: int, as_json: bool
) -> None:
    """List case files, last changed first."""
    filters = CaseFilters.parse(status, None, text)
    with database(ctx) as engine, Session(engine) as session, session.begin():
        rows, total = list_cases(session, Actor.system("cli"), filters, limit=limit)
        data = [
            {
                "id": str(row.case.id),
                "reference": row.case.reference,
                "title": row.case.title,
                "status": row.case.status.value,
                "restricted": row.case.restricted,
                "lead": row.lead_name,
                "items": row.items,
                "open_tasks": row.open_tasks,
                "updated_at": row.case.updated_at.isoformat(),
            }
            for row in rows
        ]
    if as_json:
        click.echo(json.dumps({"total": total, "investigations": data}, ensure_ascii=False))
        return
    for row in data:
        flag = " [restricted]" if row["restricted"] else ""
        click.echo(
            f"{row['reference']}  {row['status']:<9}  {row['title']}{flag}  "
            f"(lead {row['lead']}, {row['items']} records, {row['open_tasks']} open tasks)"
        )
    click.echo(f"{total} investigations")


def _resolve(session: Session, key: str) -> object:
    found = session.execute(
        select(Investigation.id).where(Investigation.reference == key.strip().upper())
    ).scalar_one_or_none()
    return found if found is not None else key


def _document(file: CaseFile) -> dict[str, Any]:
    case, names = file.case, file.names
    return {
        "id": str(case.id),
        "reference": case.reference,
        "title": case.title,
        "summary": case.summary,
        "status": case.status.value,
        "status_reason": case.status_reason,
        "restricted": case.restricted,
        "source": case.source,
        "version": case.version,
        "opened_at": case.created_at.isoformat(),
        "team": [{"id": str(uid), "name": names.get(uid, "?")} for uid in file.team],
        "items": [
            {
                "type": view.item.record_type.value,
                "id": str(view.item.record_id),
                "label": view.label,
                "origin_node": view.origin_node,
                "note": view.item.note,
            }
            for view in file.items
        ],
        "tasks": [
            {
                "title": task.title,
                "assignee": names.get(task.assignee_id) if task.assignee_id else None,
                "due_on": task.due_on.isoformat() if task.due_on else None,
                "done": task.done_at is not None,
            }
            for task in file.tasks
        ],
        "notes": [
            {
                "kind": note.kind.value,
                "author": names.get(note.author_id) if note.author_id else None,
                "at": note.created_at.isoformat(),
                "body": note.body,
            }
            for note in file.notes
        ],
        "history": [
            {"at": e.occurred_at.isoformat(), "actor": e.actor_name, "action": e.action}
            for e in file.history
        ],
    }


@investigations_group.command("show")
@click.argument("key")
@_JSON
@click.pass_context
@fail_on_ncen_errors
def show_command(ctx: click.Context, key: str, as_json: bool) -> None:
    """Show one case file by id or reference (INV-2026-K7M2-QX4P)."""
    with database(ctx) as engine, Session(engine) as session, session.begin():
        case_id = _resolve(session, key)
        try:
            document = _document(read_case(session, Actor.system("cli"), case_id))
        except NotFoundError:
            raise click.ClickException(f"no investigation {key}") from None
    if as_json:
        click.echo(json.dumps(document, ensure_ascii=False))
        return
    click.echo(f"{document['reference']}  {document['title']}  [{document['status']}]")
    if document["restricted"]:
        click.echo("restricted: need to know")
    click.echo("team: " + ", ".join(member["name"] for member in document["team"]))
    for item in document["items"]:
        click.echo(f"  {item['type']:<10} {item['label']}  ({item['id']})")
    for task in document["tasks"]:
        mark = "x" if task["done"] else " "
        click.echo(f"  [{mark}] {task['title']}  {task['due_on'] or ''}  {task['assignee'] or ''}")
    click.echo(f"{len(document['notes'])} notes, {len(document['history'])} history entries")

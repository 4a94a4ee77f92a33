"""The parts of an investigation's export that are not records: tasks, notes and messages,
hits and pictures, one table each (issue 11: "a whole investigation" as CSV and XLSX).

Each table shows the reader what the case page shows them: tasks, notes and messages only to
those who may work on the case (its team and supervisors, `ncen.investigations.access`), hits
only where the reader may see them in the hits queue, pictures by their metadata (the files
themselves are downloaded from the picture page, where each view is audited). A table with no
row is left out, so a file holds no empty sheet.
"""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.orm import Session

from ncen.accounts.actor import Actor
from ncen.exports.columns import Column, Table, Value
from ncen.investigations.access import can_work
from ncen.investigations.items import ItemView
from ncen.investigations.models import Investigation, ItemType
from ncen.investigations.notes import case_notes
from ncen.investigations.queries import user_names
from ncen.investigations.tasks import case_tasks
from ncen.pictures.models import Picture
from ncen.seizures.models import Seizure
from ncen.targeting.hits import visible_hit_ids
from ncen.targeting.models import Hit, RiskProfile

_TASKS = [Column(n) for n in ("title", "assignee", "due_on", "done_at", "created_at")]
_NOTES = [Column(n) for n in ("created_at", "kind", "author", "addressee", "body")]
_HITS = [
    Column(n) for n in ("seizure", "profile", "score", "lane", "status", "created_at", "criteria")
]
_PICTURES = [Column(n) for n in ("picture_id", "caption", "mime_type", "width", "height", "sha256")]


def _ids(views: list[ItemView], kind: ItemType) -> list[uuid.UUID]:
    return [v.record_id for v in views if v.item.record_type is kind]


def _team_tables(session: Session, case: Investigation) -> list[Table]:
    tasks, notes = case_tasks(session, case), case_notes(session, case)
    people = [t.assignee_id for t in tasks]
    people += [n.author_id for n in notes] + [n.addressee_id for n in notes]
    names = user_names(session, people)
    task_rows: list[list[Value]] = [
        [t.title, names.get(t.assignee_id) if t.assignee_id else None, t.due_on, t.done_at,
         t.created_at]
        for t in tasks
    ]  # fmt: skip
    note_rows: list[list[Value]] = [
        [n.created_at, n.kind.value, names.get(n.author_id) if n.author_id else None,
         names.get(n.addressee_id) if n.addressee_id else None, n.body]
        for n in reversed(notes)  # oldest first, as a file is read
    ]  # fmt: skip
    return [Table("case_tasks", _TASKS, task_rows), Table("case_notes", _NOTES, note_rows)]


def _hit_table(session: Session, actor: Actor, views: list[ItemView]) -> Table:
    visible = visible_hit_ids(session, actor, _ids(views, ItemType.HIT))
    rows: list[list[Value]] = []
    if visible:
        found = session.execute(
            select(Hit, Seizure.reference, RiskProfile.name)
            .join(Seizure, Seizure.id == Hit.seizure_id)
            .join(RiskProfile, RiskProfile.id == Hit.profile_id)
            .where(Hit.id.in_(visible))
            .order_by(Hit.created_at, Hit.id)
        ).all()
        rows = [
            [reference, profile, hit.score, hit.lane.value, hit.status.value, hit.created_at,
             "; ".join(str(e.get("criterion", "")) for e in hit.explanation)]
            for hit, reference, profile in found
        ]  # fmt: skip
    return Table("case_hits", _HITS, rows)


def _picture_table(session: Session, views: list[ItemView]) -> Table:
    wanted = _ids(views, ItemType.PICTURE)
    rows: list[list[Value]] = []
    if wanted:
        pictures = session.execute(
            select(Picture).where(Picture.id.in_(wanted)).order_by(Picture.created_at, Picture.id)
        ).scalars()
        rows = [[str(p.id), p.caption, p.mime_type, p.width, p.height, p.sha256] for p in pictures]
    return Table("case_pictures", _PICTURES, rows)


def case_tables(
    session: Session, actor: Actor, case: Investigation, views: list[ItemView]
) -> list[Table]:
    """The case's tasks, notes, hits and pictures as tables, for a reader who may see the
    case (the caller checked it, and audits the export); tables with no row are left out."""
    tables = _team_tables(session, case) if can_work(session, case, actor) else []
    tables += [_hit_table(session, actor, views), _picture_table(session, views)]
    return [t for t in tables if t.rows]

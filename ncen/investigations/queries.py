"""Reading case files: the list, one case as its page shows it, and the desk panels.

Every function requires ``READ_INVESTIGATIONS`` and sees only what `access.visible_condition`
lets through: a restricted case of another team is absent from lists, counts, filters and the
desk alike. Reads are audited: a list as ``investigation.list`` (its filters and how many
rows), a case as ``investigation.read`` (with the records shown). Case titles and items can
be nominal data, so list reads are audited too. The caller owns the transaction.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, Select, func, or_, select
from sqlalchemy.orm import Session

from ncen.accounts.actor import Actor
from ncen.accounts.models import User
from ncen.errors import ValidationError
from ncen.investigations.access import (
    RECORD_TYPE,
    can_manage,
    can_work,
    load_case,
    team_condition,
    visible_condition,
)
from ncen.investigations.history import case_history
from ncen.investigations.items import ItemView, case_items
from ncen.investigations.models import (
    CaseStatus,
    Investigation,
    InvestigationEvent,
    InvestigationItem,
    InvestigationNote,
    InvestigationTask,
    ItemType,
)
from ncen.investigations.notes import case_notes
from ncen.investigations.tasks import case_tasks, team_ids
from ncen.investigations.workflow import next_statuses
from ncen.policy import Action, is_allowed, require
from ncen.reading import note_read
from ncen.text import escape_like
from ncen.validation import check_filter_texts

OPEN_STATUSES = (CaseStatus.OPENED, CaseStatus.ACTIVE, CaseStatus.SUSPENDED)


@dataclass(frozen=True)
class CaseFilters:
    """The list's filters: a status, only my cases (lead or team), a text in the reference or
    title."""

    status: CaseStatus | None = None
    mine: bool = False
    text: str | None = None

    @classmethod
    def parse(cls, status: object = None, mine: object = None, text: object = None) -> CaseFilters:
        """Read the filters from request values; `ValidationError` for a bad status or text."""
        clean = text.strip() if isinstance(text, str) and text.strip() else None
        check_filter_texts({"q": clean})
        chosen = None
        if status not in (None, ""):
            try:
                chosen = CaseStatus(str(status))
            except ValueError:
                raise ValidationError({"status": "is not a case status"}) from None
        return cls(chosen, str(mine) in {"1", "on", "true"}, clean)

    def details(self) -> dict[str, object]:
        """The filters as audit details."""
        return {
            key: value
            for key, value in (
                ("status", self.status.value if self.status else None),
                ("mine", self.mine or None),
                ("q", self.text),
            )
            if value
        }


@dataclass(frozen=True)
class CaseRow:
    """A case in a list: the case, its lead's name, how many items and open tasks it has."""

    case: Investigation
    lead_name: str
    items: int
    open_tasks: int


def _conditions(actor: Actor, filters: CaseFilters) -> list[ColumnElement[bool]]:
    conditions = [visible_condition(actor)]
    if filters.status is not None:
        conditions.append(Investigation.status == filters.status)
    if filters.mine:
        conditions.append(team_condition(actor.user_id))
    if filters.text:
        pattern = f"%{escape_like(filters.text)}%"
        conditions.append(
            or_(
                Investigation.reference.ilike(pattern, escape="\\"),
                Investigation.title.ilike(pattern, escape="\\"),
            )
        )
    return conditions


def _counts(rows: Iterable[Any]) -> dict[uuid.UUID, int]:
    return {key: int(count) for key, count in rows}


def _rows(session: Session, stmt: Select[Investigation]) -> list[CaseRow]:
    cases = list(session.execute(stmt).scalars())
    ids = [case.id for case in cases]
    names = user_names(session, (case.lead_id for case in cases))
    items = _counts(
        session.execute(
            select(InvestigationItem.investigation_id, func.count())
            .where(InvestigationItem.investigation_id.in_(ids))
            .group_by(InvestigationItem.investigation_id)
        )
    )
    tasks = _counts(
        session.execute(
            select(InvestigationTask.investigation_id, func.count())
            .where(InvestigationTask.investigation_id.in_(ids), InvestigationTask.done_at.is_(None))
            .group_by(InvestigationTask.investigation_id)
        )
    )
    return [
        CaseRow(case, names.get(case.lead_id, "?"), items.get(case.id, 0), tasks.get(case.id, 0))
        for case in cases
    ]


def list_cases(
    session: Session, actor: Actor, filters: CaseFilters, *, offset: int = 0, limit: int = 50
) -> tuple[list[CaseRow], int]:
    """The cases ``actor`` may see that match ``filters``, last changed first, and how many
    there are. Audited as ``investigation.list``."""
    require(actor, Action.READ_INVESTIGATIONS)
    conditions = _conditions(actor, filters)
    total = session.execute(
        select(func.count()).select_from(Investigation).where(*conditions)
    ).scalar_one()
    stmt = (
        select(Investigation)
        .where(*conditions)
        .order_by(Investigation.updated_at.desc(), Investigation.id)
        .offset(offset)
        .limit(limit)
    )
    rows = _rows(session, stmt)
    note_read(session, actor, RECORD_TYPE, details={**filters.details(), "rows": len(rows)})
    return rows, total


def user_names(session: Session, ids: Iterable[uuid.UUID | None]) -> dict[uuid.UUID, str]:
    """Display names of users by id (unknown ids are left out)."""
    wanted = {user_id for user_id in ids if user_id is not None}
    if not wanted:
        return {}
    stmt = select(User.id, User.display_name).where(User.id.in_(wanted))
    return {row[0]: row[1] for row in session.execute(stmt)}


@dataclass
class CaseFile:
    """One case as its page shows it to one reader.

    ``team_side`` is False for a reader outside the team (a non-restricted case seen by
    another officer): tasks, notes and history are then empty, not merely hidden.
    """

    case: Investigation
    names: dict[uuid.UUID, str]
    team: list[uuid.UUID]
    items: list[ItemView]
    team_side: bool
    manage: bool
    statuses: list[CaseStatus]
    can_reopen: bool
    tasks: list[InvestigationTask] = field(default_factory=list)
    notes: list[InvestigationNote] = field(default_factory=list)
    history: Sequence[InvestigationEvent] = field(default_factory=list)

    def items_of(self, record_type: str) -> list[ItemView]:
        """The items of one kind."""
        return [view for view in self.items if view.item.record_type.value == record_type]


def read_case(session: Session, actor: Actor, case_id: object) -> CaseFile:
    """Case ``case_id`` as ``actor`` may see it. Raises `NotFoundError` (absent or restricted
    to another team). Audited as ``investigation.read`` with the records shown."""
    case = load_case(session, actor, case_id)
    team_side = can_work(session, case, actor)
    team = team_ids(session, case)
    items = case_items(session, case) if is_allowed(actor, Action.READ_RECORDS) else []
    tasks = case_tasks(session, case) if team_side else []
    notes = case_notes(session, case) if team_side else []
    history = case_history(session, case) if team_side else []
    people: list[uuid.UUID | None] = [*team, case.opened_by_id]
    people += [task.assignee_id for task in tasks] + [task.done_by_id for task in tasks]
    people += [note.author_id for note in notes] + [note.addressee_id for note in notes]
    manage = can_manage(case, actor)
    note_read(
        session,
        actor,
        RECORD_TYPE,
        record_id=case.id,
        details={
            "reference": case.reference,
            "items": [f"{v.item.record_type.value}:{v.item.record_id}" for v in items],
            "team_side": team_side,
        },
    )
    return CaseFile(
        case=case,
        names=user_names(session, people),
        team=team,
        items=items,
        team_side=team_side,
        manage=manage,
        statuses=next_statuses(case.status) if manage else [],
        can_reopen=is_allowed(actor, Action.REOPEN_INVESTIGATION),
        tasks=tasks,
        notes=notes,
        history=history,
    )


def workable_cases(session: Session, actor: Actor) -> list[Investigation]:
    """The open cases ``actor`` may add records to (their team's; every one for supervisors),
    last changed first (at most 200): the choices of "Add to investigation"."""
    require(actor, Action.WORK_ON_INVESTIGATION)
    stmt = select(Investigation).where(
        visible_condition(actor), Investigation.status.in_(OPEN_STATUSES)
    )
    if not is_allowed(actor, Action.SEE_ALL_INVESTIGATIONS):
        stmt = stmt.where(team_condition(actor.user_id))
    stmt = stmt.order_by(Investigation.updated_at.desc(), Investigation.id).limit(200)
    return list(session.execute(stmt).scalars())


def cases_holding(
    session: Session, actor: Actor, record_type: ItemType, record_id: uuid.UUID
) -> list[Investigation]:
    """The cases ``actor`` may see that hold the record (for the record's page)."""
    require(actor, Action.READ_INVESTIGATIONS)
    stmt = (
        select(Investigation)
        .join(InvestigationItem, InvestigationItem.investigation_id == Investigation.id)
        .where(
            InvestigationItem.record_type == record_type,
            InvestigationItem.record_id == record_id,
            visible_condition(actor),
        )
        .order_by(Investigation.updated_at.desc())
        .limit(50)
    )
    return list(session.execute(stmt).scalars())


@dataclass(frozen=True)
class TaskDue:
    """An open task of mine, with its case."""

    task: InvestigationTask
    case: Investigation


def my_open_cases(session: Session, actor: Actor, limit: int = 5) -> tuple[list[CaseRow], bool]:
    """The open cases ``actor`` leads or is assigned to, last changed first: the desk panel
    (first ``limit``, and whether there are more). Audited as ``investigation.list`` with
    ``view: desk``, ``panel: cases`` and the ids shown."""
    require(actor, Action.READ_INVESTIGATIONS)
    stmt = (
        select(Investigation)
        .where(team_condition(actor.user_id), Investigation.status.in_(OPEN_STATUSES))
        .order_by(Investigation.updated_at.desc(), Investigation.id)
        .limit(limit + 1)
    )
    rows = _rows(session, stmt)
    shown = [str(row.case.id) for row in rows[:limit]]
    note_read(
        session, actor, RECORD_TYPE, details={"view": "desk", "panel": "cases", "shown": shown}
    )
    return rows[:limit], len(rows) > limit


def my_open_tasks(
    session: Session, actor: Actor, limit: int = 5, today: date | None = None
) -> tuple[list[TaskDue], bool]:
    """The open tasks assigned to ``actor`` on open cases they may see, soonest due first
    (undated last); the first ``limit`` and whether there are more. Audited as
    ``investigation_task.list`` (task titles may name people)."""
    require(actor, Action.READ_INVESTIGATIONS)
    del today  # the order alone puts overdue tasks first
    stmt = (
        select(InvestigationTask, Investigation)
        .join(Investigation, Investigation.id == InvestigationTask.investigation_id)
        .where(
            InvestigationTask.assignee_id == actor.user_id,
            InvestigationTask.done_at.is_(None),
            Investigation.status.in_(OPEN_STATUSES),
            visible_condition(actor),
        )
        .order_by(
            InvestigationTask.due_on.asc().nulls_last(),
            InvestigationTask.created_at,
            InvestigationTask.id,
        )
        .limit(limit + 1)
    )
    rows = [TaskDue(task, case) for task, case in session.execute(stmt)]
    shown = [str(row.task.id) for row in rows[:limit]]
    note_read(
        session,
        actor,
        "investigation_task",
        details={"view": "desk", "panel": "tasks", "shown": shown},
    )
    return rows[:limit], len(rows) > limit

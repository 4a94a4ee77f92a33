"""Tasks of a case: something to do, by an officer of the team, by a date; done or undone.

Any member of the team (or a supervisor) adds tasks and marks them done or not done again; the
assignee must be on the team (the lead or an assigned officer). Marking names the version of
the task the user saw, so two officers ticking the same task from stale pages get a
`ConflictError` instead of silently undoing each other. Every act is logged in the case's
history and the audit trail.
"""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from ncen.accounts.actor import Actor
from ncen.db import utcnow
from ncen.errors import NotFoundError
from ncen.investigations.access import load_case, require_work
from ncen.investigations.history import log
from ncen.investigations.models import Investigation, InvestigationMember, InvestigationTask
from ncen.investigations.versions import check_version
from ncen.validation import Checker

MAX_TASK_TITLE = 300


def team_ids(session: Session, case: Investigation) -> list[uuid.UUID]:
    """The lead first, then the assigned officers in the order they were added."""
    members = session.execute(
        select(InvestigationMember.user_id)
        .where(InvestigationMember.investigation_id == case.id)
        .order_by(InvestigationMember.added_at, InvestigationMember.user_id)
    ).scalars()
    return [case.lead_id, *members]


def add_task(
    session: Session,
    actor: Actor,
    case_id: object,
    *,
    title: object,
    assignee_id: object = None,
    due_on: object = None,
) -> InvestigationTask:
    """Add a task to case ``case_id``: a ``title`` (required, one line), an ``assignee_id`` on
    the team (optional) and a ``due_on`` date (optional, ISO). Team or supervisor. Raises
    `NotFoundError`, `PermissionDeniedError`, `ValidationError`. Logged as ``task_add``."""
    case = load_case(session, actor, case_id, lock=True)
    require_work(session, case, actor)
    checker = Checker(session, {"title": title, "due_on": due_on})
    clean_title = checker.text("title", required=True, max_len=MAX_TASK_TITLE, multiline=False)
    due = checker.day("due_on")
    assignee = _assignee(session, checker, case, assignee_id)
    checker.raise_if_errors()
    assert clean_title is not None
    task = InvestigationTask(
        id=uuid.uuid4(),
        investigation_id=case.id,
        title=clean_title,
        assignee_id=assignee,
        due_on=due,
        created_by_id=actor.user_id,
        created_at=utcnow(),
        version=1,
    )
    session.add(task)
    session.flush()
    log(
        session,
        actor,
        case,
        "task_add",
        task=str(task.id),
        **({"assignee": str(assignee)} if assignee else {}),
        **({"due_on": due.isoformat()} if isinstance(due, date) else {}),
    )
    return task


def _assignee(
    session: Session, checker: Checker, case: Investigation, raw: object
) -> uuid.UUID | None:
    if raw is None or raw == "":
        return None
    try:
        user_id = raw if isinstance(raw, uuid.UUID) else uuid.UUID(str(raw))
    except ValueError:
        user_id = None
    if user_id is None or user_id not in team_ids(session, case):
        checker.fail("assignee_id", "choose an officer of the case's team")
        return None
    return user_id


def set_task_done(
    session: Session, actor: Actor, case_id: object, task_id: object, *, done: bool, version: object
) -> InvestigationTask:
    """Mark a task done (``done``) or not done, as of ``version``. Team or supervisor. Raises
    `NotFoundError` (a task of another case too), `ConflictError`. Logged as ``task_done`` /
    ``task_undone``; marking a task as it already is changes nothing."""
    case = load_case(session, actor, case_id, lock=True)
    require_work(session, case, actor)
    task = _task(session, case, task_id)
    check_version(task, version, "investigation_task")
    if (task.done_at is not None) == done:
        return task
    task.done_at = utcnow() if done else None
    task.done_by_id = actor.user_id if done else None
    task.version += 1
    session.flush()
    log(session, actor, case, "task_done" if done else "task_undone", task=str(task.id))
    return task


def _task(session: Session, case: Investigation, task_id: object) -> InvestigationTask:
    try:
        key = uuid.UUID(str(task_id))
    except ValueError:
        raise NotFoundError("investigation_task", task_id) from None
    task = session.get(InvestigationTask, key, with_for_update=True)
    if task is None or task.investigation_id != case.id:
        raise NotFoundError("investigation_task", key)
    return task


def case_tasks(session: Session, case: Investigation) -> list[InvestigationTask]:
    """``case``'s tasks: open ones first by due date (undated last), then done ones."""
    stmt = (
        select(InvestigationTask)
        .where(InvestigationTask.investigation_id == case.id)
        .order_by(
            InvestigationTask.done_at.is_not(None),
            InvestigationTask.due_on.asc().nulls_last(),
            InvestigationTask.created_at,
            InvestigationTask.id,
        )
    )
    return list(session.execute(stmt).scalars())

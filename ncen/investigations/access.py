"""Need to know: who may see a case, who may work on it, and who may manage it.

- A case that is not restricted is visible to every holder of ``READ_INVESTIGATIONS``
  (investigators, analysts, supervisors): they learn that it exists, its title, status, team
  and records (records follow the normal policy), so that two officers do not run the same
  case twice. Its notes, messages, tasks and RFIs are the team's: only the team and
  supervisors read them.
- A restricted case is visible only to its lead, its assigned officers and supervisors
  (``SEE_ALL_INVESTIGATIONS``). For anybody else it does not exist: `load_case` raises
  `NotFoundError` (a 404, never a 403) and `visible_condition` keeps it out of every list,
  count and search.
- Working on a case (items, tasks, notes) takes the team or a supervisor; managing it (details,
  lead, team, status) takes the lead or a supervisor.

Administrators and auditors hold none of the investigation actions: they never see a case.
"""

from __future__ import annotations

import uuid

from sqlalchemy import ColumnElement, exists, or_, select, true
from sqlalchemy.orm import Session

from ncen.accounts.actor import Actor
from ncen.errors import NotFoundError, PermissionDeniedError
from ncen.investigations.models import Investigation, InvestigationMember
from ncen.policy import Action, is_allowed, require

RECORD_TYPE = "investigation"


def sees_all(actor: Actor) -> bool:
    """True for supervisors (and the node at the console): every case, restricted or not."""
    return is_allowed(actor, Action.SEE_ALL_INVESTIGATIONS)


def team_condition(user_id: uuid.UUID | None) -> ColumnElement[bool]:
    """SQL: the case's lead or one of its assigned officers is ``user_id``."""
    return or_(
        Investigation.lead_id == user_id,
        exists().where(
            InvestigationMember.investigation_id == Investigation.id,
            InvestigationMember.user_id == user_id,
        ),
    )


def visible_condition(actor: Actor) -> ColumnElement[bool]:
    """SQL: the cases ``actor`` may learn exist (every list and count filters on this)."""
    if sees_all(actor):
        return true()
    return or_(Investigation.restricted.is_(False), team_condition(actor.user_id))


def is_member(session: Session, case: Investigation, actor: Actor) -> bool:
    """True if ``actor`` leads ``case`` or is assigned to it."""
    if actor.user_id is None:
        return False
    if case.lead_id == actor.user_id:
        return True
    found = session.execute(
        select(InvestigationMember.user_id).where(
            InvestigationMember.investigation_id == case.id,
            InvestigationMember.user_id == actor.user_id,
        )
    ).first()
    return found is not None


def can_work(session: Session, case: Investigation, actor: Actor) -> bool:
    """True if ``actor`` may read the team's side of ``case`` and add to it."""
    if not is_allowed(actor, Action.WORK_ON_INVESTIGATION):
        return False
    return sees_all(actor) or is_member(session, case, actor)


def can_manage(case: Investigation, actor: Actor) -> bool:
    """True if ``actor`` may change ``case``'s details, team and status."""
    if not is_allowed(actor, Action.MANAGE_INVESTIGATION):
        return False
    return sees_all(actor) or (actor.user_id is not None and case.lead_id == actor.user_id)


def load_case(
    session: Session, actor: Actor, case_id: object, *, lock: bool = False
) -> Investigation:
    """The case ``case_id`` if ``actor`` may see it (``lock``: FOR UPDATE, for writes).

    Requires ``READ_INVESTIGATIONS``. Raises `NotFoundError` for a malformed id, a missing case
    and a restricted case of another team alike: nobody learns that a restricted case exists.
    """
    require(actor, Action.READ_INVESTIGATIONS)
    try:
        key = case_id if isinstance(case_id, uuid.UUID) else uuid.UUID(str(case_id))
    except ValueError:
        raise NotFoundError(RECORD_TYPE, case_id) from None
    stmt = select(Investigation).where(Investigation.id == key, visible_condition(actor))
    if lock:
        stmt = stmt.with_for_update()
    case = session.execute(stmt).scalar_one_or_none()
    if case is None:
        raise NotFoundError(RECORD_TYPE, key)
    return case


def find_by_reference(session: Session, actor: Actor, reference: str) -> Investigation | None:
    """The case ``reference`` (any case) if ``actor`` may know that it exists, else None.

    For other areas that name a case by its reference (an exchange officer linking an RFI):
    it needs no investigation action, and a restricted case of another team is None exactly
    like a missing one, so the answer reveals nothing.
    """
    stmt = select(Investigation).where(
        Investigation.reference == reference.strip().upper(), visible_condition(actor)
    )
    return session.execute(stmt).scalar_one_or_none()


def require_work(session: Session, case: Investigation, actor: Actor) -> None:
    """Raise `PermissionDeniedError` unless `can_work` (the case is visible: a 403 is fine)."""
    if not can_work(session, case, actor):
        raise PermissionDeniedError(str(Action.WORK_ON_INVESTIGATION), "not on the case's team")


def require_manage(case: Investigation, actor: Actor) -> None:
    """Raise `PermissionDeniedError` unless `can_manage`."""
    if not can_manage(case, actor):
        raise PermissionDeniedError(str(Action.MANAGE_INVESTIGATION), "not the case's lead")

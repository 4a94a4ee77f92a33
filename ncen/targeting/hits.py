"""The hits queue and its triage: list, read, confirm, dismiss with a reason, assign; and the
statistics the outcomes feed back to each profile (hits, confirmed, dismissed, precision).

A hit names a seizure and the values that matched (nominal data): reading hits needs
``READ_HITS`` and is audited like any read of records. A hit on a deleted seizure is neither
listed, counted, nor opened (404): a hit never reveals a record its reader may not see. An
investigator sees and settles only the hits assigned to them; analysts and supervisors see the
team's queue (the hits of the profiles its members own or the hits assigned to them: `User.team`)
and assign hits.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, ScalarSelect, and_, func, or_, select
from sqlalchemy.orm import Session

from ncen.accounts.actor import Actor
from ncen.accounts.models import Role, User
from ncen.audit import record_event
from ncen.db import utcnow
from ncen.errors import NotFoundError, PermissionDeniedError, ValidationError
from ncen.policy import Action, is_allowed, require
from ncen.reading import note_read
from ncen.seizures.models import Seizure
from ncen.targeting.models import Hit, HitStatus, RiskProfile
from ncen.text import text_problem

SORTS = {"score": (Hit.score.desc(), Hit.created_at.desc()), "date": (Hit.created_at.desc(),)}


def _triager(actor: Actor) -> bool:
    """Analysts and supervisors work the team's queue; others only their assigned hits."""
    return actor.user_id is None or actor.has(Role.ANALYST) or actor.has(Role.SUPERVISOR)


def _visible(actor: Actor) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = [Seizure.deleted_at.is_(None)]
    if not _triager(actor):
        conditions.append(Hit.assigned_to_id == actor.user_id)
    return conditions


def _team_members(session: Session, actor: Actor) -> ScalarSelect[uuid.UUID] | None:
    """The ids of the actor's team (a subquery), or None when the actor is in no team."""
    if actor.user_id is None:
        return None
    team = session.execute(select(User.team).where(User.id == actor.user_id)).scalar_one_or_none()
    if not team:
        return None
    return select(User.id).where(User.team == team).scalar_subquery()


@dataclass(frozen=True, slots=True)
class HitRow:
    """A hit with what a queue shows beside it."""

    hit: Hit
    profile_name: str
    reference: str
    assignee: str | None


def list_hits(
    session: Session,
    actor: Actor,
    *,
    scope: str = "team",
    status: str | None = None,
    profile_id: uuid.UUID | None = None,
    sort: str = "score",
    offset: int = 0,
    limit: int = 50,
) -> tuple[list[HitRow], int]:
    """A page of the queue and its total. ``scope`` ``mine``: hits of the actor's profiles or
    assigned to them; ``team``: the hits of profiles owned by, or hits assigned to, any member
    of the actor's team (`User.team`), the actor included; for an actor in no team, every hit
    (a node that has not set teams works as one). Investigators always see only their
    assigned hits.
    Raises `ValidationError` for an unknown status or sort. Audited as ``targeting_hit.list``."""
    require(actor, Action.READ_HITS)
    conditions = _visible(actor)
    if scope == "mine":
        conditions.append(
            or_(RiskProfile.owner_id == actor.user_id, Hit.assigned_to_id == actor.user_id)
        )
    elif scope == "team":
        team = _team_members(session, actor)
        if team is not None:
            conditions.append(or_(RiskProfile.owner_id.in_(team), Hit.assigned_to_id.in_(team)))
    if status:
        try:
            conditions.append(Hit.status == HitStatus(status))
        except ValueError:
            raise ValidationError({"status": "choose new, confirmed or dismissed"}) from None
    if profile_id is not None:
        conditions.append(Hit.profile_id == profile_id)
    if sort not in SORTS:
        raise ValidationError({"sort": "sort by score or date"})
    base = (
        select(Hit, RiskProfile.name, Seizure.reference, User.display_name)
        .join(RiskProfile, RiskProfile.id == Hit.profile_id)
        .join(Seizure, Seizure.id == Hit.seizure_id)
        .outerjoin(User, User.id == Hit.assigned_to_id)
        .where(*conditions)
    )
    total = session.execute(
        select(func.count()).select_from(base.order_by(None).subquery())
    ).scalar_one()
    rows = session.execute(base.order_by(*SORTS[sort], Hit.id).offset(offset).limit(limit)).all()
    note_read(
        session,
        actor,
        "targeting_hit",
        details={"hits": [str(row[0].id) for row in rows], "scope": scope, "status": status},
    )
    return [HitRow(hit, name, reference, assignee) for hit, name, reference, assignee in rows], (
        int(total)
    )


def _visible_hit(session: Session, actor: Actor, hit_id: uuid.UUID) -> Hit:
    row = session.execute(
        select(Hit)
        .join(Seizure, Seizure.id == Hit.seizure_id)
        .where(Hit.id == hit_id, *_visible(actor))
    ).scalar_one_or_none()
    if row is None:
        raise NotFoundError("hit", hit_id)
    return row


def get_hit(session: Session, actor: Actor, hit_id: uuid.UUID) -> HitRow:
    """One hit the actor may see, or `NotFoundError`. Audited as a read of the seizure."""
    require(actor, Action.READ_HITS)
    hit = _visible_hit(session, actor, hit_id)
    profile = session.get(RiskProfile, hit.profile_id)
    seizure = session.get(Seizure, hit.seizure_id)
    assert profile is not None
    assert seizure is not None
    assignee = session.get(User, hit.assigned_to_id) if hit.assigned_to_id else None
    note_read(session, actor, "seizure", record_id=hit.seizure_id, details={"hit": str(hit.id)})
    return HitRow(hit, profile.name, seizure.reference, assignee.display_name if assignee else None)


def decide_hit(
    session: Session, actor: Actor, hit_id: uuid.UUID, decision: str, reason: str = ""
) -> Hit:
    """Confirm or dismiss a hit (a dismissal needs its reason; ``new`` reopens it).
    Raises `NotFoundError`, `ValidationError`. Audited as ``targeting.hit.decide``."""
    require(actor, Action.TRIAGE_HITS)
    hit = _visible_hit(session, actor, hit_id)
    try:
        status = HitStatus(decision)
    except ValueError:
        raise ValidationError({"decision": "confirm or dismiss"}) from None
    reason = (reason or "").strip()
    if problem := text_problem(reason):
        raise ValidationError({"reason": problem})
    if len(reason) > 2000:
        raise ValidationError({"reason": "at most 2000 characters"})
    if status is HitStatus.DISMISSED and not reason:
        raise ValidationError({"reason": "say why the hit is dismissed"})
    hit.status = status
    hit.reason = reason
    hit.decided_by_id = actor.user_id if status is not HitStatus.NEW else None
    hit.decided_at = utcnow() if status is not HitStatus.NEW else None
    session.flush()
    record_event(
        session,
        actor,
        "targeting.hit.decide",
        record_type="seizure",
        record_id=hit.seizure_id,
        details={"hit": str(hit.id), "status": status.value},
    )
    return hit


def assign_hit(
    session: Session, actor: Actor, hit_id: uuid.UUID, assignee_id: uuid.UUID | None
) -> Hit:
    """Assign a hit to an active user who may read hits (None: unassign). Analysts and
    supervisors only. Raises `PermissionDeniedError`, `NotFoundError`, `ValidationError`.
    Audited as ``targeting.hit.assign``."""
    require(actor, Action.TRIAGE_HITS)
    if not _triager(actor):
        raise PermissionDeniedError(str(Action.TRIAGE_HITS), "only analysts and supervisors assign")
    hit = _visible_hit(session, actor, hit_id)
    if assignee_id is not None:
        user = session.get(User, assignee_id)
        if user is None or not user.active or not is_allowed(Actor.of(user), Action.READ_HITS):
            raise ValidationError(
                {"assignee": "choose an active investigator, analyst or supervisor"}
            )
    hit.assigned_to_id = assignee_id
    session.flush()
    record_event(
        session,
        actor,
        "targeting.hit.assign",
        record_type="seizure",
        record_id=hit.seizure_id,
        details={"hit": str(hit.id), "assignee": str(assignee_id) if assignee_id else None},
    )
    return hit


def assignable_users(session: Session) -> list[tuple[uuid.UUID, str]]:
    """Active users who may be assigned hits, by name."""
    users = session.execute(select(User).where(User.active).order_by(User.display_name)).scalars()
    return [(u.id, u.display_name) for u in users if is_allowed(Actor.of(u), Action.READ_HITS)]


def profile_statistics(session: Session, profile_id: uuid.UUID) -> dict[str, Any]:
    """Hits, confirmed, dismissed and precision (confirmed / decided) of a profile, in all and
    by month of the hit, over live seizures."""
    month = func.date_trunc("month", Hit.created_at)
    counts = (
        func.count(),
        func.count().filter(Hit.status == HitStatus.CONFIRMED),
        func.count().filter(Hit.status == HitStatus.DISMISSED),
    )
    live = and_(Hit.profile_id == profile_id, Seizure.deleted_at.is_(None))
    joined = select(*counts).join(Seizure, Seizure.id == Hit.seizure_id).where(live)
    hits, confirmed, dismissed = session.execute(joined.select_from(Hit)).one()
    series = session.execute(
        select(month, *counts)
        .select_from(Hit)
        .join(Seizure, Seizure.id == Hit.seizure_id)
        .where(live)
        .group_by(month)
        .order_by(month)
    ).all()

    def precision(c: int, d: int) -> float | None:
        return c / (c + d) if c + d else None

    return {
        "hits": hits,
        "confirmed": confirmed,
        "dismissed": dismissed,
        "precision": precision(confirmed, dismissed),
        "months": [
            {"month": m.date().isoformat()[:7], "hits": h, "confirmed": c, "dismissed": d,
             "precision": precision(c, d)}
            for m, h, c, d in series
        ],
    }  # fmt: skip


def new_hits_count(session: Session, actor: Actor) -> int:
    """New hits of the actor's profiles or assigned to them (the home page's count)."""
    if not is_allowed(actor, Action.READ_HITS):
        return 0
    return int(
        session.execute(
            select(func.count())
            .select_from(Hit)
            .join(RiskProfile, RiskProfile.id == Hit.profile_id)
            .join(Seizure, Seizure.id == Hit.seizure_id)
            .where(
                Hit.status == HitStatus.NEW,
                Seizure.deleted_at.is_(None),
                or_(RiskProfile.owner_id == actor.user_id, Hit.assigned_to_id == actor.user_id),
            )
        ).scalar_one()
    )


def visible_hit_ids(session: Session, actor: Actor, hit_ids: Iterable[uuid.UUID]) -> set[uuid.UUID]:
    """The ids among ``hit_ids`` of hits the actor may see in the queue (the rule of
    `get_hit`), for the callers that take hits by id (a case's items)."""
    wanted = list(set(hit_ids))
    if not wanted or not is_allowed(actor, Action.READ_HITS):
        return set()
    return set(
        session.execute(
            select(Hit.id)
            .join(Seizure, Seizure.id == Hit.seizure_id)
            .where(Hit.id.in_(wanted), *_visible(actor))
        ).scalars()
    )

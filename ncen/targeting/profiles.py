"""Risk profile use cases: write (a new version each time the criteria change), change
status, list, and find the profiles whose review is due.

Analysts and supervisors (``MANAGE_PROFILES``) write profiles. Every field is checked at once
(one `Checker`); the expression is checked against the catalogue and the reference tables
(`ncen.targeting.validation`) and errors keep their line and column. Activating a profile whose
back-test hits a large share of the history needs ``confirm=True`` (`ncen.targeting.backtest`).
The caller owns the transaction; every write is audited (``targeting.profile.*``).
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from ncen.accounts.actor import Actor
from ncen.audit import record_event
from ncen.db import utcnow
from ncen.errors import ConflictError, NotFoundError, ValidationError
from ncen.policy import Action, require
from ncen.targeting.language import ExpressionError
from ncen.targeting.models import Lane, ProfileStatus, RiskProfile, RiskProfileVersion
from ncen.targeting.validation import validate_expression
from ncen.validation import Checker

# A profile that would have hit more than this share of the history is refused unless the
# analyst confirms (it would flood the queue); one that hits everything is always refused.
BROAD_SHARE = 0.2


def effective_status(profile: RiskProfile, today: date | None = None) -> ProfileStatus:
    """The status readers see: an active (or suspended) profile past its end date is expired,
    whether or not anything has stored that yet."""
    today = today or utcnow().date()
    if profile.status is not ProfileStatus.DRAFT and profile.ends_on and profile.ends_on < today:
        return ProfileStatus.EXPIRED
    return profile.status


def review_due(profile: RiskProfile, today: date | None = None) -> bool:
    """Whether the profile is past its review date (flagged to its owner)."""
    today = today or utcnow().date()
    return profile.review_on is not None and profile.review_on <= today


@dataclass(frozen=True, slots=True)
class ProfileInput:
    """The checked fields of a profile form (or file)."""

    name: str
    purpose: str
    expression: str
    lane: Lane
    score: int
    starts_on: date | None
    ends_on: date | None
    review_on: date | None
    note: str


def read_profile(session: Session, data: Mapping[str, Any]) -> ProfileInput:
    """Check every field of ``data``; raise `ValidationError` naming each bad one (the
    expression's message carries its line and column)."""
    c = Checker(session, data)
    name = c.text("name", required=True, max_len=200)
    purpose = c.text("purpose", max_len=2000, multiline=True) or ""
    note = c.text("note", max_len=500) or ""
    lane = c.choice("lane", Lane) or Lane.MEDIUM
    score = c.integer("score", minimum=0, maximum=100)
    starts_on, ends_on, review_on = c.day("starts_on"), c.day("ends_on"), c.day("review_on")
    if starts_on and ends_on and ends_on < starts_on:
        c.fail("ends_on", "the end date is before the start date")
    expression = data.get("expression")
    if not isinstance(expression, str):
        c.fail("expression", "write at least one criterion")
        expression = ""
    try:
        validate_expression(session, expression)
    except ExpressionError as exc:
        c.errors.update(exc.errors)
    c.raise_if_errors()
    assert name is not None
    return ProfileInput(
        name, purpose, expression.strip(), lane, 50 if score is None else score,
        starts_on, ends_on, review_on, note,
    )  # fmt: skip


def _name_taken(session: Session, name: str, profile_id: uuid.UUID | None) -> bool:
    stmt = select(RiskProfile.id).where(RiskProfile.name == name)
    if profile_id is not None:
        stmt = stmt.where(RiskProfile.id != profile_id)
    return session.execute(stmt).first() is not None


def _add_version(
    session: Session, actor: Actor, profile: RiskProfile, expression: str, note: str
) -> RiskProfileVersion:
    number = max((v.number for v in profile.versions), default=0) + 1
    version = RiskProfileVersion(
        id=uuid.uuid4(),
        profile_id=profile.id,
        number=number,
        expression=expression,
        note=note,
        created_by_id=actor.user_id,
        created_at=utcnow(),
        backtest={},
    )
    profile.versions.append(version)
    session.flush()
    profile.current_version_id = version.id
    profile.current_version = version
    return version


def create_profile(session: Session, actor: Actor, data: Mapping[str, Any]) -> RiskProfile:
    """Create a draft profile with its first version; the actor owns it.

    Raises `PermissionDeniedError`, `ValidationError`. Audited as ``targeting.profile.create``.
    """
    require(actor, Action.MANAGE_PROFILES)
    checked = read_profile(session, data)
    if _name_taken(session, checked.name, None):
        raise ValidationError({"name": "a profile of that name exists"})
    profile = RiskProfile(id=uuid.uuid4(), owner_id=actor.user_id, status=ProfileStatus.DRAFT)
    _apply(profile, checked)
    profile.version = 1
    session.add(profile)
    session.flush()
    _add_version(session, actor, profile, checked.expression, checked.note)
    session.flush()
    record_event(
        session, actor, "targeting.profile.create", details={"profile_id": str(profile.id)}
    )
    return profile


def _apply(profile: RiskProfile, checked: ProfileInput) -> None:
    profile.name = checked.name
    profile.purpose = checked.purpose
    profile.lane = checked.lane
    profile.score = checked.score
    profile.starts_on, profile.ends_on = checked.starts_on, checked.ends_on
    profile.review_on = checked.review_on


def get_profile(session: Session, actor: Actor, profile_id: uuid.UUID) -> RiskProfile:
    """The profile, or `NotFoundError`."""
    require(actor, Action.MANAGE_PROFILES)
    profile = session.get(RiskProfile, profile_id)
    if profile is None:
        raise NotFoundError("profile", profile_id)
    return profile


def update_profile(
    session: Session,
    actor: Actor,
    profile_id: uuid.UUID,
    *,
    expected_version: int,
    data: Mapping[str, Any],
) -> RiskProfile:
    """Change the profile; a changed expression becomes a new version (the old one and its
    hits stay). Raises `NotFoundError`, `ConflictError` (stale ``expected_version``),
    `ValidationError`. Audited as ``targeting.profile.update``."""
    profile = _locked(session, actor, profile_id, expected_version)
    checked = read_profile(session, data)
    if _name_taken(session, checked.name, profile.id):
        raise ValidationError({"name": "a profile of that name exists"})
    _apply(profile, checked)
    current = profile.current_version
    changed = current is None or current.expression != checked.expression
    if changed:
        _add_version(session, actor, profile, checked.expression, checked.note)
    profile.version += 1
    profile.updated_at = utcnow()
    session.flush()
    record_event(
        session,
        actor,
        "targeting.profile.update",
        details={"profile_id": str(profile.id), "new_version": changed},
    )
    return profile


def _locked(
    session: Session, actor: Actor, profile_id: uuid.UUID, expected_version: int
) -> RiskProfile:
    require(actor, Action.MANAGE_PROFILES)
    profile = session.execute(
        select(RiskProfile)
        .where(RiskProfile.id == profile_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).scalar_one_or_none()
    if profile is None:
        raise NotFoundError("profile", profile_id)
    if profile.version != expected_version:
        raise ConflictError("profile", profile_id, expected_version, profile.version)
    return profile


def set_status(
    session: Session,
    actor: Actor,
    profile_id: uuid.UUID,
    status: str,
    *,
    expected_version: int,
    confirm: bool = False,
) -> RiskProfile:
    """Activate, suspend or return to draft. Activation runs a back-test first: a profile that
    would hit every seizure is refused, one above `BROAD_SHARE` needs ``confirm``; an ended
    profile cannot be activated. Raises `ValidationError`, `ConflictError`, `NotFoundError`.
    Audited as ``targeting.profile.status``."""
    from ncen.targeting.backtest import run_backtest

    profile = _locked(session, actor, profile_id, expected_version)
    try:
        target = ProfileStatus(status)
    except ValueError:
        raise ValidationError({"status": "choose active, suspended or draft"}) from None
    if target is ProfileStatus.EXPIRED:
        raise ValidationError({"status": "a profile expires by its end date"})
    if target is ProfileStatus.ACTIVE:
        if profile.ends_on and profile.ends_on < utcnow().date():
            raise ValidationError({"ends_on": "the end date has passed: change it first"})
        assert profile.current_version is not None
        result = run_backtest(session, actor, profile.current_version.expression)
        profile.current_version.backtest = result.summary()
        if result.total and result.hits == result.total:
            raise ValidationError({"expression": "it would hit every seizure: narrow it"})
        if result.share > BROAD_SHARE and not confirm:
            raise ValidationError(
                {"confirm": f"it would have hit {result.share:.0%} of the seizures: confirm"}
            )
    profile.status = target
    profile.version += 1
    profile.updated_at = utcnow()
    session.flush()
    record_event(
        session,
        actor,
        "targeting.profile.status",
        details={"profile_id": str(profile.id), "status": target.value},
    )
    return profile


def list_profiles(
    session: Session, actor: Actor, *, status: str | None = None, mine: bool = False
) -> list[RiskProfile]:
    """Profiles by name (``status`` filters by effective status; ``mine``: owned by actor)."""
    require(actor, Action.MANAGE_PROFILES)
    stmt = select(RiskProfile).order_by(RiskProfile.name)
    if mine:
        stmt = stmt.where(RiskProfile.owner_id == actor.user_id)
    profiles = list(session.execute(stmt).scalars())
    if status:
        profiles = [p for p in profiles if effective_status(p).value == status]
    return profiles


def reviews_due(
    session: Session, user_id: uuid.UUID, today: date | None = None
) -> list[RiskProfile]:
    """The profiles ``user_id`` owns whose review date has come (for the home page)."""
    today = today or utcnow().date()
    return list(
        session.execute(
            select(RiskProfile)
            .where(
                RiskProfile.owner_id == user_id,
                RiskProfile.review_on <= today,
                or_(RiskProfile.ends_on.is_(None), RiskProfile.ends_on >= today),
            )
            .order_by(RiskProfile.review_on)
        ).scalars()
    )

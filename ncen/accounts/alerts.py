"""Alerts for auditors: an account was given access to nominal data.

An administrator reads no nominal data, but it creates accounts and resets their credentials,
so it could make itself an investigator under another name. Every such act is therefore
audited by the account services, which also call `raise_if_nominal`: when the account reads
nominal data, an `AccountAlert` waits for a second person, any auditor, who checks that the
account was asked for and acknowledges it. Listing and acknowledging need
`Action.REVIEW_ACCOUNT_ALERTS` (auditors only); acknowledging is audited.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ncen.accounts.actor import Actor
from ncen.accounts.models import AccountAlert, Role, User
from ncen.audit import QueuedEvent, flush_events, record_event
from ncen.db import utcnow
from ncen.errors import NotFoundError, PermissionDeniedError
from ncen.policy import NOMINAL_DATA_ROLES, Action, require

MAX_LISTED = 500

# Roles whose grant the auditors must see: those that read nominal data, and the oversight
# roles themselves (a second administrator or auditor changes who watches whom).
WATCHED_ROLES = NOMINAL_DATA_ROLES | {Role.ADMINISTRATOR, Role.AUDITOR}


def raise_if_nominal(
    session: Session, actor: Actor, user: User, event: QueuedEvent, roles: Iterable[Role]
) -> AccountAlert | None:
    """Raise an alert about ``user`` if ``roles`` include a role that reads nominal data or
    an oversight role (`WATCHED_ROLES`).

    ``event`` is the audit event of the act (``user.create``, ``user.roles``...); ``roles`` are
    the roles concerned (all of them on a create or reset, the new ones on a grant). Written in
    the caller's transaction; returns the alert, or None when no nominal role is concerned.
    Writes the transaction's queued audit events first, to name the event by id (these account
    changes are rare: taking the chain lock early costs nothing here).
    """
    nominal = sorted(r.value for r in frozenset(roles) & WATCHED_ROLES)
    if not nominal:
        return None
    flush_events(session)
    alert = AccountAlert(
        action=event.action,
        user_id=user.id,
        username=user.username,
        roles=nominal,
        actor_id=actor.user_id,
        actor_name=actor.username[:64],
        audit_event_id=event.id,
    )
    session.add(alert)
    session.flush()
    return alert


def list_alerts(
    session: Session, actor: Actor, *, include_acknowledged: bool = False
) -> list[AccountAlert]:
    """The alerts (open ones only unless asked), newest first, at most `MAX_LISTED`.

    Raises `PermissionDeniedError` unless the actor reviews account alerts.
    """
    require(actor, Action.REVIEW_ACCOUNT_ALERTS)
    stmt = select(AccountAlert).order_by(AccountAlert.created_at.desc(), AccountAlert.id)
    if not include_acknowledged:
        stmt = stmt.where(AccountAlert.acknowledged_at.is_(None))
    return list(session.execute(stmt.limit(MAX_LISTED)).scalars())


def count_open_alerts(session: Session, actor: Actor) -> int:
    """How many alerts wait for an auditor. Raises `PermissionDeniedError` like `list_alerts`."""
    require(actor, Action.REVIEW_ACCOUNT_ALERTS)
    stmt = select(func.count()).where(AccountAlert.acknowledged_at.is_(None))
    return int(session.execute(stmt).scalar_one())


def acknowledge_alert(session: Session, actor: Actor, alert_id: uuid.UUID) -> AccountAlert:
    """Mark the alert as checked by ``actor``; acknowledging twice keeps the first.

    Raises `PermissionDeniedError` (also for an alert about the actor's own account) or
    `NotFoundError`. Side effect: an audit event.
    """
    require(actor, Action.REVIEW_ACCOUNT_ALERTS)
    alert = session.get(AccountAlert, alert_id)
    if alert is None:
        raise NotFoundError("account alert", alert_id)
    if actor.user_id is not None and alert.user_id == actor.user_id:
        # The alert exists for a second person: whoever holds the account it is about (perhaps
        # the administrator who made it) cannot be that person.
        raise PermissionDeniedError("an alert about your own account is for another auditor")
    if alert.acknowledged_at is None:
        alert.acknowledged_at = utcnow()
        alert.acknowledged_by_id = actor.user_id
        session.flush()
        record_event(
            session,
            actor,
            "account_alert.acknowledge",
            record_type="user",
            record_id=alert.user_id,
            details={"alert_id": str(alert.id), "action": alert.action, "roles": alert.roles},
        )
    return alert

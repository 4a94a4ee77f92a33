"""Watch-lists and alerts of one user: add and remove watches, read and acknowledge alerts.

Only analysts and supervisors keep watch-lists (``MANAGE_WATCHLISTS``); each user sees and
changes only their own watches and alerts. Adding and removing a watch is audited (without the
watched name or identifier, which may be nominal data).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, exists, false, func, or_, select, update
from sqlalchemy.orm import InstrumentedAttribute, Session

from ncen.accounts.actor import Actor
from ncen.audit import record_event
from ncen.companies.models import Company
from ncen.conveyances.models import Conveyance
from ncen.db import utcnow
from ncen.errors import NotFoundError, ValidationError
from ncen.persons.models import Person
from ncen.policy import Action, require
from ncen.records import RecordMixin
from ncen.search.identifiers import identifier_keys
from ncen.search.keys import analyse
from ncen.search.normalise import check_query_text
from ncen.search.results import STRONG_MATCH
from ncen.seizures.models import Seizure
from ncen.watch.matching import WATCHED_TYPES
from ncen.watch.models import Alert, Watch, WatchKind

DEFAULT_THRESHOLD = STRONG_MATCH  # a name watch alerts on strong matches unless told otherwise
MIN_THRESHOLD = 0.5
MODELS: dict[str, type[RecordMixin]] = {
    "person": Person,
    "company": Company,
    "conveyance": Conveyance,
    "seizure": Seizure,
}


def record_label(record: Any, record_type: str) -> str:
    """How a watched record is named in lists."""
    if record_type == "seizure":
        return str(record.reference)
    return str(record.display_name)


def _threshold(raw: object) -> float:
    if raw is None or raw == "":
        return DEFAULT_THRESHOLD
    try:
        value = float(str(raw))
    except ValueError:
        raise ValidationError({"threshold": "enter a number between 0.5 and 1"}) from None
    if not MIN_THRESHOLD <= value <= 1.0:
        raise ValidationError({"threshold": "enter a number between 0.5 and 1"})
    return value


def add_watch(
    session: Session,
    actor: Actor,
    kind: WatchKind,
    *,
    record_type: str | None = None,
    record_id: uuid.UUID | None = None,
    value: str | None = None,
    threshold: object = None,
) -> Watch:
    """Add a watch for ``actor``: a record (``record_type``, ``record_id``), a name (``value``
    scored at or above ``threshold``, 0.5–1, default `STRONG_MATCH`) or an identifier (``value``).

    Raises `PermissionDeniedError`, `ValidationError`, `NotFoundError`. Audited as
    ``watch.add``. Watching the same record twice returns the existing watch.
    """
    require(actor, Action.MANAGE_WATCHLISTS)
    assert actor.user_id is not None
    watch = Watch(id=uuid.uuid4(), owner_id=actor.user_id, kind=kind, keys=[], created_at=utcnow())
    if kind is WatchKind.RECORD:
        if record_type not in WATCHED_TYPES or record_id is None:
            raise ValidationError({"record_type": "choose a record to watch"})
        record = session.get(MODELS[record_type], record_id)
        if record is None or record.deleted_at is not None:
            raise NotFoundError(record_type, record_id)
        existing = session.execute(
            select(Watch).where(
                Watch.owner_id == actor.user_id,
                Watch.kind == WatchKind.RECORD,
                Watch.record_id == record_id,
            )
        ).scalar_one_or_none()
        if existing is not None:
            return existing
        watch.record_type, watch.record_id = record_type, record_id
        watch.label = record_label(record, record_type)[:300]
    elif kind is WatchKind.NAME:
        name = check_query_text(value, "value")
        if not analyse(name):
            raise ValidationError({"value": "enter a name with at least one word"})
        watch.value = watch.label = name[:300]
        watch.threshold = _threshold(threshold)
    else:
        watch.keys = list(identifier_keys(value))
        watch.value = watch.label = str(value).strip()[:300]
    session.add(watch)
    session.flush()
    record_event(
        session,
        actor,
        "watch.add",
        record_type=watch.record_type,
        record_id=watch.record_id,
        details={"watch_id": str(watch.id), "kind": kind.value},
    )
    return watch


def _own_watch(session: Session, actor: Actor, watch_id: uuid.UUID) -> Watch:
    watch = session.get(Watch, watch_id)
    if watch is None or watch.owner_id != actor.user_id:
        raise NotFoundError("watch", watch_id)
    return watch


def remove_watch(session: Session, actor: Actor, watch_id: uuid.UUID) -> None:
    """Remove one of ``actor``'s watches and its alerts. Raises `NotFoundError` for a watch
    that is not theirs. Audited as ``watch.remove``."""
    require(actor, Action.MANAGE_WATCHLISTS)
    watch = _own_watch(session, actor, watch_id)
    session.delete(watch)
    session.flush()
    record_event(session, actor, "watch.remove", details={"watch_id": str(watch_id)})


def list_watches(session: Session, actor: Actor) -> list[Watch]:
    """``actor``'s watches, newest first."""
    require(actor, Action.MANAGE_WATCHLISTS)
    return list(
        session.execute(
            select(Watch)
            .where(Watch.owner_id == actor.user_id)
            .order_by(Watch.created_at.desc(), Watch.id)
        ).scalars()
    )


def watch_of_record(session: Session, actor: Actor, record_id: uuid.UUID) -> Watch | None:
    """``actor``'s watch on one record, if any (for the Watch/Unwatch button)."""
    return session.execute(
        select(Watch).where(
            Watch.owner_id == actor.user_id,
            Watch.kind == WatchKind.RECORD,
            Watch.record_id == record_id,
        )
    ).scalar_one_or_none()


def alert_on_live_record() -> ColumnElement[bool]:
    """True for an alert whose record is not deleted: an alert about a deleted record is
    neither listed nor counted (deleted records never appear, nor leak through counts)."""
    return or_(
        false(),
        *(
            and_(
                Alert.record_type == record_type,
                exists().where(model.id == Alert.record_id, model.deleted_at.is_(None)),
            )
            for record_type, model in MODELS.items()
        ),
    )


@dataclass(frozen=True, slots=True)
class AlertRow:
    """An alert with its watch's label, for lists."""

    alert: Alert
    watch_label: str
    watch_kind: str


def list_alerts(
    session: Session, actor: Actor, *, offset: int = 0, limit: int = 50, unread_only: bool = False
) -> tuple[list[AlertRow], int]:
    """``actor``'s alerts about live records, newest first, and how many there are in all
    (``unread_only``: those not yet marked as read)."""
    require(actor, Action.MANAGE_WATCHLISTS)
    condition = [Alert.owner_id == actor.user_id, alert_on_live_record()]
    if unread_only:
        condition.append(Alert.read_at.is_(None))
    total = session.execute(select(func.count()).select_from(Alert).where(*condition)).scalar_one()
    rows = session.execute(
        select(Alert, Watch.label, Watch.kind)
        .outerjoin(Watch, Watch.id == Alert.watch_id)
        .where(*condition)
        .order_by(Alert.created_at.desc(), Alert.id)
        .offset(offset)
        .limit(limit)
    ).all()
    return [
        AlertRow(alert, label or "", kind.value if kind else "saved_search")
        for alert, label, kind in rows
    ], total


def unread_count(session: Session, user_id: uuid.UUID) -> int:
    """How many alerts of the user about live records are unread (the badge in the menu)."""
    return session.execute(unread_count_statement(user_id)).scalar_one()


def unread_count_statement(
    owner: uuid.UUID | ColumnElement[uuid.UUID] | InstrumentedAttribute[uuid.UUID],
) -> Select[int]:
    """The statement of `unread_count` for ``owner``: a user id, or a column (``users.id``) so
    that a caller can read the count as a scalar subquery of a statement it sends anyway (the
    web's user loader does: one statement per request for the user, roles and badge)."""
    return (
        select(func.count())
        .select_from(Alert)
        .where(Alert.owner_id == owner, Alert.read_at.is_(None), alert_on_live_record())
    )


def mark_read(session: Session, actor: Actor, alert_id: uuid.UUID | None = None) -> int:
    """Mark one of ``actor``'s alerts (or, without ``alert_id``, all of them) as read; return
    how many changed. Raises `NotFoundError` for an alert that is not theirs."""
    require(actor, Action.MANAGE_WATCHLISTS)
    stmt = update(Alert).where(Alert.owner_id == actor.user_id, Alert.read_at.is_(None))
    if alert_id is not None:
        alert = session.get(Alert, alert_id)
        if alert is None or alert.owner_id != actor.user_id:
            raise NotFoundError("alert", alert_id)
        stmt = stmt.where(Alert.id == alert_id)
    result = session.execute(stmt.values(read_at=utcnow()))
    return int(getattr(result, "rowcount", 0) or 0)

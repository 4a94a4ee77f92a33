"""Reading the audit trail: filters, pages, who sees which details, and the audit of reading.

The trail answers "who looked up whom", so its details hold what users typed: names, document
numbers, words. The auditor (`Action.READ_AUDIT_DETAILS`) sees them; the administrator
(`Action.READ_AUDIT` only) sees every event with those details replaced by `HIDDEN`, so that
managing accounts never shows nominal data. `NOMINAL_DETAIL_KEYS` is the one list of detail
keys that carry nominal data, at any depth; writers of audit events put what users typed under
one of them (search pages use ``query``). Every page of the trail read is itself an audit event
(``audit.read``), written in the reader's transaction.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from ncen.accounts.actor import Actor
from ncen.audit import AuditEvent, record_event
from ncen.policy import Action, is_allowed, require

# Detail keys whose values are nominal data or may be (what a user typed to find someone,
# free text about records). Matched at any depth of the details.
NOMINAL_DETAIL_KEYS = frozenset(
    {
        "query",  # what was typed in a search (every search page)
        "name",  # list filters: a person's or company's name
        "document",  # list filter: an identity document number
        "number",  # list filter: a registration or tax number
        "identifier",  # list filter: a conveyance identifier
        "text",  # list filter: words of a seizure reference or place
        "words",  # words searched in seizure texts
        "changes",  # old and new values of a caption
        "subject",  # the free-text subject of a request for information
        # Quasi-identifiers of person-list filters: with the ids shown, they narrow down who
        # was looked up.
        "birth_year",
        "nationality",
        "gender",
    }
)
HIDDEN = "[hidden]"
MAX_PER_PAGE = 200


def redact(details: Mapping[str, Any]) -> dict[str, Any]:
    """``details`` with the value of every key of `NOMINAL_DETAIL_KEYS` replaced by `HIDDEN`."""
    return {k: HIDDEN if k in NOMINAL_DETAIL_KEYS else _redact_value(v) for k, v in details.items()}


def _redact_value(value: Any) -> Any:
    if isinstance(value, Mapping):
        return redact(value)
    if isinstance(value, list):
        return [_redact_value(v) for v in value]
    return value


@dataclass(frozen=True)
class AuditFilters:
    """Which events to show; empty fields do not filter. Dates are whole UTC days."""

    user: str | None = None
    record_id: str | None = None
    action: str | None = None
    since: date | None = None
    until: date | None = None

    def describe(self) -> dict[str, str]:
        """The filters that are set, as JSON (for the ``audit.read`` event)."""
        return {k: str(v) for k, v in self.__dict__.items() if v not in {None, ""}}

    def statement(self) -> Select[Any]:
        """The ``select()`` of the matching events, newest first."""
        stmt = select(AuditEvent).order_by(AuditEvent.id.desc())
        if self.user:
            stmt = stmt.where(func.lower(AuditEvent.actor_name) == self.user.strip().lower())
        if self.record_id:
            stmt = stmt.where(AuditEvent.record_id == self.record_id.strip())
        if self.action:
            stmt = stmt.where(AuditEvent.action == self.action)
        if self.since:
            stmt = stmt.where(AuditEvent.occurred_at >= _day_start(self.since))
        if self.until:
            stmt = stmt.where(AuditEvent.occurred_at < _day_start(self.until + timedelta(days=1)))
        return stmt


def _day_start(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UTC)


@dataclass(frozen=True)
class ShownEvent:
    """An audit event as one reader may see it (details redacted for administrators)."""

    id: int
    occurred_at: datetime
    actor_name: str
    action: str
    record_type: str | None
    record_id: str | None
    details: dict[str, Any]


@dataclass(frozen=True)
class EventPage:
    """One page of events, the total that match, and whether details were redacted."""

    events: list[ShownEvent]
    total: int
    redacted: bool


def list_actions(session: Session, actor: Actor) -> list[str]:
    """Every action name in the trail, sorted (for the filter). Needs `Action.READ_AUDIT`."""
    require(actor, Action.READ_AUDIT)
    stmt = select(AuditEvent.action).distinct().order_by(AuditEvent.action)
    return list(session.execute(stmt).scalars())


def read_events(
    session: Session, actor: Actor, filters: AuditFilters, *, page: int = 1, per_page: int = 50
) -> EventPage:
    """Page ``page`` (from 1) of the events matching ``filters``, newest first.

    Raises `PermissionDeniedError` without `Action.READ_AUDIT`. Details are redacted unless the
    actor holds `Action.READ_AUDIT_DETAILS`. Side effect: one ``audit.read`` event naming the
    filters, the page, the events shown and whether the details were complete.
    """
    require(actor, Action.READ_AUDIT)
    full = is_allowed(actor, Action.READ_AUDIT_DETAILS)
    per_page = max(1, min(per_page, MAX_PER_PAGE))
    page = max(1, page)
    stmt = filters.statement()
    total = int(
        session.execute(
            select(func.count()).select_from(stmt.order_by(None).subquery())
        ).scalar_one()
    )
    rows = session.execute(stmt.limit(per_page).offset((page - 1) * per_page)).scalars().all()
    events = [
        ShownEvent(
            e.id,
            e.occurred_at,
            e.actor_name,
            e.action,
            e.record_type,
            e.record_id,
            dict(e.details) if full else redact(e.details),
        )
        for e in rows
    ]
    record_event(
        session,
        actor,
        "audit.read",
        details={
            "filters": filters.describe(),
            "page": page,
            "shown": [events[0].id, events[-1].id] if events else [],
            "full_details": full,
        },
    )
    return EventPage(events, total, redacted=not full)

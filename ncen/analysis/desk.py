"""The desk: what waits for a user now, as short panels of the latest items of each kind.

Each panel is one bounded query (``LIMIT size + 1``: the extra row only tells whether there
are more than shown) and is built from the same filters as the full list it links to, so the
list holds the same items in the same order: an investigator's drafts, the drafts a supervisor
returned to them and their recent seizures (`SeizureFilters` with ``created_by``); the
submitted seizures waiting for a supervisor; an analyst's new watch-list alerts and the recent
seizures among the results of their saved searches. Deleted records never appear.

Every panel function requires its `Action` and, since each panel that lists seizures or alerts
shows nominal data, writes one read audit event (``seizure.list`` / ``alert.list`` with
``view: desk`` and the panel's name) per call; the caller owns the transaction. Exchange panels
live in `exchange.services.desk` (ncen does not import exchange).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Generic, TypeVar

from sqlalchemy import Select, func, select, true
from sqlalchemy.dialects.postgresql import distinct_on
from sqlalchemy.orm import Session, raiseload

from ncen.accounts.actor import Actor
from ncen.errors import ValidationError
from ncen.history import ChangeKind, RecordVersion
from ncen.policy import Action, require
from ncen.reading import note_read
from ncen.search.saved import SavedSearch, SearchKind
from ncen.seizures.models import Seizure, SeizureStatus
from ncen.seizures.queries import SeizureFilters, list_statement
from ncen.watch.models import Alert, Watch
from ncen.watch.services import alert_on_live_record

PANEL_SIZE = 5
MAX_PANEL_SIZE = 50
T = TypeVar("T")
S = TypeVar("S", bound=Select[*tuple[Any, ...]])


@dataclass(frozen=True)
class Panel(Generic[T]):
    """The first items of a list, and whether the list holds more than these."""

    items: Sequence[T]
    more: bool


@dataclass(frozen=True)
class SeizureQueue:
    """How a seizure panel is selected: the list filters and order its full list uses."""

    filters: SeizureFilters
    sort: str
    descending: bool


@dataclass(frozen=True)
class ReturnedSeizure:
    """A draft sent back to its author: who returned it, and when."""

    seizure: Seizure
    returned_at: datetime
    returned_by: str


@dataclass(frozen=True)
class AlertItem:
    """A new alert with the label of the watch that raised it ("" for a saved search)."""

    alert: Alert
    watch_label: str


@dataclass(frozen=True)
class SavedSearchHit:
    """A seizure among a saved search's results at its last run."""

    seizure: Seizure
    search_id: uuid.UUID
    search_name: str
    search_params: dict[str, str]
    last_run_at: datetime | None


def _size(size: int) -> int:
    if not 1 <= size <= MAX_PANEL_SIZE:
        raise ValidationError({"size": f"a panel shows 1 to {MAX_PANEL_SIZE} items"})
    return size


def _panel(rows: Sequence[T], size: int) -> Panel[T]:
    return Panel(items=list(rows[:size]), more=len(rows) > size)


def panel_of(session: Session, stmt: Select[T], size: int = PANEL_SIZE) -> Panel[T]:
    """The first ``size`` (1 to `MAX_PANEL_SIZE`) entities ``stmt`` selects: one query. Pure
    read: the caller checks the rights and audits."""
    rows = session.execute(stmt.limit(_size(size) + 1)).scalars().all()
    return _panel(rows, size)


def _user(actor: Actor) -> uuid.UUID:
    if actor.user_id is None:
        raise ValidationError({"user": "a desk belongs to a signed-in user"})
    return actor.user_id


def _light(stmt: S) -> S:
    # Panels show the case header only: no items, route or concealment rows are loaded (the
    # relationships load "selectin" by default, three more queries per panel).
    return stmt.options(
        raiseload(Seizure.items),
        raiseload(Seizure.transit_countries),
        raiseload(Seizure.concealment_methods),
    )


def _audit(
    session: Session, actor: Actor, record_type: str, panel: str, ids: list[str], **extra: Any
) -> None:
    note_read(
        session,
        actor,
        record_type,
        details={"view": "desk", "panel": panel, "shown": ids, **extra},
    )


def my_drafts_queue(actor: Actor) -> SeizureQueue:
    """The actor's own drafts, last changed first."""
    filters = SeizureFilters(status=SeizureStatus.DRAFT, created_by=_user(actor))
    return SeizureQueue(filters, sort="updated_at", descending=True)


def returned_queue(actor: Actor) -> SeizureQueue:
    """The actor's drafts that a supervisor sent back, last changed first."""
    return SeizureQueue(
        SeizureFilters(created_by=_user(actor), returned=True), sort="updated_at", descending=True
    )


def my_recent_queue(actor: Actor) -> SeizureQueue:
    """Every live seizure the actor recorded, whatever its status, last changed first."""
    return SeizureQueue(SeizureFilters(created_by=_user(actor)), sort="updated_at", descending=True)


def awaiting_validation_queue() -> SeizureQueue:
    """National submitted seizures, the oldest case first.

    Ordered by the date of the seizure, whose index finds the first few at any size; received
    seizures keep their originator's workflow and are not validated here.
    """
    filters = SeizureFilters(status=SeizureStatus.SUBMITTED, foreign=False)
    return SeizureQueue(filters, sort="occurred_at", descending=False)


def seizure_panel(
    session: Session,
    actor: Actor,
    name: str,
    queue: SeizureQueue,
    *,
    action: Action,
    size: int = PANEL_SIZE,
) -> Panel[Seizure]:
    """The first ``size`` seizures of ``queue`` (a panel called ``name``).

    Requires ``action`` and the right to read records; audited as one ``seizure.list`` read.
    """
    require(actor, action)
    stmt = list_statement(queue.filters, sort=queue.sort, descending=queue.descending)
    panel = panel_of(session, _light(stmt), size)
    _audit(
        session,
        actor,
        "seizure",
        name,
        [str(s.id) for s in panel.items],
        **queue.filters.describe(),
    )
    return panel


def returned_to_me(
    session: Session, actor: Actor, size: int = PANEL_SIZE
) -> Panel[ReturnedSeizure]:
    """The actor's drafts that a supervisor sent back, with who sent each back and when.

    Requires ``SUBMIT_SEIZURE`` (only who submits gets seizures back); audited as one read.
    """
    require(actor, Action.SUBMIT_SEIZURE)
    queue = returned_queue(actor)
    last_return = (
        select(RecordVersion.changed_at, RecordVersion.changed_by_name)
        .where(
            RecordVersion.record_type == "seizure",
            RecordVersion.record_id == Seizure.id,
            RecordVersion.kind == ChangeKind.STATUS,
            RecordVersion.snapshot["status"].astext == SeizureStatus.DRAFT.value,
        )
        .order_by(RecordVersion.id.desc())
        .limit(1)
        .lateral()
    )
    base = list_statement(queue.filters, sort=queue.sort, descending=queue.descending)
    stmt = (
        _light(base)
        .join(last_return, true())
        .add_columns(last_return.c.changed_at, last_return.c.changed_by_name)
        .limit(_size(size) + 1)
    )
    rows = [ReturnedSeizure(row[0], row[1], row[2]) for row in session.execute(stmt).all()]
    panel = _panel(rows, size)
    ids = [str(r.seizure.id) for r in panel.items]
    _audit(session, actor, "seizure", "returned", ids, **queue.filters.describe())
    return panel


def new_alerts(session: Session, actor: Actor, size: int = PANEL_SIZE) -> Panel[AlertItem]:
    """The actor's unread watch-list and saved-search alerts about live records, newest first.

    The same items, in the same order, as `ncen.watch.services.list_alerts` with
    ``unread_only``. Requires ``MANAGE_WATCHLISTS``; audited as one ``alert.list`` read.
    """
    require(actor, Action.MANAGE_WATCHLISTS)
    stmt = (
        select(Alert, Watch.label)
        .outerjoin(Watch, Watch.id == Alert.watch_id)
        .where(Alert.owner_id == _user(actor), Alert.read_at.is_(None), alert_on_live_record())
        .order_by(Alert.created_at.desc(), Alert.id)
        .limit(_size(size) + 1)
    )
    rows = [AlertItem(alert, label or "") for alert, label in session.execute(stmt).all()]
    panel = _panel(rows, size)
    _audit(session, actor, "alert", "alerts", [str(r.alert.id) for r in panel.items])
    return panel


def saved_search_seizures(
    session: Session, actor: Actor, size: int = PANEL_SIZE
) -> Panel[SavedSearchHit]:
    """The most recent seizures (by date of seizure) among the results of the actor's saved
    seizure searches, as of each search's last run (`SavedSearch.last_seen_ids`), each with
    the search that found it. Rerunning every search on every visit would cost one full search
    each; the saved-searches page reruns them.

    Requires ``SEARCH``; audited as one ``seizure.list`` read.
    """
    require(actor, Action.SEARCH)
    seen = func.jsonb_array_elements_text(SavedSearch.last_seen_ids).table_valued("value")
    # One row per seizure (the first search by name that found it), then the newest seizures.
    found = (
        select(
            Seizure.id.label("seizure_id"),
            SavedSearch.id.label("search_id"),
        )
        .select_from(SavedSearch)
        .join(seen, true())
        .join(Seizure, Seizure.id == func.cast(seen.c.value, Seizure.id.type))
        .where(
            SavedSearch.owner_id == _user(actor),
            SavedSearch.kind == SearchKind.SEIZURES,
            Seizure.deleted_at.is_(None),
        )
        .ext(distinct_on(Seizure.id))
        .order_by(Seizure.id, SavedSearch.name)
        .subquery()
    )
    stmt = _light(
        select(Seizure, SavedSearch)
        .join(found, found.c.seizure_id == Seizure.id)
        .join(SavedSearch, SavedSearch.id == found.c.search_id)
        .order_by(Seizure.occurred_at.desc(), Seizure.id)
        .limit(_size(size) + 1)
    )
    rows = [
        SavedSearchHit(seizure, saved.id, saved.name, dict(saved.params), saved.last_run_at)
        for seizure, saved in session.execute(stmt).all()
    ]
    panel = _panel(rows, size)
    ids = [str(r.seizure.id) for r in panel.items]
    _audit(session, actor, "seizure", "saved_searches", ids)
    return panel

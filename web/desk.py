"""The panels of the home page ("the desk"): for each role the user holds, what waits for them.

- investigator: my drafts, drafts returned to me for corrections, my recent seizures;
- supervisor: national seizures waiting for validation, the oldest case first;
- analyst: new (unread) alerts, recent seizures among my saved searches' results;
- exchange officer: the latest received bundles, failed deliveries, open requests for
  information.

The queries live in `ncen.analysis.desk` and `exchange.services.desk` (one bounded query per panel,
each requiring its action and auditing nominal reads); this module only picks the panels of the
user's roles and links each to its full list: the list page with the same filters and order,
so that the page holds the panel's items first. A user with several roles sees each role's
panels, in the order above.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from flask import url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from exchange.services import desk as exchange_desk
from ncen.accounts.actor import Actor
from ncen.accounts.models import Role
from ncen.analysis import desk
from ncen.policy import Action


@dataclass(frozen=True)
class DeskPanel:
    """One panel: its items (shown with the ``kind`` item template), and its full list."""

    key: str  # the panel's HTML id is desk-<key>
    title: object
    kind: str  # seizure, returned, alert, saved, inbox, delivery, rfi
    items: Sequence[Any]
    more: bool
    full_list: str
    empty: object


def seizure_list_url(queue: desk.SeizureQueue) -> str:
    """The seizure list with the filters and order of ``queue`` (its ``created_by`` is always
    the viewer: the list's "recorded by me")."""
    filters = queue.filters
    # Any: the type of url_for's **values (mypy would otherwise match them against its typed
    # _external, _anchor... options; no key here starts with _).
    args: dict[str, Any] = {"sort": queue.sort, "dir": "desc" if queue.descending else "asc"}
    if filters.status is not None:
        args["status"] = filters.status.value
    if filters.created_by is not None:
        args["mine"] = "1"
    if filters.returned:
        args["returned"] = "1"
    if filters.foreign is not None:
        args["origin"] = "foreign" if filters.foreign else "national"
    return url_for("seizures.index", **args)


def _seizures(
    db: Session, actor: Actor, key: str, queue: desk.SeizureQueue, action: Action, **text: object
) -> DeskPanel:
    panel = desk.seizure_panel(db, actor, key, queue, action=action)
    return DeskPanel(
        key,
        text["title"],
        "seizure",
        panel.items,
        panel.more,
        seizure_list_url(queue),
        text["empty"],
    )


def _investigator(db: Session, actor: Actor) -> list[DeskPanel]:
    drafts = _seizures(
        db,
        actor,
        "drafts",
        desk.my_drafts_queue(actor),
        Action.CREATE_RECORDS,
        title=_l("My drafts"),
        empty=_l("You have no drafts."),
    )
    returned = desk.returned_to_me(db, actor)
    return [
        drafts,
        DeskPanel(
            "returned",
            _l("Returned to me for corrections"),
            "returned",
            returned.items,
            returned.more,
            seizure_list_url(desk.returned_queue(actor)),
            _l("No seizure of yours was sent back."),
        ),
        _seizures(
            db,
            actor,
            "recent",
            desk.my_recent_queue(actor),
            Action.CREATE_RECORDS,
            title=_l("My recent seizures"),
            empty=_l("You have not recorded any seizure yet."),
        ),
    ]


def _supervisor(db: Session, actor: Actor) -> list[DeskPanel]:
    return [
        _seizures(
            db,
            actor,
            "awaiting",
            desk.awaiting_validation_queue(),
            Action.VALIDATE_SEIZURE,
            title=_l("Waiting for validation (oldest first)"),
            empty=_l("No seizure waits for validation."),
        )
    ]


def _analyst(db: Session, actor: Actor) -> list[DeskPanel]:
    alerts = desk.new_alerts(db, actor)
    found = desk.saved_search_seizures(db, actor)
    return [
        DeskPanel(
            "alerts",
            _l("New alerts"),
            "alert",
            alerts.items,
            alerts.more,
            url_for("watch.alerts", unread="1"),
            _l("No new alerts."),
        ),
        DeskPanel(
            "saved",
            _l("Recent seizures from my saved searches"),
            "saved",
            found.items,
            found.more,
            url_for("search.saved"),
            _l("Your saved seizure searches have found nothing yet (as of their last run)."),
        ),
    ]


def _exchange_officer(db: Session, actor: Actor) -> list[DeskPanel]:
    inbox = exchange_desk.latest_received(db, actor)
    failed = exchange_desk.failed_deliveries(db, actor)
    rfis = exchange_desk.open_rfis(db, actor)
    return [
        DeskPanel(
            "inbox",
            _l("Inbox"),
            "inbox",
            inbox.items,
            inbox.more,
            url_for("exchange.inbox"),
            _l("Nothing was received yet."),
        ),
        DeskPanel(
            "failures",
            _l("Failed deliveries"),
            "delivery",
            failed.items,
            failed.more,
            url_for("exchange.outbox", state="failed"),
            _l("No delivery failed."),
        ),
        DeskPanel(
            "rfis",
            _l("Open requests for information"),
            "rfi",
            rfis.items,
            rfis.more,
            url_for("exchange.rfis", state="open"),
            _l("No request waits for a reply."),
        ),
    ]


ROLE_PANELS: tuple[tuple[Role, Callable[[Session, Actor], list[DeskPanel]]], ...] = (
    (Role.INVESTIGATOR, _investigator),
    (Role.SUPERVISOR, _supervisor),
    (Role.ANALYST, _analyst),
    (Role.EXCHANGE_OFFICER, _exchange_officer),
)


def build_desk(db: Session, actor: Actor) -> list[DeskPanel]:
    """The panels of every role ``actor`` holds, inside the caller's transaction (each nominal
    panel writes its read audit event there)."""
    panels: list[DeskPanel] = []
    for role, build in ROLE_PANELS:
        if actor.has(role):
            panels += build(db, actor)
    return panels

"""Watch-list pages: the list with its add form, watch buttons of record pages, alerts.

Views read the form and call `ncen.watch.services`; a refused watch re-renders the form with
the error next to the field and the input kept.
"""

from __future__ import annotations

import uuid
from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from ncen.errors import ValidationError
from ncen.policy import Action
from ncen.reading import note_read
from ncen.watch import services
from ncen.watch.models import WatchKind
from ncen.watch.saved import check_saved_searches
from web.db import get_session
from web.pagination import Page, page_number
from web.security import current_web_user, requires
from web.watch import bp

PER_PAGE = 50
RECORD_PAGES = {
    "person": ("persons.show", "person_id"),
    "company": ("companies.show", "company_id"),
    "conveyance": ("conveyances.show", "conveyance_id"),
    "seizure": ("seizures.show", "seizure_id"),
}


def record_url(record_type: str, record_id: uuid.UUID) -> str:
    """The page of a watched or alerted record."""
    endpoint, key = RECORD_PAGES[record_type]
    # Any: the type of url_for's **values (mypy would otherwise match them against its typed
    # _external, _anchor... options; no key here starts with _).
    values: dict[str, Any] = {key: record_id}
    return url_for(endpoint, **values)


def _render_index(errors: dict[str, str] | None = None) -> ResponseReturnValue:
    db = get_session()
    with db.begin():
        watches = services.list_watches(db, current_web_user().actor)
        html = render_template(
            "watch/index.html",
            watches=watches,
            errors=errors or {},
            form=request.form,
            record_url=record_url,
            default_threshold=services.DEFAULT_THRESHOLD,
        )
    return html, 400 if errors else 200


@bp.get("")
@requires(Action.MANAGE_WATCHLISTS)
def index() -> ResponseReturnValue:
    """The user's watches and the form to watch a name or an identifier."""
    return _render_index()


@bp.post("")
@requires(Action.MANAGE_WATCHLISTS)
def add() -> ResponseReturnValue:
    """Watch a name (with a threshold) or an identifier."""
    kind = WatchKind.IDENTIFIER if request.form.get("kind") == "identifier" else WatchKind.NAME
    db = get_session()
    try:
        with db.begin():
            services.add_watch(
                db,
                current_web_user().actor,
                kind,
                value=request.form.get("value", ""),
                threshold=request.form.get("threshold") if kind is WatchKind.NAME else None,
            )
    except ValidationError as exc:
        return _render_index(dict(exc.errors))
    flash(_("Added to your watch-list."), "success")
    return redirect(url_for("watch.index"))


@bp.post("/record")
@requires(Action.MANAGE_WATCHLISTS)
def add_record() -> Response:
    """Watch the record whose page the button is on; back to that page."""
    record_type = request.form.get("record_type", "")
    try:
        record_id = uuid.UUID(request.form.get("record_id", ""))
    except ValueError:
        raise ValidationError({"record_id": "choose a record to watch"}) from None
    if record_type not in RECORD_PAGES:
        raise ValidationError({"record_type": "choose a record to watch"})
    db = get_session()
    with db.begin():
        services.add_watch(
            db,
            current_web_user().actor,
            WatchKind.RECORD,
            record_type=record_type,
            record_id=record_id,
        )
    flash(_("You are watching this record: every change raises an alert."), "success")
    return redirect(record_url(record_type, record_id))


@bp.post("/<uuid:watch_id>/delete")
@requires(Action.MANAGE_WATCHLISTS)
def delete(watch_id: uuid.UUID) -> Response:
    """Stop watching (the watch's alerts go with it)."""
    db = get_session()
    with db.begin():
        services.remove_watch(db, current_web_user().actor, watch_id)
    flash(_("Removed from your watch-list."), "success")
    return redirect(url_for("watch.index"))


@bp.get("/alerts")
@requires(Action.MANAGE_WATCHLISTS)
def alerts() -> str:
    """The user's alerts, newest first (``?unread=1``: only the new ones); alerting saved
    searches are rerun first."""
    actor = current_web_user().actor
    unread = request.args.get("unread") == "1"
    db = get_session()
    with db.begin():
        check_saved_searches(db, actor.user_id)
    number = page_number()
    with db.begin():
        rows, total = services.list_alerts(
            db, actor, offset=(number - 1) * PER_PAGE, limit=PER_PAGE, unread_only=unread
        )
        # Alerts show matched names (nominal data): the page is audited as a read.
        details = {"alerts": len(rows), "page": number, **({"unread": True} if unread else {})}
        note_read(db, actor, "alert", details=details)
        return render_template(
            "watch/alerts.html",
            page=Page(rows, number, PER_PAGE, total),
            record_url=record_url,
            unread=unread,
        )


@bp.post("/alerts/read")
@requires(Action.MANAGE_WATCHLISTS)
def mark_read() -> Response:
    """Mark one alert (``alert_id``) or all of them as read."""
    raw = request.form.get("alert_id", "")
    try:
        alert_id = uuid.UUID(raw) if raw else None
    except ValueError:
        raise ValidationError({"alert_id": "choose an alert"}) from None
    db = get_session()
    with db.begin():
        services.mark_read(db, current_web_user().actor, alert_id)
    return redirect(url_for("watch.alerts"))

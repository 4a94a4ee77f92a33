"""Retention review pages: the queue of due records, keep, delete, and the tombstones.

The views read the form and call `ncen.retention.services`; every check, write and audit event
happens there. A deletion also calls `web.retention.propagation` in the same transaction (the
retraction to peers), and removes the files of pictures no record uses after the commit. A
refused decision shows the queue again with the errors next to the row and the input kept.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from exchange.errors import ExchangeError
from ncen.errors import ValidationError
from ncen.policy import Action
from ncen.retention import queries, services
from ncen.retention.erasure import remove_picture_files
from ncen.retention.policy import latest_extension
from web.db import get_session
from web.exchange.context import node_context, now, settings
from web.pagination import Page, page_number
from web.retention import bp
from web.retention.propagation import propagate_deletion
from web.security import current_web_user, requires
from web.watch.views import record_url

PER_PAGE = 25
RECORD_TYPES = "any(seizure, person, company, conveyance)"


def _today() -> Any:
    return datetime.now(UTC).date()


def _type(raw: str | None) -> str | None:
    return raw if raw in services.RECORD_TYPES else None


def _render_queue(
    record_type: str | None,
    number: int,
    *,
    errors: dict[str, str] | None = None,
    failed: tuple[str, str] | None = None,
    values: dict[str, str] | None = None,
) -> ResponseReturnValue:
    today = _today()
    db = get_session()
    with db.begin():
        items, total = services.read_queue(
            db,
            current_web_user().actor,
            today,
            record_type=record_type,
            offset=(number - 1) * PER_PAGE,
            limit=PER_PAGE,
        )
        html = render_template(
            "retention/review.html",
            page=Page(items, number, PER_PAGE, total),
            record_type=record_type,
            record_types=services.RECORD_TYPES,
            today=today,
            latest=latest_extension(today),
            errors=errors or {},
            failed=failed,
            values=values or {},
            record_url=record_url,
        )
    return html, 400 if errors else 200


@bp.get("/review")
@requires(Action.REVIEW_RETENTION)
def review() -> ResponseReturnValue:
    """The records due for review, the longest overdue first; filter by type (audited read)."""
    return _render_queue(_type(request.args.get("type")), page_number())


def _back() -> ResponseReturnValue:
    # Any: the type of url_for's **values (mypy would otherwise match them against its typed
    # _external, _anchor... options; no key here starts with _).
    args: dict[str, Any] = {}
    if _type(request.form.get("filter")):
        args["type"] = request.form["filter"]
    if request.form.get("page", "").isdigit():
        args["page"] = request.form["page"]
    return redirect(url_for("retention.review", **args))


def _refused(record_type: str, record_id: uuid.UUID, error: ValidationError) -> ResponseReturnValue:
    raw_page = request.form.get("page", "1")
    ascii_page = raw_page.isascii() and raw_page.isdigit() and len(raw_page) < 7
    number = int(raw_page) if ascii_page and int(raw_page) >= 1 else 1
    values = {k: request.form.get(k, "") for k in ("reason", "review_date", "decision")}
    return _render_queue(
        _type(request.form.get("filter")),
        min(number, 100_000),
        errors=dict(error.errors),
        failed=(record_type, str(record_id)),
        values=values,
    )


@bp.post(f"/review/<{RECORD_TYPES}:record_type>/<uuid:record_id>/keep")
@requires(Action.REVIEW_RETENTION)
def keep(record_type: str, record_id: uuid.UUID) -> ResponseReturnValue:
    """Keep a due record with a reason and a new review date (bounded)."""
    db = get_session()
    try:
        with db.begin():
            services.keep_record(
                db,
                current_web_user().actor,
                record_type,
                record_id,
                {k: request.form.get(k) for k in ("reason", "review_date")},
                today=_today(),
            )
    except ValidationError as error:
        return _refused(record_type, record_id, error)
    flash(_("Kept; the record comes up for review again on the date you chose."), "success")
    return _back()


@bp.post(f"/review/<{RECORD_TYPES}:record_type>/<uuid:record_id>/delete")
@requires(Action.REVIEW_RETENTION)
def delete(record_type: str, record_id: uuid.UUID) -> ResponseReturnValue:
    """Delete a due record: erase its nominal content, leave a tombstone, retract it from the
    peers that received it. Needs a reason and the confirmation box."""
    actor = current_web_user().actor
    db = get_session()
    try:
        with db.begin():
            deletion = services.delete_record(
                db,
                actor,
                record_type,
                record_id,
                {k: request.form.get(k) for k in ("reason", "confirm")},
                today=_today(),
            )
            queued = propagate_deletion(db, actor, deletion, node_context, now=now())
    except ValidationError as error:
        return _refused(record_type, record_id, error)
    except ExchangeError as error:
        # Nothing was deleted: the retraction could not be sealed (e.g. the node's keys).
        flash(
            _("Not deleted: the retraction to peers could not be queued (%(error)s).", error=error),
            "danger",
        )
        return _back()
    remove_picture_files(settings().picture_path, deletion.picture_hashes)
    if queued is not None:
        flash(_("Deleted; a retraction was queued for the peers that received it."), "success")
    else:
        flash(_("Deleted; only the tombstone remains."), "success")
    return _back()


@bp.get("/tombstones")
@requires(Action.REVIEW_RETENTION)
def tombstones() -> str:
    """The deletions made by reviews, newest first (no nominal content, so no read event)."""
    number = page_number()
    db = get_session()
    with db.begin():
        rows = queries.tombstones(db, offset=(number - 1) * PER_PAGE, limit=PER_PAGE + 1)
        page = Page(rows[:PER_PAGE], number, PER_PAGE, (number - 1) * PER_PAGE + len(rows))
        return render_template("retention/tombstones.html", page=page)

"""The audit-trail browser: newest first, filtered by user, record, action and dates.

Filters travel in the query string (a GET form), so a filtered view can be bookmarked and the
pager keeps the filters. Dates are whole days in UTC: "until" includes the whole day.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from flask import render_template, request
from sqlalchemy import Select, func, select

from ncen.audit import AuditEvent
from ncen.policy import Action
from web.admin import bp
from web.admin.forms import AuditFilterForm
from web.db import get_session
from web.forms import choices
from web.pagination import Page, page_number, paginate_select
from web.security import requires

PER_PAGE = 50


def _day_start(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UTC)


def filtered_events(form: AuditFilterForm) -> Select[Any]:
    """The ``select()`` of events matching the (validated) filters, newest first."""
    stmt = select(AuditEvent).order_by(AuditEvent.id.desc())
    if form.user.data:
        stmt = stmt.where(func.lower(AuditEvent.actor_name) == form.user.data.strip().lower())
    if form.record_id.data:
        stmt = stmt.where(AuditEvent.record_id == form.record_id.data.strip())
    if form.action.data:
        stmt = stmt.where(AuditEvent.action == form.action.data)
    if form.since.data:
        stmt = stmt.where(AuditEvent.occurred_at >= _day_start(form.since.data))
    if form.until.data:
        stmt = stmt.where(AuditEvent.occurred_at < _day_start(form.until.data + timedelta(days=1)))
    return stmt


@bp.get("/audit")
@requires(Action.READ_AUDIT)
def audit() -> tuple[str, int]:
    """One page of the audit trail."""
    db = get_session()
    form = AuditFilterForm(formdata=request.args)
    with db.begin():
        actions = db.execute(select(AuditEvent.action).distinct().order_by(AuditEvent.action))
        form.action.choices = choices([("", "—"), *((a, a) for a in actions.scalars())])
        valid = form.validate() if request.args else True
        page: Page[AuditEvent] | None = None
        if valid:
            page = paginate_select(db, filtered_events(form), page_number(), PER_PAGE)
    return render_template("admin/audit.html", form=form, page=page), 200 if valid else 400

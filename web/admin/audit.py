"""The audit-trail browser: newest first, filtered by user, record, action and dates.

Filters travel in the query string (a GET form), so a filtered view can be bookmarked and the
pager keeps the filters. Dates are whole days in UTC: "until" includes the whole day. Reading
goes through `ncen.audittrail`, which hides the nominal details from administrators (only
auditors see them) and audits every page read.
"""

from __future__ import annotations

from flask import render_template, request

from ncen.audittrail import HIDDEN, AuditFilters, list_actions, read_events
from ncen.policy import Action
from web.admin import bp
from web.admin.forms import AuditFilterForm
from web.db import get_session
from web.forms import choices
from web.pagination import Page, page_number
from web.security import current_web_user, requires

PER_PAGE = 50


def _filters(form: AuditFilterForm) -> AuditFilters:
    return AuditFilters(
        user=form.user.data or None,
        record_id=form.record_id.data or None,
        action=form.action.data or None,
        since=form.since.data,
        until=form.until.data,
    )


@bp.get("/audit")
@requires(Action.READ_AUDIT)
def audit() -> tuple[str, int]:
    """One page of the audit trail (reading it is audited)."""
    actor = current_web_user().actor
    db = get_session()
    form = AuditFilterForm(formdata=request.args)
    with db.begin():
        actions = list_actions(db, actor)
        form.action.choices = choices([("", "—"), *((a, a) for a in actions)])
        valid = form.validate() if request.args else True
        page = None
        redacted = False
        if valid:
            number = page_number()
            shown = read_events(db, actor, _filters(form), page=number, per_page=PER_PAGE)
            page = Page(items=shown.events, number=number, per_page=PER_PAGE, total=shown.total)
            redacted = shown.redacted
    html = render_template(
        "admin/audit.html", form=form, page=page, redacted=redacted, hidden=HIDDEN
    )
    return html, 200 if valid else 400

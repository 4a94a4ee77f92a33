"""The seizure list, the seizure page and its history tab.

Every page here shows nominal data (a seizure lists the persons involved), so each is audited
through `ncen.reading.note_read` (the list with its filters) or `read_seizure` (the page).
"""

from __future__ import annotations

import uuid

from flask import render_template, request
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from ncen.policy import Action, is_allowed
from ncen.reading import note_read
from ncen.seizures.facets import parse_facets
from ncen.seizures.models import Seizure, SeizureStatus
from ncen.seizures.queries import (
    SORTS,
    SeizureFilters,
    list_items,
    list_rows_statement,
    read_seizure,
)
from web.analysis.labels import shown_facets
from web.db import get_session
from web.listfilters import filters_html
from web.pagination import page_number, paginate_rows
from web.pictures.gallery import gallery
from web.records import ActionForm, list_order, render_history
from web.rowcells import money
from web.security import current_web_user, requires
from web.seizures import bp
from web.seizures.forms import SeizureFilterForm, fill_filter_choices
from web.seizures.rows import SeizureRow, seizure_rows

PER_PAGE = 50
# The code lists the filter form offers, and the query parameters of a rendered form that may
# be kept (`web.listfilters`): not the free text, nor the facets (labelled from other lists).
FILTER_LISTS = ("commodity_groups", "countries", "transport_modes", "customs_offices")
CACHEABLE_FILTERS = frozenset(
    {
        "sort",
        "dir",
        "status",
        "commodity_group",
        "country",
        "transport_mode",
        "office_code",
        "date_from",
        "date_to",
        "origin",
        "mine",
        "returned",
    }
)


def _filters(form: SeizureFilterForm, user_id: uuid.UUID | None) -> SeizureFilters:
    status = form.status.data
    # Facets come from the statistics' drill-down links (?facet=transit:KZ), not from the form.
    facets = parse_facets(request.args.getlist("facet"))
    return SeizureFilters(
        text=(form.text.data or "").strip() or None,
        status=SeizureStatus(status) if status in set(SeizureStatus) else None,
        commodity_group=form.commodity_group.data or None,
        country=form.country.data or None,
        transport_mode=form.transport_mode.data or None,
        office_code=form.office_code.data or None,
        date_from=form.date_from.data,
        date_to=form.date_to.data,
        foreign=form.foreign(),
        created_by=user_id if form.mine.data else None,
        returned=bool(form.returned.data),
        facets=facets,
    )


def list_filters(user_id: uuid.UUID | None) -> tuple[SeizureFilterForm, SeizureFilters | None]:
    """The list's filter form and its filters from the query string (None: refused); the
    export of the list (`web.exports`) reads the same."""
    form = SeizureFilterForm(formdata=request.args)
    fill_filter_choices(form)
    filters = form.checked(lambda: _filters(form, user_id))
    return form, filters


@bp.get("")
@requires(Action.READ_RECORDS)
def index() -> ResponseReturnValue:
    """Seizures, newest first by default; filtered, sorted and paginated. Audited."""
    actor = current_web_user().actor
    form, filters = list_filters(actor.user_id)
    order = list_order(tuple(SORTS), "occurred_at")
    db = get_session()
    page = None
    rows: list[SeizureRow] = []
    with db.begin():
        if filters is not None:
            note_read(db, actor, "seizure", details=filters.describe())
            # The columns the list shows, and the page's items in one statement: rows,
            # not entities (the ORM's loading was most of the page's time).
            stmt = list_rows_statement(filters, sort=order.key, descending=order.descending)
            page = paginate_rows(db, stmt, page_number(), PER_PAGE)
            items = list_items(db, [row.id for row in page.items])
            rows = seizure_rows(page.items, items)
        facets = shown_facets(filters.facets if filters else ())
        filters_form = filters_html(
            "seizures/_filters.html", form, FILTER_LISTS, CACHEABLE_FILTERS, facets=facets
        )
        html = render_template(
            "seizures/list.html",
            form=form,
            filters=filters_form,
            page=page,
            rows=rows,
            order=order,
            facets=facets,
        )
    return html, 200 if filters is not None else 400


@bp.get("/<uuid:seizure_id>")
@requires(Action.READ_RECORDS)
def show(seizure_id: uuid.UUID) -> str:
    """The seizure page: header, items, linked records with roles, pictures. Audited."""
    actor = current_web_user().actor
    db = get_session()
    with db.begin():
        # The collections in one statement (`detail.collections`), not with the entity.
        detail = read_seizure(db, actor, seizure_id, collections=False)
        seizure = detail.seizure
        allowed = {
            action: is_allowed(actor, action, seizure)
            for action in (
                Action.UPDATE_RECORD,
                Action.SUBMIT_SEIZURE,
                Action.VALIDATE_SEIZURE,
                Action.DELETE_RECORD,
                Action.CREATE_RECORDS,
                Action.DOWNLOAD_ORIGINAL_PICTURE,
            )
        }
        action_form = ActionForm(formdata=None, version=str(seizure.version))
        return render_template(
            "seizures/show.html",
            detail=detail,
            seizure=seizure,
            shown=detail.collections,
            money=money,
            allowed=allowed,
            action_form=action_form,
            pictures=gallery(db, actor, "seizure", seizure),
        )


@bp.get("/<uuid:seizure_id>/history")
@requires(Action.READ_RECORDS)
def history(seizure_id: uuid.UUID) -> str:
    """Every version of the seizure: who, when, and each field's old and new value."""
    return render_history(
        Seizure, "seizure", seizure_id, lambda seizure: _("Seizure %(ref)s", ref=seizure.reference)
    )

"""Conveyance pages: the list, the record page with every linked seizure, history, new, edit.

Reads are audited through the domain (`read_conveyance`, `note_read`) like every record page.
"""

from __future__ import annotations

import uuid

from flask import flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from ncen.conveyances import services
from ncen.conveyances.models import Conveyance, ConveyanceKind
from ncen.conveyances.queries import ConveyanceFilters, list_statement, read_conveyance
from ncen.policy import Action, is_allowed
from ncen.reading import note_read
from ncen.recordkeeping import get_live
from web.analysis.associates_panel import associates_panel
from web.codes import offer
from web.conveyances import bp
from web.conveyances.forms import (
    ConveyanceFilterForm,
    ConveyanceForm,
    conveyance_form_data,
    conveyance_payload,
    fill_choices,
)
from web.db import get_session
from web.pagination import page_number, paginate_list, paginate_select
from web.pictures.gallery import gallery
from web.recordedit import delete_record, edit_record
from web.records import ActionForm, list_order, render_history
from web.security import current_web_user, requires
from web.seizures.rows import linked_rows

PER_PAGE = 50


def list_filters() -> tuple[ConveyanceFilterForm, ConveyanceFilters | None]:
    """The list's filter form and its filters from the query string (None: refused); the
    export of the list (`web.exports`) reads the same."""
    form = ConveyanceFilterForm(formdata=request.args)
    offer(form.flag, "countries")
    kind = form.kind.data
    filters = form.checked(
        lambda: ConveyanceFilters(
            identifier=(form.identifier.data or "").strip() or None,
            kind=ConveyanceKind(kind) if kind in set(ConveyanceKind) else None,
            flag=form.flag.data or None,
            foreign=form.foreign(),
        )
    )
    return form, filters


@bp.get("")
@requires(Action.READ_RECORDS)
def index() -> ResponseReturnValue:
    """Conveyances, most recently changed first (or oldest first); filtered. Audited."""
    form, filters = list_filters()
    order = list_order(("updated_at",), "updated_at")
    db = get_session()
    page = None
    with db.begin():
        if filters is not None:
            note_read(db, current_web_user().actor, "conveyance", details=filters.describe())
            stmt = list_statement(filters, descending=order.descending)
            page = paginate_select(db, stmt, page_number(), PER_PAGE)
        html = render_template("conveyances/list.html", form=form, page=page, order=order)
    return html, 200 if filters is not None else 400


@bp.get("/<uuid:conveyance_id>")
@requires(Action.READ_RECORDS)
def show(conveyance_id: uuid.UUID) -> str:
    """The conveyance with every seizure it was used in (and the role), and its pictures."""
    actor = current_web_user().actor
    db = get_session()
    with db.begin():
        detail = read_conveyance(db, actor, conveyance_id)
        conveyance = detail.conveyance
        seizures = paginate_list(detail.seizures, page_number(), PER_PAGE)
        return render_template(
            "conveyances/show.html",
            detail=detail,
            conveyance=conveyance,
            seizures=seizures,
            seizure_rows=linked_rows(seizures.items, "conveyance_roles"),
            may_edit=is_allowed(actor, Action.UPDATE_RECORD, conveyance),
            may_delete=is_allowed(actor, Action.DELETE_RECORD, conveyance),
            action_form=ActionForm(formdata=None, version=str(conveyance.version)),
            pictures=gallery(db, actor, "conveyance", conveyance),
            associates=associates_panel(db, actor, "conveyance", conveyance.id),
        )


@bp.get("/<uuid:conveyance_id>/history")
@requires(Action.READ_RECORDS)
def history(conveyance_id: uuid.UUID) -> str:
    """Every version of the conveyance record."""
    return render_history(
        Conveyance, "conveyance", conveyance_id, lambda conveyance: conveyance.display_name
    )


@bp.route("/new", methods=["GET", "POST"])
@requires(Action.CREATE_RECORDS)
def create() -> ResponseReturnValue:
    """Record a conveyance on its own."""
    return edit_record(
        form_class=ConveyanceForm,
        fill=fill_choices,
        payload=conveyance_payload,
        save=lambda db, actor, form, data: services.create_conveyance(db, actor, data),
        template="conveyances/edit.html",
        done=lambda conveyance: url_for("conveyances.show", conveyance_id=conveyance.id),
        record=None,
        record_type="conveyance",
    )


@bp.route("/<uuid:conveyance_id>/edit", methods=["GET", "POST"])
@requires(Action.UPDATE_RECORD)
def edit(conveyance_id: uuid.UUID) -> ResponseReturnValue:
    """Edit the whole conveyance record (version-checked)."""
    db = get_session()
    with db.begin():
        conveyance = get_live(db, Conveyance, conveyance_id, "conveyance")
        initial = conveyance_form_data(conveyance)
    return edit_record(
        form_class=ConveyanceForm,
        fill=fill_choices,
        payload=conveyance_payload,
        save=lambda db, actor, form, data: services.update_conveyance(
            db, actor, conveyance_id, form.expected_version(), data
        ),
        template="conveyances/edit.html",
        done=lambda _: url_for("conveyances.show", conveyance_id=conveyance_id),
        record=conveyance,
        record_type="conveyance",
        initial=initial,
    )


@bp.post("/<uuid:conveyance_id>/delete")
@requires(Action.DELETE_RECORD)
def delete(conveyance_id: uuid.UUID) -> Response:
    """Soft-delete the conveyance (supervisors)."""
    delete_record(Conveyance, "conveyance", conveyance_id, services.delete_conveyance)
    flash(_("Conveyance deleted."), "success")
    return redirect(url_for("conveyances.index"))

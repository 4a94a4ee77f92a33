"""Company pages: the list, the record page with every linked seizure, history, new, edit.

The page lists the persons behind the company, so it is audited like a person page
(`read_company`); the list and the history tab are audited too.
"""

from __future__ import annotations

import uuid

from flask import flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from ncen.companies import services
from ncen.companies.models import Company
from ncen.companies.queries import CompanyFilters, list_statement, read_company
from ncen.policy import Action, is_allowed
from ncen.reading import note_read
from ncen.recordkeeping import get_live
from web.analysis.associates_panel import associates_panel
from web.codes import offer
from web.companies import bp
from web.companies.forms import (
    CompanyFilterForm,
    CompanyForm,
    company_form_data,
    company_payload,
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


def list_filters() -> tuple[CompanyFilterForm, CompanyFilters | None]:
    """The list's filter form and its filters from the query string (None: refused); the
    export of the list (`web.exports`) reads the same."""
    form = CompanyFilterForm(formdata=request.args)
    offer(form.country, "countries")
    filters = form.checked(
        lambda: CompanyFilters(
            name=(form.name.data or "").strip() or None,
            number=(form.number.data or "").strip() or None,
            country=form.country.data or None,
            foreign=form.foreign(),
        )
    )
    return form, filters


@bp.get("")
@requires(Action.READ_RECORDS)
def index() -> ResponseReturnValue:
    """Companies, most recently changed first (or oldest first); filtered. Audited."""
    form, filters = list_filters()
    order = list_order(("updated_at",), "updated_at")
    db = get_session()
    page = None
    with db.begin():
        if filters is not None:
            note_read(db, current_web_user().actor, "company", details=filters.describe())
            stmt = list_statement(filters, descending=order.descending)
            page = paginate_select(db, stmt, page_number(), PER_PAGE)
        html = render_template("companies/list.html", form=form, page=page, order=order)
    return html, 200 if filters is not None else 400


@bp.get("/<uuid:company_id>")
@requires(Action.READ_RECORDS)
def show(company_id: uuid.UUID) -> str:
    """The company with every seizure it is linked to (and the role), its persons, pictures."""
    actor = current_web_user().actor
    db = get_session()
    with db.begin():
        detail = read_company(db, actor, company_id)
        company = detail.company
        seizures = paginate_list(detail.seizures, page_number(), PER_PAGE)
        return render_template(
            "companies/show.html",
            detail=detail,
            company=company,
            seizures=seizures,
            seizure_rows=linked_rows(seizures.items, "company_roles"),
            may_edit=is_allowed(actor, Action.UPDATE_RECORD, company),
            may_delete=is_allowed(actor, Action.DELETE_RECORD, company),
            action_form=ActionForm(formdata=None, version=str(company.version)),
            pictures=gallery(db, actor, "company", company),
            associates=associates_panel(db, actor, "company", company.id),
        )


@bp.get("/<uuid:company_id>/history")
@requires(Action.READ_RECORDS)
def history(company_id: uuid.UUID) -> str:
    """Every version of the company record."""
    return render_history(Company, "company", company_id, lambda company: company.display_name)


@bp.route("/new", methods=["GET", "POST"])
@requires(Action.CREATE_RECORDS)
def create() -> ResponseReturnValue:
    """Record a company on its own."""
    return edit_record(
        form_class=CompanyForm,
        fill=fill_choices,
        payload=company_payload,
        save=lambda db, actor, form, data: services.create_company(db, actor, data),
        template="companies/edit.html",
        done=lambda company: url_for("companies.show", company_id=company.id),
        record=None,
        record_type="company",
    )


@bp.route("/<uuid:company_id>/edit", methods=["GET", "POST"])
@requires(Action.UPDATE_RECORD)
def edit(company_id: uuid.UUID) -> ResponseReturnValue:
    """Edit the whole company record (version-checked)."""
    db = get_session()
    with db.begin():
        company = get_live(db, Company, company_id, "company")
        initial = company_form_data(company)
    return edit_record(
        form_class=CompanyForm,
        fill=fill_choices,
        payload=company_payload,
        save=lambda db, actor, form, data: services.update_company(
            db, actor, company_id, form.expected_version(), data
        ),
        template="companies/edit.html",
        done=lambda _: url_for("companies.show", company_id=company_id),
        record=company,
        record_type="company",
        initial=initial,
    )


@bp.post("/<uuid:company_id>/delete")
@requires(Action.DELETE_RECORD)
def delete(company_id: uuid.UUID) -> Response:
    """Soft-delete the company (supervisors)."""
    delete_record(Company, "company", company_id, services.delete_company)
    flash(_("Company deleted."), "success")
    return redirect(url_for("companies.index"))

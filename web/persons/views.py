"""Person pages: the list, the record page with every linked seizure, history, new, edit, delete.

A person is nominal data: the list (with its filters), the page and the history tab are each
audited through the domain (`note_read`, `read_person`).
"""

from __future__ import annotations

import uuid

from flask import flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from ncen.persons import services
from ncen.persons.models import Gender, Person
from ncen.persons.queries import (
    SORTS,
    PersonFilters,
    list_collections,
    list_rows_statement,
    read_person,
)
from ncen.policy import Action, is_allowed
from ncen.reading import note_read
from ncen.recordkeeping import get_live
from web.analysis.associates_panel import associates_panel
from web.codes import offer
from web.db import get_session
from web.listfilters import filters_html
from web.pagination import page_number, paginate_list, paginate_rows
from web.persons import bp
from web.persons.forms import (
    PersonFilterForm,
    PersonForm,
    fill_choices,
    person_form_data,
    person_payload,
)
from web.persons.rows import PersonRow, person_rows
from web.pictures.gallery import gallery
from web.recordedit import delete_record, edit_record
from web.records import ActionForm, list_order, render_history
from web.security import current_web_user, requires
from web.seizures.rows import linked_rows

PER_PAGE = 50
# The query parameters of a rendered filter form that may be kept (`web.listfilters`): not
# the name or document number typed.
CACHEABLE_FILTERS = frozenset({"sort", "dir", "nationality", "gender", "birth_year", "origin"})


def _filters(form: PersonFilterForm) -> PersonFilters:
    gender = form.gender.data
    return PersonFilters(
        name=(form.name.data or "").strip() or None,
        document=(form.document.data or "").strip() or None,
        nationality=form.nationality.data or None,
        gender=Gender(gender) if gender in set(Gender) else None,
        birth_year=form.birth_year.data,
        foreign=form.foreign(),
    )


def list_filters() -> tuple[PersonFilterForm, PersonFilters | None]:
    """The list's filter form and its filters from the query string (None: refused); the
    export of the list (`web.exports`) reads the same."""
    form = PersonFilterForm(formdata=request.args)
    offer(form.nationality, "countries")
    filters = form.checked(lambda: _filters(form))
    return form, filters


@bp.get("")
@requires(Action.READ_RECORDS)
def index() -> ResponseReturnValue:
    """Persons, most recently changed first; filtered, sorted and paginated. Audited."""
    form, filters = list_filters()
    order = list_order(tuple(SORTS), "updated_at")
    db = get_session()
    page = None
    rows: list[PersonRow] = []
    with db.begin():
        if filters is not None:
            note_read(db, current_web_user().actor, "person", details=filters.describe())
            # The columns the list shows, and the page's names, nationalities and documents
            # in one statement each: rows, not entities (the ORM's loading was most of the
            # page's time).
            stmt = list_rows_statement(filters, sort=order.key, descending=order.descending)
            page = paginate_rows(db, stmt, page_number(), PER_PAGE)
            rows = person_rows(page.items, list_collections(db, [row.id for row in page.items]))
        filters_form = filters_html(
            "persons/_filters.html", form, ("countries",), CACHEABLE_FILTERS
        )
        html = render_template(
            "persons/list.html", form=form, filters=filters_form, page=page, rows=rows, order=order
        )
    return html, 200 if filters is not None else 400


@bp.get("/<uuid:person_id>")
@requires(Action.READ_RECORDS)
def show(person_id: uuid.UUID) -> str:
    """The person with every seizure it is linked to (and the role), companies, pictures."""
    actor = current_web_user().actor
    db = get_session()
    with db.begin():
        # The collections in one statement (`detail.collections`), not with the entity.
        detail = read_person(db, actor, person_id, collections=False)
        person = detail.person
        seizures = paginate_list(detail.seizures, page_number(), PER_PAGE)
        return render_template(
            "persons/show.html",
            detail=detail,
            person=person,
            shown=detail.collections,
            seizures=seizures,
            seizure_rows=linked_rows(seizures.items, "person_roles"),
            may_edit=is_allowed(actor, Action.UPDATE_RECORD, person),
            may_delete=is_allowed(actor, Action.DELETE_RECORD, person),
            action_form=ActionForm(formdata=None, version=str(person.version)),
            pictures=gallery(db, actor, "person", person),
            associates=associates_panel(db, actor, "person", person.id),
        )


@bp.get("/<uuid:person_id>/history")
@requires(Action.READ_RECORDS)
def history(person_id: uuid.UUID) -> str:
    """Every version of the person record."""
    return render_history(Person, "person", person_id, lambda person: person.display_name)


@bp.route("/new", methods=["GET", "POST"])
@requires(Action.CREATE_RECORDS)
def create() -> ResponseReturnValue:
    """Record a person on their own (persons met in a case are recorded with the case)."""
    return edit_record(
        form_class=PersonForm,
        fill=fill_choices,
        payload=person_payload,
        save=lambda db, actor, form, data: services.create_person(db, actor, data),
        template="persons/edit.html",
        done=lambda person: url_for("persons.show", person_id=person.id),
        record=None,
        record_type="person",
    )


@bp.route("/<uuid:person_id>/edit", methods=["GET", "POST"])
@requires(Action.UPDATE_RECORD)
def edit(person_id: uuid.UUID) -> ResponseReturnValue:
    """Edit the whole person record (version-checked)."""
    db = get_session()
    with db.begin():
        person = get_live(db, Person, person_id, "person")
        initial = person_form_data(person)
    return edit_record(
        form_class=PersonForm,
        fill=fill_choices,
        payload=person_payload,
        save=lambda db, actor, form, data: services.update_person(
            db, actor, person_id, form.expected_version(), data
        ),
        template="persons/edit.html",
        done=lambda _: url_for("persons.show", person_id=person_id),
        record=person,
        record_type="person",
        initial=initial,
    )


@bp.post("/<uuid:person_id>/delete")
@requires(Action.DELETE_RECORD)
def delete(person_id: uuid.UUID) -> Response:
    """Soft-delete the person (supervisors)."""
    delete_record(Person, "person", person_id, services.delete_person)
    flash(_("Person deleted."), "success")
    return redirect(url_for("persons.index"))

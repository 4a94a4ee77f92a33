"""The picture gallery, "find similar pictures" and received/national near-duplicates.

Every page here shows seizures, so each needs ``READ_RECORDS`` and its domain call audits the
read like a list page (`ncen.analysis.picture_search`, `ncen.analysis.picture_gallery`). The
upload of "find similar" is checked by the same bounded decoder as a real upload and is never
stored; a refused file is explained next to the input (400), never a 500.
"""

from __future__ import annotations

import uuid

from flask import current_app, render_template, request
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from ncen.analysis.picture_gallery import cross_duplicates, gallery_page
from ncen.analysis.picture_index import DEFAULT_MAX_DISTANCE
from ncen.analysis.picture_search import (
    Query,
    SimilarPicture,
    similar_to_picture,
    similar_to_upload,
)
from ncen.errors import ValidationError
from ncen.pictures.queries import get_picture
from ncen.policy import Action
from ncen.seizures.queries import SeizureFilters
from ncen.settings import Settings
from web.db import get_session
from web.fielderrors import place_errors
from web.pagination import page_number
from web.pictures import bp
from web.pictures.forms import GalleryFilterForm, SimilarForm, fill_gallery_choices
from web.security import current_web_user, requires


def _filters(form: GalleryFilterForm) -> SeizureFilters:
    return SeizureFilters(
        commodity_group=form.commodity_group.data or None,
        country=form.country.data or None,
        transport_mode=form.transport_mode.data or None,
        date_from=form.date_from.data,
        date_to=form.date_to.data,
        foreign=form.foreign(),
    )


@bp.get("/search")
@requires(Action.READ_RECORDS)
def search() -> ResponseReturnValue:
    """The gallery of seizure pictures, filtered; near-duplicates across origins badged."""
    form = GalleryFilterForm(formdata=request.args)
    fill_gallery_choices(form)
    filters = form.checked(lambda: _filters(form))
    page = None
    db = get_session()
    with db.begin():
        if filters is not None:
            try:
                page = gallery_page(
                    db,
                    current_web_user().actor,
                    filters,
                    concealment_method=form.concealment_method.data or None,
                    number=page_number(),
                )
            except ValidationError as exc:
                place_errors(form, exc.errors)
        html = render_template("pictures/search.html", form=form, page=page)
    return html, 200 if page is not None else 400


@bp.route("/similar", methods=["GET", "POST"])
@requires(Action.READ_RECORDS)
def similar() -> ResponseReturnValue:
    """Upload a picture (not stored) and see the stored pictures that look like it."""
    form = SimilarForm()
    found = _search_upload(form) if form.is_submitted() else None
    query, hits = found if found is not None else (None, None)
    status = 400 if form.is_submitted() and found is None else 200
    db = get_session()
    with db.begin():
        html = render_template("pictures/similar.html", form=form, query=query, hits=hits)
    return html, status


def _search_upload(form: SimilarForm) -> tuple[Query, list[SimilarPicture]] | None:
    """The search for the uploaded file, or None with the reasons placed on the form."""
    if not form.validate():
        return None
    upload = form.file.data
    if upload is None or not upload.filename:
        form.file.errors = [*form.file.errors, _("Choose a picture to compare.")]
        return None
    settings: Settings = current_app.extensions["ncen.settings"]
    db = get_session()
    try:
        with db.begin():
            return similar_to_upload(
                db, current_web_user().actor, upload.stream, settings, max_distance=_distance(form)
            )
    except ValidationError as exc:
        place_errors(form, exc.errors)
        return None


def _distance(form: SimilarForm) -> int:
    value = form.max_distance.data
    return DEFAULT_MAX_DISTANCE if value is None else int(value)


@bp.get("/<uuid:picture_id>/similar")
@requires(Action.READ_RECORDS)
def similar_to(picture_id: uuid.UUID) -> ResponseReturnValue:
    """The stored pictures that look like this one, best first."""
    db = get_session()
    with db.begin():
        query, hits = similar_to_picture(db, current_web_user().actor, picture_id)
        source = get_picture(db, picture_id)
        return render_template(
            "pictures/similar.html", form=None, query=query, hits=hits, source=source
        )


@bp.get("/duplicates")
@requires(Action.READ_RECORDS)
def duplicates() -> ResponseReturnValue:
    """Received pictures with a near-duplicate among the national ones."""
    db = get_session()
    with db.begin():
        found = cross_duplicates(db, current_web_user().actor)
        return render_template("pictures/duplicates.html", found=found)

"""Picture files and changes: thumbnail, display file, sealed original, upload, caption, detach.

Each view calls one domain function (`ncen.pictures.queries` / `ncen.pictures.services`),
which checks the policy itself; a failed upload is shown again with each refusal next to the
file input (files cannot be given back to the browser: the page asks to choose them again).
"""

from __future__ import annotations

import io
import uuid

from flask import current_app, flash, redirect, render_template, request, send_file
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from ncen.companies.models import Company
from ncen.conveyances.models import Conveyance
from ncen.errors import ConflictError, NotFoundError, ValidationError
from ncen.persons.models import Person
from ncen.pictures.models import PictureLink
from ncen.pictures.queries import (
    LINK_COLUMNS,
    PictureFile,
    get_picture,
    open_display,
    open_original,
    open_thumbnail,
)
from ncen.pictures.services import (
    add_pictures,
    require_may_attach,
    unlink_picture,
    update_picture,
)
from ncen.pictures.store import PictureStore
from ncen.policy import Action
from ncen.recordkeeping import get_live
from ncen.records import RecordMixin
from ncen.seizures.models import Seizure
from ncen.settings import Settings
from web.auth.sessions import safe_next
from web.db import get_session
from web.fielderrors import place_errors
from web.pictures import bp
from web.pictures.forms import PictureForm, UploadForm, fill_choices
from web.pictures.gallery import Uploader, record_page
from web.records import ActionForm, ensure_allowed
from web.security import current_web_user, requires

KINDS = "any(seizure, person, company, conveyance)"
MODELS: dict[str, type[RecordMixin]] = {
    "seizure": Seizure,
    "person": Person,
    "company": Company,
    "conveyance": Conveyance,
}


def _store() -> PictureStore:
    settings: Settings = current_app.extensions["ncen.settings"]
    return PictureStore(settings.picture_path)


def _send(file: PictureFile, *, original: bool = False) -> Response:
    """Send a picture file; an ``original`` goes as an opaque attachment.

    A sealed original is evidence exactly as uploaded (a GIF or TIFF, a file whose content
    might fool a browser's sniffer): it is never rendered in the browser, only saved, so it
    goes as ``application/octet-stream``, ``attachment``, with ``nosniff``. Derivatives are
    JPEGs the node made itself and are shown inline.
    """
    response = send_file(
        io.BytesIO(file.data),
        mimetype="application/octet-stream" if original else file.mime_type,
        as_attachment=original,
        download_name=file.download_name,
        etag=file.sha256,
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


@bp.get("/<uuid:picture_id>/thumbnail")
@requires(Action.READ_RECORDS)
def thumbnail(picture_id: uuid.UUID) -> Response:
    """The thumbnail JPEG (metadata stripped)."""
    db = get_session()
    with db.begin():
        file = open_thumbnail(db, current_web_user().actor, _store(), picture_id)
    return _send(file)


@bp.get("/<uuid:picture_id>/display")
@requires(Action.READ_RECORDS)
def display(picture_id: uuid.UUID) -> Response:
    """The display JPEG (metadata stripped, orientation applied)."""
    db = get_session()
    with db.begin():
        file = open_display(db, current_web_user().actor, _store(), picture_id)
    return _send(file)


@bp.get("/<uuid:picture_id>/original")
@requires(Action.DOWNLOAD_ORIGINAL_PICTURE)
def original(picture_id: uuid.UUID) -> Response:
    """The sealed original, verified against its sha256; the download is audited."""
    db = get_session()
    with db.begin():
        file = open_original(db, current_web_user().actor, _store(), picture_id)
    return _send(file, original=True)


@bp.route(f"/attach/<{KINDS}:record_type>/<uuid:record_id>", methods=["GET", "POST"])
@requires(Action.CREATE_RECORDS)
def attach(record_type: str, record_id: uuid.UUID) -> ResponseReturnValue:
    """Add several pictures to a record at once."""
    actor = current_web_user().actor
    db = get_session()
    form = UploadForm()
    chosen: list[str] = []
    if form.validate_on_submit():
        uploads = [f for f in (form.files.data or []) if f and f.filename]
        chosen = [f.filename for f in uploads]
        settings: Settings = current_app.extensions["ncen.settings"]
        try:
            with db.begin():
                add_pictures(
                    db,
                    actor,
                    _store(),
                    settings,
                    [(f.filename, f.stream) for f in uploads],
                    caption=form.caption.data or None,
                    concealment_method=form.concealment_method.data or None,
                    expected_version=form.expected_version(),
                    **{f"{record_type}_id": record_id},
                )
        except ValidationError as exc:
            place_errors(form, exc.errors)
        except ConflictError as exc:
            form.move_to_version(exc.actual)
            form.form_errors.append(
                _("The record changed while you were adding pictures. Check it, then send again.")
            )
        else:
            flash(_("Pictures added."), "success")
            return redirect(record_page(record_type, record_id))
    with db.begin():
        model = MODELS[record_type]
        record = get_live(db, model, record_id, record_type)
        require_may_attach(actor, record)  # no upload page for a record one may not edit
        if not form.is_submitted():
            form.move_to_version(record.version)
        fill_choices(form)
        return render_template(
            "pictures/attach.html",
            form=form,
            record=record,
            record_type=record_type,
            record_url=record_page(record_type, record_id),
            chosen=chosen,
        )


@bp.route("/<uuid:picture_id>/edit", methods=["GET", "POST"])
@requires(Action.UPDATE_RECORD)
def edit(picture_id: uuid.UUID) -> ResponseReturnValue:
    """Change the caption and concealment method of a picture (its uploader or a supervisor)."""
    actor = current_web_user().actor
    db = get_session()
    with db.begin():
        picture = get_picture(db, picture_id)
        ensure_allowed(actor, Action.UPDATE_RECORD, Uploader(picture.uploaded_by_id))
    form = PictureForm()
    back = safe_next(form.next.data or request.args.get("next")) or "/"
    if form.validate_on_submit():
        try:
            with db.begin():
                update_picture(
                    db,
                    actor,
                    picture_id,
                    form.caption.data or None,
                    form.concealment_method.data or None,
                )
        except ValidationError as exc:
            place_errors(form, exc.errors)
        else:
            flash(_("Picture saved."), "success")
            return redirect(back)
    elif not form.is_submitted():
        form.caption.data = picture.caption
        form.concealment_method.data = picture.concealment_method
        form.next.data = back
    fill_choices(form)
    return render_template("pictures/edit.html", form=form, picture=picture, back=back)


@bp.post("/links/<uuid:link_id>/detach")
@requires(Action.UPDATE_RECORD)
def detach(link_id: uuid.UUID) -> Response:
    """Detach a picture from one record; the picture and its files are kept."""
    form = ActionForm()
    actor = current_web_user().actor
    db = get_session()
    with db.begin():
        link = db.get(PictureLink, link_id)
        if link is None:
            raise NotFoundError("picture link", link_id)
        record_type = next(k for k, col in LINK_COLUMNS.items() if getattr(link, col))
        record_id = getattr(link, LINK_COLUMNS[record_type])
        # The policy first, so that a user who may not detach is told so, not shown a conflict.
        ensure_allowed(actor, Action.UPDATE_RECORD, db.get(MODELS[record_type], record_id))
        back = record_page(record_type, record_id)
    with db.begin():
        unlink_picture(db, actor, link_id, expected_version=form.expected_version())
    flash(_("Picture detached from this record."), "success")
    return redirect(back)

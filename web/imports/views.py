"""The upload wizard's pages: upload, mapping and preview, import, report download.

Views read the form and call `ncen.imports` (`saved` for the stored upload and mappings,
`running.run_import` for the dry run and the import); every check, write and audit event is
the domain's. A file or mapping that cannot be used is shown on the page, next to the mapping,
with what to fix; the mapping text is never lost on a failed submit.

A file larger than ``IMPORT_BACKGROUND_BYTES`` (default `queue.BACKGROUND_BYTES`) is not run
in the request: its preview or import is queued (`ncen.imports.queue`) for the serving
process's import runner, and the upload's page shows the progress, refreshing itself, then
the result.
"""

from __future__ import annotations

import json
import uuid
from typing import Any

from flask import Response, current_app, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from ncen.errors import ValidationError
from ncen.imports import queue, saved
from ncen.imports.jobs import RunOptions
from ncen.imports.mapping import MappingError, dump_mapping, load_mapping
from ncen.imports.models import ImportUpload
from ncen.imports.proposal import propose_mapping
from ncen.imports.readers import Table, UnreadableFileError, read_table
from ncen.imports.report import ImportReport, report_from_dict
from ncen.imports.running import Mode, default_source, run_import
from ncen.policy import Action
from web.db import get_session
from web.imports import MODES, RECORD_TYPES, bp
from web.security import current_web_user, requires


@bp.get("")
@requires(Action.IMPORT_RECORDS)
def index() -> str:
    """The upload form and the user's recent uploads."""
    db = get_session()
    with db.begin():
        actor = current_web_user().actor
        mappings = saved.list_mappings(db, actor)
        uploads = saved.recent_uploads(db, actor)
    return render_template(
        "imports/index.html", record_types=RECORD_TYPES, uploads=uploads, mappings=mappings
    )


@bp.post("")
@requires(Action.IMPORT_RECORDS)
def upload() -> ResponseReturnValue:
    """Keep the uploaded file and go to its mapping step."""
    file = request.files.get("file")
    content = file.read() if file is not None else b""
    filename = (file.filename or "") if file is not None else ""
    db = get_session()
    with db.begin():
        stored = saved.store_upload(
            db, current_web_user().actor, filename, content, request.form.get("record_type", "")
        )
        upload_id = stored.id
    return redirect(url_for("imports.show", upload_id=upload_id))


def _table(upload: ImportUpload) -> tuple[Table | None, str | None]:
    try:
        return read_table(upload.content, upload.filename), None
    except UnreadableFileError as exc:
        return None, str(exc)


def _page(
    upload: ImportUpload,
    mapping_text: str,
    *,
    report: ImportReport | None = None,
    errors: dict[str, str] | None = None,
    status: int = 200,
    unmatched: list[str] | None = None,
) -> tuple[str, int]:
    table, file_error = _table(upload)
    db = get_session()
    mappings = saved.list_mappings(db, current_web_user().actor, upload.record_type)
    queued = queue.is_queued(upload)
    if report is None and upload.result and not upload.result.get("committed"):
        # A queued run's preview or refusal: inline runs show theirs in their own answer.
        report = report_from_dict(upload.result)
    return render_template(
        "imports/upload.html",
        upload=upload,
        table=table,
        file_error=file_error,
        mapping_text=mapping_text,
        report=report,
        errors=errors or {},
        unmatched=unmatched or [],
        mappings=mappings,
        modes=MODES,
        record_types=RECORD_TYPES,
        as_text=_as_text,
        queued=queued,
        progress=queue.progress_of(db, upload.id) if queued else None,
    ), status


def _as_text(data: dict[str, Any]) -> str:
    """A record's data for the preview, readable in any script (no \\u escapes)."""
    return json.dumps(data, ensure_ascii=False, default=str)


@bp.get("/<uuid:upload_id>")
@requires(Action.IMPORT_RECORDS)
def show(upload_id: uuid.UUID) -> ResponseReturnValue:
    """The mapping step: the proposed (or saved, or last used) mapping, ready to fix."""
    db = get_session()
    with db.begin():
        actor = current_web_user().actor
        upload = saved.get_upload(db, actor, upload_id)
        text = upload.mapping
        unmatched: list[str] = []
        chosen = request.args.get("mapping", "")
        if chosen:
            try:
                text = saved.get_mapping(db, actor, uuid.UUID(chosen)).body
            except ValueError:
                text = None
        if text is None:
            table, _error = _table(upload)
            header = table.header if table is not None else ()
            proposal = propose_mapping(header, upload.record_type, default_source(upload.filename))
            text, unmatched = dump_mapping(proposal.mapping), proposal.unmatched
        return _page(upload, text, unmatched=unmatched)


def _mapping_or_errors(text: str) -> tuple[Any, dict[str, str]]:
    try:
        return load_mapping(text), {}
    except MappingError as exc:
        return None, exc.errors


def _in_background(upload: ImportUpload) -> bool:
    limit = current_app.config.get("IMPORT_BACKGROUND_BYTES", queue.BACKGROUND_BYTES)
    return len(upload.content) > int(limit)


def _run(upload_id: uuid.UUID, *, dry_run: bool) -> ResponseReturnValue:
    text = request.form.get("mapping", "")
    mode_raw = request.form.get("mode", Mode.GOOD_ROWS.value)
    mode = Mode(mode_raw) if mode_raw in MODES else Mode.GOOD_ROWS
    db = get_session()
    with db.begin():
        actor = current_web_user().actor
        upload = saved.get_upload(db, actor, upload_id)
        mapping, errors = _mapping_or_errors(text)
        if mapping is not None and mapping.record != upload.record_type:
            errors = {"record": _("must be %(type)s for this upload", type=upload.record_type)}
        if not errors and queue.is_queued(upload):
            errors = {"file": _("is already being imported: wait for the result")}
        if errors:
            return _page(upload, text, errors=errors, status=422)
        if _in_background(upload):
            queue.queue_run(
                db,
                actor,
                upload_id,
                mapping_text=text,
                mapping=mapping,
                options=RunOptions(mode, dry_run),
            )
            background = True
        else:
            background = False
            try:
                report = run_import(
                    db, actor, upload.content, upload.filename, mapping, mode=mode, dry_run=dry_run
                )
            except (MappingError, UnreadableFileError) as exc:
                found = exc.errors if isinstance(exc, MappingError) else {"file": str(exc)}
                return _page(upload, text, errors=found, status=422)
            saved.note_result(upload, text, report)
            if dry_run or not report.committed:
                return _page(upload, text, report=report)
    if background:
        flash(
            _(
                "This file is large: it is read in the background. This page shows how far "
                "it is, then the result."
            ),
            "info",
        )
        return redirect(url_for("imports.show", upload_id=upload_id) + "#import-status")
    flash(
        _(
            "Imported %(stored)d of %(rows)d rows; %(refused)d refused.",
            stored=report.rows_stored,
            rows=report.rows,
            refused=report.refused_rows,
        ),
        "success",
    )
    return redirect(url_for("imports.show", upload_id=upload_id) + "#result")


@bp.post("/<uuid:upload_id>/preview")
@requires(Action.IMPORT_RECORDS)
def preview(upload_id: uuid.UUID) -> ResponseReturnValue:
    """A dry run of the mapping: the first rows as they would be stored, every problem."""
    return _run(upload_id, dry_run=True)


@bp.post("/<uuid:upload_id>/import")
@requires(Action.IMPORT_RECORDS)
def run(upload_id: uuid.UUID) -> ResponseReturnValue:
    """Import the file with the mapping, in the chosen mode."""
    return _run(upload_id, dry_run=False)


@bp.get("/<uuid:upload_id>/report.csv")
@requires(Action.IMPORT_RECORDS)
def report(upload_id: uuid.UUID) -> ResponseReturnValue:
    """The refused rows of the last import of the upload (row, column, reason) as CSV."""
    db = get_session()
    with db.begin():
        upload = saved.get_upload(db, current_web_user().actor, upload_id)
        body = upload.report_csv or "row,column,reason\r\n"
        stem = upload.filename.rsplit(".", 1)[0] or "import"
    safe = "".join(ch if ch.isascii() and (ch.isalnum() or ch in "-_") else "_" for ch in stem)
    return Response(
        body.encode("utf-8-sig"),  # the BOM makes Excel read the UTF-8 correctly
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{safe}-refused-rows.csv"'},
    )


@bp.post("/mappings")
@requires(Action.IMPORT_RECORDS)
def save_mapping() -> ResponseReturnValue:
    """Save the mapping under a name, for the next file; back to the upload."""
    text = request.form.get("mapping", "")
    raw_id = request.form.get("upload_id", "")
    db = get_session()
    with db.begin():
        actor = current_web_user().actor
        try:
            upload = saved.get_upload(db, actor, uuid.UUID(raw_id))
        except ValueError:
            return redirect(url_for("imports.index"))
        try:
            saved.save_mapping(db, actor, request.form.get("name", ""), text)
        except (MappingError, ValidationError) as exc:
            return _page(upload, text, errors=exc.errors, status=422)
        upload.mapping = text
    flash(_("Mapping saved."), "success")
    return redirect(url_for("imports.show", upload_id=upload.id))

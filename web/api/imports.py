"""``/api/v1/imports``: spreadsheet import jobs (upload with a mapping, run, state, report).

The same services as the upload wizard (`ncen.imports.jobs` over `ncen.imports.saved` and
`ncen.imports.running.run_import`), the same policy (``IMPORT_RECORDS``: supervisors) and
audit (``import.upload``, ``import.run``, ``import.report``); every route needs a read-and-write
token but the reads of a job. A job runs within its request (a file is at most
``NCEN_MAX_UPLOAD_MB``), or, with ``background`` true, is queued for the node's import runner
(`ncen.imports.queue`): the answer is then 202 with the job in state ``queued``, and the client
reads the job until its state changes. A mapping that does not fit the file, or a file that
cannot be read, is a 422 problem whose ``errors`` say what to fix; nothing is written then.
"""

from __future__ import annotations

import uuid

from flask import Blueprint, Response, request
from flask.typing import ResponseReturnValue

from ncen.accounts.actor import Actor
from ncen.imports import jobs, queue, saved
from ncen.imports.mapping import Mapping, MappingError, load_mapping
from ncen.imports.models import ImportUpload
from ncen.imports.readers import UnreadableFileError
from ncen.policy import Action
from web.api.bodies import json_body
from web.api.problems import ApiProblemError
from web.api.records import json_response
from web.api.routing import Operation, api_actor, api_view
from web.db import get_session

_MULTIPART = "multipart/form-data"


def _refused(exc: MappingError | UnreadableFileError) -> ApiProblemError:
    errors = exc.errors if isinstance(exc, MappingError) else {"file": str(exc)}
    return ApiProblemError(
        422, "The file or its mapping cannot be used; see errors.", kind="validation", errors=errors
    )


def _job_response(job: ImportUpload, status: int = 200) -> Response:
    return json_response(jobs.job_summary(job), status)


def _text_field(data: dict[str, object], name: str) -> str | None:
    value = data.get(name)
    if value is None or isinstance(value, str):
        return value
    raise ApiProblemError(
        422, "A field is refused; see errors.", kind="validation", errors={name: "must be text"}
    )


def _start(
    actor: Actor,
    job_id: uuid.UUID,
    options: jobs.RunOptions,
    replacement: tuple[str, Mapping] | None,
) -> tuple[ImportUpload, int]:
    """Run the job now (status 200) or queue it (202); the caller's transaction commits
    either. Raises what `jobs.run_job` and `queue.queue_run` raise."""
    db = get_session()
    if not options.background:
        return jobs.run_job(db, actor, job_id, options, replacement)[0], 200
    if replacement is None:  # the job's own mapping
        text = saved.get_upload(db, actor, job_id).mapping or ""
        replacement = (text, load_mapping(text))
    text, mapping = replacement
    job = queue.queue_run(db, actor, job_id, mapping_text=text, mapping=mapping, options=options)
    return job, 202


def register(bp: Blueprint) -> None:
    """Add the import job routes to ``bp``."""

    @api_view(
        bp,
        "/imports",
        Operation(
            "POST",
            "Upload a file with its mapping and run it (dry or real)",
            "imports",
            Action.IMPORT_RECORDS,
            write=True,
            response="ImportJob",
            body="ImportUpload",
            body_media_type=_MULTIPART,
            statuses=(201, 202),
        ),
    )
    def create_import() -> ResponseReturnValue:
        if request.mimetype != _MULTIPART:
            raise ApiProblemError(415, "Send the file as multipart/form-data.", kind="media-type")
        file = request.files.get("file")
        content = file.read() if file is not None else b""
        filename = (file.filename or "") if file is not None else ""
        form = request.form
        options = jobs.run_options(form.get("mode"), form.get("dry_run"), form.get("background"))
        db = get_session()
        with db.begin():
            actor = api_actor()
            try:
                text, mapping = jobs.mapping_text(
                    db, actor, form.get("mapping_id"), form.get("mapping")
                )
                job = jobs.create_job(db, actor, filename, content, text=text, mapping=mapping)
                job, status = _start(actor, job.id, options, None)
            except (MappingError, UnreadableFileError) as exc:
                raise _refused(exc) from exc
            response = _job_response(job, 201 if status == 200 else status)
        response.headers["Location"] = f"/api/v1/imports/{job.id}"
        return response

    @api_view(
        bp,
        "/imports/<uuid:job_id>/run",
        Operation(
            "POST",
            "Run a job again (for example for real after a dry run), optionally remapped",
            "imports",
            Action.IMPORT_RECORDS,
            write=True,
            response="ImportJob",
            body="ImportRun",
            statuses=(202,),
        ),
    )
    def run_import_job(job_id: uuid.UUID) -> ResponseReturnValue:
        data = json_body()
        options = jobs.run_options(data.get("mode"), data.get("dry_run"), data.get("background"))
        given_id, given_doc = _text_field(data, "mapping_id"), _text_field(data, "mapping")
        db = get_session()
        with db.begin():
            actor = api_actor()
            try:
                replacement = (
                    jobs.mapping_text(db, actor, given_id, given_doc)
                    if given_id or given_doc
                    else None
                )
                job, status = _start(actor, job_id, options, replacement)
            except (MappingError, UnreadableFileError) as exc:
                raise _refused(exc) from exc
            return _job_response(job, status)

    @api_view(
        bp,
        "/imports/<uuid:job_id>",
        Operation(
            "GET",
            "A job's state and the report of its last run",
            "imports",
            Action.IMPORT_RECORDS,
            write=False,
            response="ImportJob",
        ),
    )
    def get_import_job(job_id: uuid.UUID) -> ResponseReturnValue:
        db = get_session()
        with db.begin():
            return _job_response(jobs.read_report(db, api_actor(), job_id))

    @api_view(
        bp,
        "/imports/<uuid:job_id>/report.csv",
        Operation(
            "GET",
            "The refused rows of the last run (row, column, reason) as CSV",
            "imports",
            Action.IMPORT_RECORDS,
            write=False,
            response=None,
            media_type="text/csv",
        ),
    )
    def get_import_report(job_id: uuid.UUID) -> ResponseReturnValue:
        db = get_session()
        with db.begin():
            job = jobs.read_report(db, api_actor(), job_id)
            body = job.report_csv or "row,column,reason\r\n"
        return Response(
            body.encode("utf-8-sig"),  # the BOM makes Excel read the UTF-8 correctly
            mimetype="text/csv",
            headers={"Content-Disposition": 'attachment; filename="refused-rows.csv"'},
        )

"""Import jobs: an uploaded file, its mapping, and the outcome of its last run (the REST API).

A job is an `ImportUpload` (the wizard's own row: the same table, owner rule and audit), made
in one step from a file and a mapping (a saved mapping's id, or a mapping document), then run
by `run_job` (dry or real, all or nothing or the good rows) through
`ncen.imports.running.run_import`, the one entry point of the CLI and the wizard. Unlike the
wizard's `saved.note_result`, a job keeps the outcome of every run, dry runs included, so that
a client can read the report of a dry run before deciding to import.

A job's `state`: ``uploaded`` (never run), ``queued`` (a run waits for, or is being done by,
the import runner: `ncen.imports.queue`), ``failed`` (that run stopped without a result:
``failure`` says why), ``dry-run`` (last run was dry), ``refused`` (all or nothing with refused
rows: nothing written), ``imported`` (written). Every function checks
``IMPORT_RECORDS`` and ownership (`ncen.imports.saved`); the caller owns the transaction.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from ncen.accounts.actor import Actor
from ncen.audit import record_event
from ncen.db import utcnow
from ncen.errors import ValidationError
from ncen.imports import saved
from ncen.imports.mapping import Mapping, MappingError, load_mapping
from ncen.imports.models import ImportUpload
from ncen.imports.report import ImportReport, report_csv
from ncen.imports.running import Mode, run_import

STATES = ("uploaded", "queued", "failed", "dry-run", "refused", "imported")


@dataclass(frozen=True)
class RunOptions:
    """How to run a job: the mode for refused rows, whether to write at all, and whether to
    queue the run for the import runner (`ncen.imports.queue`) instead of running it now."""

    mode: Mode = Mode.ALL_OR_NOTHING
    dry_run: bool = False
    background: bool = False


def _flag(value: object, name: str, errors: dict[str, str]) -> bool:
    if isinstance(value, bool):
        return value
    if value in {"true", "false"}:
        return value == "true"
    if value is not None and value != "":
        errors[name] = "must be true or false"
    return False


def run_options(
    mode: object = None, dry_run: object = None, background: object = None
) -> RunOptions:
    """Validate the options as a client sends them (text or JSON values).

    ``mode``: ``all-or-nothing`` (default) or ``good-rows``; ``dry_run`` and ``background``:
    a boolean, or the text ``true``/``false`` (default false). Raises `ValidationError`
    naming the field.
    """
    errors: dict[str, str] = {}
    chosen = Mode.ALL_OR_NOTHING
    if mode is not None and mode != "":
        if isinstance(mode, str) and mode in {m.value for m in Mode}:
            chosen = Mode(mode)
        else:
            errors["mode"] = "must be all-or-nothing or good-rows"
    dry = _flag(dry_run, "dry_run", errors)
    later = _flag(background, "background", errors)
    if errors:
        raise ValidationError(errors)
    return RunOptions(chosen, dry, later)


def mapping_text(
    session: Session, actor: Actor, mapping_id: str | None, document: str | None
) -> tuple[str, Mapping]:
    """The mapping named by exactly one of a saved mapping's id (the actor's own) or a mapping
    document (YAML or JSON), with its parsed form. Raises `ValidationError` (neither or both,
    a malformed id), `NotFoundError` (no such saved mapping of the actor's), `MappingError`."""
    given_id = (mapping_id or "").strip()
    given_doc = document if document and document.strip() else None
    if bool(given_id) == (given_doc is not None):
        raise ValidationError({"mapping": "give either mapping_id or a mapping document"})
    if given_doc is not None:
        return given_doc, load_mapping(given_doc)
    try:
        key = uuid.UUID(given_id)
    except ValueError as exc:
        raise ValidationError({"mapping_id": "is not a mapping id"}) from exc
    body = saved.get_mapping(session, actor, key).body
    return body, load_mapping(body)


def create_job(
    session: Session,
    actor: Actor,
    filename: str,
    content: bytes,
    *,
    text: str,
    mapping: Mapping,
) -> ImportUpload:
    """Keep the file with its mapping as a new job (state ``uploaded``); the record type is
    the mapping's. Raises what `saved.store_upload` raises. Audited (``import.upload``)."""
    upload = saved.store_upload(session, actor, filename, content, mapping.record)
    upload.mapping = text
    return upload


def run_job(
    session: Session,
    actor: Actor,
    upload_id: uuid.UUID,
    options: RunOptions,
    replacement: tuple[str, Mapping] | None = None,
) -> tuple[ImportUpload, ImportReport]:
    """Run the actor's job ``upload_id`` with its mapping (or ``replacement``, then kept).

    Returns the job and the run's report, both kept on the job whatever the outcome. Raises
    `NotFoundError`, `PermissionDeniedError`, `ValidationError` (a run of the job is queued),
    `MappingError` (the mapping is of another record
    type or names missing columns), `UnreadableFileError`. Writes what `run_import` writes
    (when not dry and not refused as a whole), and the job's state.
    """
    upload = saved.get_upload(session, actor, upload_id)
    if upload.queued_at is not None:  # the import runner holds it: one run at a time
        raise ValidationError({"job": "a run of this job is queued: wait for its result"})
    if replacement is not None:
        text, mapping = replacement
    else:
        text = upload.mapping or ""
        mapping = load_mapping(text)
    if mapping.record != upload.record_type:
        raise MappingError({"record": f"must be {upload.record_type} for this job"})
    report = run_import(
        session,
        actor,
        upload.content,
        upload.filename,
        mapping,
        mode=options.mode,
        dry_run=options.dry_run,
    )
    upload.mapping = text
    upload.result = report.as_dict()
    upload.report_csv = report_csv(report.problems)
    upload.failure = None
    if report.committed:
        upload.imported_at = utcnow()
    session.flush()
    return upload, report


def job_state(upload: ImportUpload) -> str:
    """One of `STATES`, from the job's last run."""
    if upload.queued_at is not None:
        return "queued"
    if upload.failure is not None:
        return "failed"
    result = upload.result
    if result is None:
        return "uploaded"
    if result.get("committed"):
        return "imported"
    if result.get("dry_run"):
        return "dry-run"
    return "refused"


def read_report(session: Session, actor: Actor, upload_id: uuid.UUID) -> ImportUpload:
    """The actor's job, for its row-level report. Audited (``import.report``): the refused
    rows' reasons may quote the file's values."""
    upload = saved.get_upload(session, actor, upload_id)
    record_event(
        session,
        actor,
        "import.report",
        record_type="import_upload",
        record_id=upload.id,
        details={"file": upload.filename[:200]},
    )
    return upload


def job_summary(upload: ImportUpload) -> dict[str, Any]:
    """The job as plain JSON: identity, state, mapping and the last run's report."""
    return {
        "id": str(upload.id),
        "filename": upload.filename,
        "record_type": upload.record_type,
        "state": job_state(upload),
        "created_at": upload.created_at.isoformat(),
        "imported_at": upload.imported_at.isoformat() if upload.imported_at else None,
        "mapping": upload.mapping,
        "failure": upload.failure,
        "result": upload.result,
    }

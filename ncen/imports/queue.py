"""Big imports run in the background: the wizard queues them, the import runner does them.

A 100,000-row workbook takes minutes to import, far longer than a request may stay open behind
a proxy. The wizard therefore queues a big file's run (`queue_run`), and the serving process
runs one queued run at a time in a thread (`start_runner`, started by ``ncen serve`` next to
the audit chainer). The page shows the progress and, once done, the same result and report as
an inline run.

Guarantees:

- **Nothing lost, nothing done twice.** The runner takes the oldest queued upload with
  ``FOR UPDATE SKIP LOCKED`` and holds that row lock for the whole run. The run's writes, its
  result and the clearing of the queue mark commit in one transaction. A runner killed
  mid-run leaves nothing written and the upload still queued: the next runner takes it again.
  Two runners never take the same upload.
- **Bounded retries.** Each start is counted in `ImportProgress` (in a transaction of its
  own, so the count survives a crash); a file that has stopped the runner `MAX_ATTEMPTS`
  times is given up with a clear failure instead of killing the runner forever.
- **The owner's rights at run time.** The run acts as the user who queued it, checked again
  when it runs: an account disabled or stripped of the import role meanwhile gets a failure,
  and nothing is written.
"""

from __future__ import annotations

import logging
import threading
import uuid
from typing import Any

from sqlalchemy import Engine, delete, func, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Session

from ncen.accounts.actor import Actor
from ncen.accounts.models import User
from ncen.audit import drop_pending_since, pending_mark, record_event
from ncen.db import utcnow
from ncen.errors import NcenError, ValidationError, message_of
from ncen.imports import saved
from ncen.imports.jobs import RunOptions
from ncen.imports.mapping import Mapping, MappingError, load_mapping
from ncen.imports.models import ImportProgress, ImportUpload
from ncen.imports.report import report_csv
from ncen.imports.running import Mode, run_import

log = logging.getLogger(__name__)

# Files larger than this run in the queue when started from the wizard (about 2,000 CSV rows,
# a few seconds of work): smaller ones keep the immediate answer on the page.
BACKGROUND_BYTES = 256_000
MAX_ATTEMPTS = 3


def is_queued(upload: ImportUpload) -> bool:
    """True while a run of the upload waits for, or is being done by, the runner."""
    return upload.queued_at is not None


def queue_run(
    session: Session,
    actor: Actor,
    upload_id: uuid.UUID,
    *,
    mapping_text: str,
    mapping: Mapping,
    options: RunOptions,
) -> ImportUpload:
    """Queue a run of the actor's upload with ``mapping`` (kept on the upload) and ``options``.

    Raises `NotFoundError`/`PermissionDeniedError` (not the actor's upload, no import role),
    `MappingError` (a mapping of another record type), `ValidationError` (a run of the upload
    is already queued). Audited (``import.queue``). The caller owns the transaction."""
    upload = saved.get_upload(session, actor, upload_id)
    if mapping.record != upload.record_type:
        raise MappingError({"record": f"must be {upload.record_type} for this upload"})
    if is_queued(upload):
        raise ValidationError({"file": "is already being imported: wait for the result"})
    upload.mapping = mapping_text
    upload.queued = {"mode": options.mode.value, "dry_run": options.dry_run}
    upload.queued_at = utcnow()
    upload.failure = None
    session.flush()
    record_event(
        session,
        actor,
        "import.queue",
        record_type="import_upload",
        record_id=upload.id,
        details={"file": upload.filename[:200], **upload.queued},
    )
    return upload


def progress_of(session: Session, upload_id: uuid.UUID) -> ImportProgress | None:
    """The runner's progress with the upload, if it has begun a run of it."""
    return session.get(ImportProgress, upload_id)


def _note_progress(engine: Engine, upload_id: uuid.UUID, **values: Any) -> int:
    """Upsert the upload's progress row in a transaction of its own; return its attempts."""
    values["updated_at"] = utcnow()
    with engine.begin() as conn:
        statement = insert(ImportProgress).values(
            upload_id=upload_id,
            rows_done=values.get("rows_done", 0),
            rows_total=values.get("rows_total", 0),
            attempts=values.get("attempts", 0),
            updated_at=values["updated_at"],
        )
        if "attempts" in values:  # a new start: count it, reset the figures
            values["attempts"] = ImportProgress.attempts + 1
        upsert = statement.on_conflict_do_update(
            index_elements=[ImportProgress.upload_id], set_=values
        ).returning(ImportProgress.attempts)
        return int(conn.execute(upsert).scalar_one())


def _finish(upload: ImportUpload, failure: str | None = None) -> None:
    upload.queued = None
    upload.queued_at = None
    upload.failure = failure


def _owner_actor(session: Session, upload: ImportUpload) -> Actor | None:
    user = session.get(User, upload.owner_id)
    if user is None or not user.active:
        return None
    return Actor.of(user)


def _run(session: Session, engine: Engine, upload: ImportUpload) -> None:
    """Run the taken upload inside the caller's transaction; record its result or failure."""
    actor = _owner_actor(session, upload)
    if actor is None:
        _finish(upload, "the account that queued this import is disabled")
        return
    options = upload.queued or {}
    upload_id = upload.id

    def progress(done: int, total: int) -> None:
        _note_progress(engine, upload_id, rows_done=done, rows_total=total)

    mark = pending_mark(session)
    try:
        with session.begin_nested():
            report = run_import(
                session,
                actor,
                upload.content,
                upload.filename,
                load_mapping(upload.mapping or ""),
                mode=Mode(options.get("mode", Mode.ALL_OR_NOTHING.value)),
                dry_run=bool(options.get("dry_run")),
                progress=progress,
            )
    except NcenError as exc:  # the file, the mapping or the rights: the owner's to fix
        drop_pending_since(session, mark)
        _finish(upload, message_of(exc))
        return
    except Exception:  # a defect: nothing of the run is kept; the log has the details
        drop_pending_since(session, mark)
        log.exception("import runner: the run of upload %s failed", upload_id)
        _finish(upload, "the import stopped on an internal error; the server log says why")
        return
    upload.result = report.as_dict()
    upload.report_csv = report_csv(report.problems)
    if report.committed:
        upload.imported_at = utcnow()
    _finish(upload)


def run_next(engine: Engine) -> uuid.UUID | None:
    """Take the oldest queued upload that no other runner holds, run it, and commit; return
    its id, or None if nothing was waiting. See the module docstring for the guarantees."""
    with Session(engine) as session, session.begin():
        upload = session.execute(
            select(ImportUpload)
            .where(ImportUpload.queued_at.is_not(None))
            .order_by(ImportUpload.queued_at)
            .limit(1)
            .with_for_update(skip_locked=True)
        ).scalar_one_or_none()
        if upload is None:
            return None
        upload_id = upload.id
        attempts = _note_progress(engine, upload_id, attempts=1)
        if attempts > MAX_ATTEMPTS:
            _finish(upload, f"the import was given up after {MAX_ATTEMPTS} interrupted runs")
        else:
            _run(session, engine, upload)
    with engine.begin() as conn:  # done: the page shows the result, not the progress
        conn.execute(delete(ImportProgress).where(ImportProgress.upload_id == upload_id))
    return upload_id


def queued_count(engine: Engine) -> int:
    """How many uploads wait in the queue, or are being run."""
    with engine.connect() as conn:
        count = conn.execute(
            select(func.count()).where(ImportUpload.queued_at.is_not(None))
        ).scalar_one()
    return int(count)


def start_runner(engine: Engine, interval: float = 1.0) -> tuple[threading.Thread, threading.Event]:
    """Start the import runner's daemon thread: it runs queued uploads one after another and
    looks again every ``interval`` seconds. Set the returned event to stop it after the run
    under way (a run interrupted by the process's end stays queued, see `run_next`)."""
    stop = threading.Event()

    def loop() -> None:
        while not stop.is_set():
            try:
                while not stop.is_set() and run_next(engine) is not None:
                    pass
            except Exception:  # a database outage must not kill the thread; it retries
                log.exception("import runner: round failed; retrying")
            stop.wait(interval)

    thread = threading.Thread(target=loop, name="ncen-import-runner", daemon=True)
    thread.start()
    return thread, stop


__all__ = [
    "BACKGROUND_BYTES",
    "MAX_ATTEMPTS",
    "is_queued",
    "progress_of",
    "queue_run",
    "queued_count",
    "run_next",
    "start_runner",
]

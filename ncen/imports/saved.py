"""The upload wizard's stored state: uploaded files and each user's saved mappings.

Every function checks ``IMPORT_RECORDS`` and the ownership of what it reads: an upload or a
saved mapping is its owner's alone (another user gets `NotFoundError`, as if it did not
exist). Uploads are audited (``import.upload``, the file name and size); the import itself is
audited by `ncen.imports.running.run_import`. The caller owns the transaction.
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, defer

from ncen.accounts.actor import Actor
from ncen.audit import record_event
from ncen.db import utcnow
from ncen.errors import NotFoundError, ValidationError
from ncen.imports.mapping import RECORD_TYPES, load_mapping
from ncen.imports.models import MAX_MAPPING_NAME, ImportMapping, ImportUpload
from ncen.imports.report import ImportReport, report_csv
from ncen.policy import Action, require

# What the wizard accepts in one upload; the CLI reads bigger files (readers.Limits).
MAX_UPLOAD_BYTES = 50_000_000


def _owner(actor: Actor) -> uuid.UUID:
    require(actor, Action.IMPORT_RECORDS)
    if actor.user_id is None:
        raise ValidationError({"owner": "uploads belong to a signed-in user"})
    return actor.user_id


def store_upload(
    session: Session, actor: Actor, filename: str, content: bytes, record_type: str
) -> ImportUpload:
    """Keep an uploaded file for the wizard's next steps. Raises `ValidationError` (empty,
    too large, unknown record type), `PermissionDeniedError`. Audited."""
    owner = _owner(actor)
    errors: dict[str, str] = {}
    if not content:
        errors["file"] = "choose a file (it is empty)"
    elif len(content) > MAX_UPLOAD_BYTES:
        errors["file"] = f"is larger than {MAX_UPLOAD_BYTES // 1_000_000} MB: use ncen import"
    if record_type not in RECORD_TYPES:
        errors["record_type"] = "choose what one row is"
    name = "".join(ch for ch in filename if ch.isprintable()).strip()[-255:] or "upload"
    if errors:
        raise ValidationError(errors)
    upload = ImportUpload(owner_id=owner, filename=name, record_type=record_type, content=content)
    session.add(upload)
    session.flush()
    record_event(
        session,
        actor,
        "import.upload",
        record_type="import_upload",
        record_id=upload.id,
        details={"file": name, "bytes": len(content), "record_type": record_type},
    )
    return upload


def get_upload(session: Session, actor: Actor, upload_id: uuid.UUID) -> ImportUpload:
    """The actor's own upload, or `NotFoundError`."""
    owner = _owner(actor)
    upload = session.get(ImportUpload, upload_id)
    if upload is None or upload.owner_id != owner:
        raise NotFoundError("upload", upload_id)
    return upload


def note_result(upload: ImportUpload, mapping_text: str, report: ImportReport) -> None:
    """Keep the mapping used and, when the import was written, its result and report."""
    upload.mapping = mapping_text
    upload.failure = None
    if report.committed:
        upload.result = report.as_dict()
        upload.report_csv = report_csv(report.problems)
        upload.imported_at = utcnow()


def save_mapping(session: Session, actor: Actor, name: str, body: str) -> ImportMapping:
    """Save (or replace) the actor's mapping ``name``. Raises `ValidationError` (no name, or
    a mapping that does not parse: `MappingError` is raised as is)."""
    owner = _owner(actor)
    clean = " ".join(name.split())
    if not clean or len(clean) > MAX_MAPPING_NAME or not clean.isprintable():
        raise ValidationError({"name": f"give a name of at most {MAX_MAPPING_NAME} characters"})
    parsed = load_mapping(body)
    saved = session.execute(
        select(ImportMapping).where(ImportMapping.owner_id == owner, ImportMapping.name == clean)
    ).scalar_one_or_none()
    if saved is None:
        saved = ImportMapping(owner_id=owner, name=clean, record_type=parsed.record, body=body)
        session.add(saved)
    else:
        saved.record_type, saved.body = parsed.record, body
    session.flush()
    return saved


def list_mappings(session: Session, actor: Actor, record_type: str | None = None) -> list[Any]:
    """The actor's saved mappings (of ``record_type``), by name."""
    owner = _owner(actor)
    query = select(ImportMapping).where(ImportMapping.owner_id == owner)
    if record_type is not None:
        query = query.where(ImportMapping.record_type == record_type)
    return list(session.execute(query.order_by(ImportMapping.name)).scalars())


def get_mapping(session: Session, actor: Actor, mapping_id: uuid.UUID) -> ImportMapping:
    """The actor's own saved mapping, or `NotFoundError`."""
    owner = _owner(actor)
    saved = session.get(ImportMapping, mapping_id)
    if saved is None or saved.owner_id != owner:
        raise NotFoundError("mapping", mapping_id)
    return saved


def recent_uploads(session: Session, actor: Actor, limit: int = 20) -> list[ImportUpload]:
    """The actor's latest uploads, newest first (their content is not loaded)."""
    owner = _owner(actor)
    return list(
        session.execute(
            select(ImportUpload)
            .options(defer(ImportUpload.content))
            .where(ImportUpload.owner_id == owner)
            .order_by(ImportUpload.created_at.desc())
            .limit(limit)
        ).scalars()
    )

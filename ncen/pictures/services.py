"""Use cases for pictures: attach several uploads to a record, edit a caption, detach, and
attach pictures received from another node (`attach_received_pictures`).

`add_pictures` is all-or-nothing: every file is checked by content first (each refusal named
``files.<index>``, together with any bad caption or concealment method, in one
`ValidationError`), and only then are files stored and rows written. A picture is one row per
content (sha256 is unique): the same file uploaded again, or to another record, reuses its row
and only gains a link. Attaching or detaching changes the record, so its version moves, a
history row (its snapshot plus the sorted sha256 of its pictures) and an audit event are
written; a picture new to the node also gets its own ``picture.upload`` audit event.

Files and rows cannot share one transaction. Files are written to the content store before the
rows, and the caller commits: if the database write or the commit fails, the store may keep
files that no row names. That is harmless: they are content-addressed (a later upload of the
same content reuses them), never served without a row, and a sweep may delete them. The other
order could leave rows pointing at files that do not exist, which is worse for evidence.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, BinaryIO, Final, Protocol

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Session

from ncen.accounts.actor import Actor
from ncen.audit import record_event
from ncen.companies.models import Company
from ncen.companies.services import snapshot as company_snapshot
from ncen.conveyances.models import Conveyance
from ncen.conveyances.services import snapshot as conveyance_snapshot
from ncen.errors import ConflictError, Message, NotFoundError, ValidationError
from ncen.history import ChangeKind
from ncen.persons.models import Person
from ncen.persons.services import snapshot as person_snapshot
from ncen.pictures.hashing import hash_row
from ncen.pictures.models import Picture, PictureHash, PictureLink
from ncen.pictures.processing import PictureRejectedError, ProbedImage, inspect_upload
from ncen.pictures.queries import LINK_COLUMNS, RECORD_TYPE, record_key
from ncen.pictures.store import PictureStore
from ncen.policy import Action, require
from ncen.recordkeeping import commit_change, get_live
from ncen.records import RecordMixin
from ncen.reference.models import ConcealmentMethod
from ncen.seizures.models import Seizure
from ncen.seizures.snapshots import snapshot as seizure_snapshot
from ncen.text import neutralise
from ncen.validation import Checker

MAX_FILES: Final = 20
UploadFile = tuple[str, bytes | BinaryIO]


class UploadLimits(Protocol):
    """The limits `add_pictures` applies; `ncen.settings.Settings` is one."""

    @property
    def max_upload_mb(self) -> int: ...

    @property
    def max_picture_pixels(self) -> int: ...


@dataclass(frozen=True)
class _Target:
    model: type[RecordMixin]
    snapshot: Callable[[Session, Any], dict[str, Any]]


_TARGETS: Final[dict[str, _Target]] = {
    "seizure": _Target(Seizure, seizure_snapshot),
    "person": _Target(Person, lambda _, record: person_snapshot(record)),
    "company": _Target(Company, lambda _, record: company_snapshot(record)),
    "conveyance": _Target(Conveyance, lambda _, record: conveyance_snapshot(record)),
}


@dataclass(frozen=True)
class _Uploader:
    """A picture seen by the policy as a record owned by whoever uploaded it."""

    created_by_id: uuid.UUID | None
    origin_node: str | None = None


def _snapshot(session: Session, record_type: str, record: RecordMixin) -> dict[str, Any]:
    """The record's own snapshot plus its pictures, so that the history diff shows them."""
    column = getattr(PictureLink, LINK_COLUMNS[record_type])
    hashes = session.execute(
        select(Picture.sha256)
        .join(PictureLink, PictureLink.picture_id == Picture.id)
        .where(column == record.id)
        .order_by(Picture.sha256)
    ).scalars()
    return {**_TARGETS[record_type].snapshot(session, record), "pictures": list(hashes)}


def _lock(
    session: Session, record_type: str, record_id: uuid.UUID, expected_version: int | None
) -> RecordMixin:
    """Lock the record ``FOR UPDATE``; refuse a deleted record or a stale expected version."""
    model = _TARGETS[record_type].model
    record = session.execute(
        select(model)
        .where(model.id == record_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).scalar_one_or_none()
    if record is None or record.deleted_at is not None:
        raise NotFoundError(record_type, record_id)
    if expected_version is not None and record.version != expected_version:
        raise ConflictError(record_type, record_id, expected_version, record.version)
    return record


def require_may_attach(actor: Actor, record: RecordMixin) -> None:
    """Raise `PermissionDeniedError` unless ``actor`` may attach pictures to ``record``."""
    require(actor, Action.CREATE_RECORDS)
    # Attaching a picture changes the record (its version moves and its history shows it), so
    # it needs exactly the record-level right to edit it (`ncen.policy`): an investigator adds to
    # their own drafts, a supervisor to any record, and a record received from another node
    # only by a supervisor. Issue 12 item 13: otherwise any investigator could add to another
    # user's validated seizure that they may not edit.
    require(actor, Action.UPDATE_RECORD, record)


def clean_filename(name: object) -> str:
    """The uploaded name, for messages and audit only: last path part, printable, short."""
    text = str(name or "")
    text = re.split(r"[\\/]", text)[-1]
    text = neutralise(text).strip()  # controls and text-direction overrides (see ncen.text)
    return text[:120] or "unnamed file"


def probe_uploads(
    files: Sequence[UploadFile], limits: UploadLimits
) -> tuple[list[tuple[str, ProbedImage]], dict[str, str]]:
    """Inspect every file by content; return the accepted ones and a message per refused one.

    Errors are keyed ``files`` (none or too many) or ``files.<i>``. Nothing is stored.
    """
    if not files:
        return [], {"files": "choose at least one picture"}
    if len(files) > MAX_FILES:
        return [], {
            "files": Message(
                "too many pictures at once: %(n)s, at most %(max)s", n=len(files), max=MAX_FILES
            )
        }
    accepted: list[tuple[str, ProbedImage]] = []
    errors: dict[str, str] = {}
    for i, (name, data) in enumerate(files):
        filename = clean_filename(name)
        try:
            probed = inspect_upload(
                data,
                max_bytes=limits.max_upload_mb * 2**20,
                max_pixels=limits.max_picture_pixels,
            )
        except PictureRejectedError as exc:
            errors[f"files.{i}"] = f"{filename}: {exc}"
            continue
        accepted.append((filename, probed))
    return accepted, errors


def check_uploads(files: Sequence[UploadFile], limits: UploadLimits) -> None:
    """Raise `ValidationError` naming every refused file; store nothing (a dry run)."""
    _, errors = probe_uploads(files, limits)
    if errors:
        raise ValidationError(errors)


def _inspect_all(
    c: Checker, files: Sequence[UploadFile], limits: UploadLimits
) -> list[tuple[str, ProbedImage]]:
    """Check every file; record its errors in ``c``; return the accepted ones."""
    accepted, errors = probe_uploads(files, limits)
    for key, message in errors.items():
        c.fail(key, message)
    return accepted


def _upsert_picture(
    session: Session,
    actor: Actor,
    probed: ProbedImage,
    caption: str | None,
    concealment_method: str | None,
) -> tuple[Picture, bool]:
    """The picture row of ``probed``, created if new; returns it and whether it was created.

    ``INSERT ... ON CONFLICT DO NOTHING`` makes two people uploading the same new file at the
    same moment both succeed, sharing one row, instead of one failing on the unique sha256.
    """
    created_id = session.execute(
        insert(Picture)
        .values(
            id=uuid.uuid4(),
            sha256=probed.sha256,
            mime_type=probed.mime_type,
            width=probed.width,
            height=probed.height,
            size_bytes=probed.size_bytes,
            phash=probed.phash,
            caption=caption,
            concealment_method=concealment_method,
            uploaded_by_id=actor.user_id,
        )
        .on_conflict_do_nothing(index_elements=[Picture.sha256])
        .returning(Picture.id)
    ).scalar_one_or_none()
    picture = session.execute(
        select(Picture)
        .where(Picture.sha256 == probed.sha256)
        .execution_options(populate_existing=True)
    ).scalar_one()
    # The similarity index's row; an existing picture may predate it (``ncen pictures rehash``).
    session.execute(
        insert(PictureHash)
        .values(hash_row(picture.id, probed.dct_hash, probed.phash))
        .on_conflict_do_nothing(index_elements=[PictureHash.picture_id])
    )
    if created_id is None:
        # An existing picture keeps what people already wrote about it (`update_picture` is the
        # explicit way to change it); only blanks are filled in from this upload.
        if picture.caption is None and caption is not None:
            picture.caption = caption
        if picture.concealment_method is None and concealment_method is not None:
            picture.concealment_method = concealment_method
    return picture, created_id is not None


def add_pictures(
    session: Session,
    actor: Actor,
    store: PictureStore,
    limits: UploadLimits,
    files: Sequence[UploadFile],
    *,
    caption: str | None = None,
    concealment_method: str | None = None,
    seizure_id: uuid.UUID | None = None,
    person_id: uuid.UUID | None = None,
    company_id: uuid.UUID | None = None,
    conveyance_id: uuid.UUID | None = None,
    expected_version: int | None = None,
) -> list[Picture]:
    """Attach uploaded pictures to exactly one record; return one `Picture` per file, in order.

    ``files`` holds ``(filename, bytes or binary stream)``; the name is never trusted, only
    shown in messages and kept in the audit. ``caption`` and ``concealment_method`` (a code)
    apply to every file. ``expected_version``, when given, must be the record's version.

    All or nothing: raises `PermissionDeniedError` (needs ``CREATE_RECORDS`` and the right to
    edit the record, ``UPDATE_RECORD`` on it: own draft, or a supervisor), `NotFoundError` (no
    such live record), `ValidationError` (``record``, ``caption``, ``concealment_method``,
    ``files`` or ``files.<i>``, all at once) or
    `ConflictError`, before anything is written. Side effects: files in ``store``; rows;
    the record's version moves, with history and audit, if at least one link was added (a file
    already attached to the record is not attached twice).
    """
    require(actor, Action.CREATE_RECORDS)
    record_type, record_id = record_key(
        seizure_id=seizure_id,
        person_id=person_id,
        company_id=company_id,
        conveyance_id=conveyance_id,
    )
    # Fail fast on a wrong or stale record, before spending time on the pictures or writing any
    # file; both are checked again under the row lock below.
    current = get_live(session, _TARGETS[record_type].model, record_id, record_type)
    require_may_attach(actor, current)
    if expected_version is not None and current.version != expected_version:
        raise ConflictError(record_type, record_id, expected_version, current.version)
    c = Checker(session, {"caption": caption, "concealment_method": concealment_method})
    checked_caption = c.text("caption", max_len=2000)
    checked_method = c.code("concealment_method", ConcealmentMethod)
    accepted = _inspect_all(c, files, limits)
    c.raise_if_errors()

    for _, probed in accepted:
        store.save(probed)  # before any row: see the module docstring

    record = _lock(session, record_type, record_id, expected_version)
    require_may_attach(actor, record)
    return _link_all(
        session,
        actor,
        record_type,
        record,
        [(filename, probed, checked_caption, checked_method) for filename, probed in accepted],
    )


def _link_all(
    session: Session,
    actor: Actor,
    record_type: str,
    record: RecordMixin,
    accepted: Sequence[tuple[str, ProbedImage, str | None, str | None]],
    *,
    details: Mapping[str, Any] | None = None,
) -> list[Picture]:
    """Upsert each picture row, link the new ones to the locked ``record``, write one version.

    ``accepted`` holds ``(filename, probed, caption, concealment method)``; the files are
    already in the store.
    """
    before = _snapshot(session, record_type, record)
    column = LINK_COLUMNS[record_type]
    pictures: list[Picture] = []
    attached: list[Picture] = []
    for filename, probed, caption, method in accepted:
        picture, created = _upsert_picture(session, actor, probed, caption, method)
        pictures.append(picture)
        if created:
            record_event(
                session,
                actor,
                "picture.upload",
                record_type=RECORD_TYPE,
                record_id=picture.id,
                details={
                    "sha256": probed.sha256,
                    "filename": filename,
                    "mime_type": probed.mime_type,
                    "size_bytes": probed.size_bytes,
                    "width": probed.width,
                    "height": probed.height,
                    **(details or {}),
                },
            )
        already = session.execute(
            select(PictureLink.id).where(
                PictureLink.picture_id == picture.id,
                getattr(PictureLink, column) == record.id,
            )
        ).first()
        if already is None:
            session.add(PictureLink(picture_id=picture.id, **{column: record.id}))
            session.flush()
            attached.append(picture)
    if attached:
        commit_change(
            session,
            actor,
            record,
            record_type=record_type,
            kind=ChangeKind.LINK,
            before=before,
            after=_snapshot(session, record_type, record),
            details={
                "pictures": [{"id": str(p.id), "sha256": p.sha256} for p in attached],
                **(details or {}),
            },
        )
    return pictures


@dataclass(frozen=True)
class ReceivedPicture:
    """A picture received with a foreign record: the original (bytes or a binary stream), the
    sha256 the sender declared for it, and what the sender wrote about it."""

    data: bytes | BinaryIO = field(repr=False)
    sha256: str
    caption: str | None = None
    concealment_method: str | None = None


def attach_received_pictures(
    session: Session,
    actor: Actor,
    store: PictureStore,
    limits: UploadLimits,
    pictures: Sequence[ReceivedPicture],
    *,
    record_type: str,
    record_id: uuid.UUID,
    details: Mapping[str, Any] | None = None,
) -> list[Picture]:
    """Attach pictures received from another node to a record (normally a foreign one).

    Each file is checked by content exactly like an upload (type, size, pixel limits) and must
    hash to its declared sha256. Needs ``RUN_EXCHANGE``. All or nothing: raises
    `PermissionDeniedError`, `NotFoundError` or `ValidationError` (``pictures.<i>``,
    ``pictures.<i>.caption``...) before anything is written. Side effects as `add_pictures`
    (store files, rows, one version of the record with history and audit); ``details`` (for
    example the provenance) is added to the audit events.
    """
    require(actor, Action.RUN_EXCHANGE)
    if record_type not in _TARGETS:
        raise ValidationError({"record": f"pictures cannot be attached to a {record_type}"})
    c = Checker(session, {})
    accepted: list[tuple[str, ProbedImage, str | None, str | None]] = []
    for i, received in enumerate(pictures):
        described = {"caption": received.caption, "concealment_method": received.concealment_method}
        pc = c.nested(described, f"pictures.{i}")
        caption = pc.text("caption", max_len=2000)
        method = pc.code("concealment_method", ConcealmentMethod)
        try:
            probed = inspect_upload(
                received.data,
                max_bytes=limits.max_upload_mb * 2**20,
                max_pixels=limits.max_picture_pixels,
            )
        except PictureRejectedError as exc:
            c.fail(f"pictures.{i}", f"{received.sha256}: {exc}")
            continue
        if probed.sha256 != received.sha256:
            c.fail(f"pictures.{i}", f"content does not hash to {received.sha256}")
            continue
        accepted.append((f"{probed.sha256}", probed, caption, method))
    c.raise_if_errors()
    for _, probed, _, _ in accepted:
        store.save(probed)  # before any row: see the module docstring
    record = _lock(session, record_type, record_id, None)
    return _link_all(session, actor, record_type, record, accepted, details=details)


def update_picture(
    session: Session,
    actor: Actor,
    picture_id: uuid.UUID,
    caption: str | None,
    concealment_method: str | None,
) -> Picture:
    """Set the caption and concealment method (a code) of a picture; blanks clear them.

    Allowed to its uploader (with ``UPDATE_RECORD``) and to supervisors. Raises `NotFoundError`,
    `PermissionDeniedError` or `ValidationError`. Audits ``picture.update`` with the old and new
    values when something changed. The records it is attached to keep their versions: the
    picture's description is not part of them.
    """
    picture = session.execute(
        select(Picture)
        .where(Picture.id == picture_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).scalar_one_or_none()
    if picture is None:
        raise NotFoundError(RECORD_TYPE, picture_id)
    require(actor, Action.UPDATE_RECORD, _Uploader(picture.uploaded_by_id))
    c = Checker(session, {"caption": caption, "concealment_method": concealment_method})
    new = {
        "caption": c.text("caption", max_len=2000),
        "concealment_method": c.code("concealment_method", ConcealmentMethod),
    }
    c.raise_if_errors()
    old = {"caption": picture.caption, "concealment_method": picture.concealment_method}
    changes = {k: [old[k], new[k]] for k in new if old[k] != new[k]}
    if not changes:
        return picture
    picture.caption = new["caption"]
    picture.concealment_method = new["concealment_method"]
    session.flush()
    record_event(
        session,
        actor,
        "picture.update",
        record_type=RECORD_TYPE,
        record_id=picture.id,
        details={"changes": changes},
    )
    return picture


def unlink_picture(
    session: Session,
    actor: Actor,
    link_id: uuid.UUID,
    *,
    expected_version: int | None = None,
) -> None:
    """Detach a picture from its record (``link_id`` from `pictures_for`).

    Needs ``UPDATE_RECORD`` on the record (an investigator: own draft; a supervisor: any).
    The picture row and its sealed files stay (evidence is never destroyed by a detach; the
    picture may belong to other records). Bumps the record's version with history and audit.
    Raises `NotFoundError`, `ConflictError` or `PermissionDeniedError`.
    """
    link = session.get(PictureLink, link_id)
    if link is None:
        raise NotFoundError("picture link", link_id)
    record_type, record_id = next(
        (record_type, getattr(link, column))
        for record_type, column in LINK_COLUMNS.items()
        if getattr(link, column) is not None
    )
    record = _lock(session, record_type, record_id, expected_version)
    require(actor, Action.UPDATE_RECORD, record)
    picture = session.get(Picture, link.picture_id)
    before = _snapshot(session, record_type, record)
    session.delete(link)
    session.flush()
    commit_change(
        session,
        actor,
        record,
        record_type=record_type,
        kind=ChangeKind.UNLINK,
        before=before,
        after=_snapshot(session, record_type, record),
        details={
            "picture_id": str(link.picture_id),
            "sha256": picture.sha256 if picture else None,
        },
    )

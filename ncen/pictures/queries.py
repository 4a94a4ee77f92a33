"""Reading pictures: the gallery of a record and the files behind a picture.

Near-duplicates are searched through the similarity index (`ncen.analysis.picture_search`).

Listing takes no actor: it is called by a page that already authorised (and, for nominal data,
audited) the reading of the record. Opening a file does check the policy: display files and
thumbnails need ``READ_RECORDS`` and are not audited one by one (a gallery page opens dozens;
the record view itself is audited), while the sealed original needs
``DOWNLOAD_ORIGINAL_PICTURE``, is verified against its sha256 and each download is audited.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field
from typing import Final

from sqlalchemy import select
from sqlalchemy.orm import Session

from ncen.accounts.actor import Actor
from ncen.analysis.picture_index import dhash_statement
from ncen.audit import record_event
from ncen.errors import NotFoundError, ValidationError
from ncen.pictures.hashing import to_signed
from ncen.pictures.models import Picture, PictureLink
from ncen.pictures.processing import DERIVATIVE_MIME, inspect_upload
from ncen.pictures.store import Kind, PictureMissingError, PictureStore
from ncen.policy import Action, require

RECORD_TYPE = "picture"
LINK_COLUMNS: Final = {
    "seizure": "seizure_id",
    "person": "person_id",
    "company": "company_id",
    "conveyance": "conveyance_id",
}
_EXTENSIONS: Final = {
    "image/jpeg": ".jpg",
    "image/png": ".png",
    "image/webp": ".webp",
    "image/gif": ".gif",
    "image/tiff": ".tif",
}
_PHASH: Final = re.compile(r"[0-9a-f]{16}")


@dataclass(frozen=True)
class AttachedPicture:
    """A picture as attached to one record; ``link_id`` is what `unlink_picture` takes."""

    link_id: uuid.UUID
    picture: Picture


@dataclass(frozen=True)
class PictureFile:
    """The bytes of one stored file, ready to send."""

    data: bytes = field(repr=False)
    mime_type: str
    sha256: str
    download_name: str


def record_key(
    *,
    seizure_id: uuid.UUID | None = None,
    person_id: uuid.UUID | None = None,
    company_id: uuid.UUID | None = None,
    conveyance_id: uuid.UUID | None = None,
) -> tuple[str, uuid.UUID]:
    """The one record named by the keyword arguments, as ``(record_type, id)``.

    Raises `ValidationError` (field ``record``) unless exactly one id is given.
    """
    given = [
        (record_type, record_id)
        for record_type, record_id in (
            ("seizure", seizure_id),
            ("person", person_id),
            ("company", company_id),
            ("conveyance", conveyance_id),
        )
        if record_id is not None
    ]
    if len(given) != 1:
        raise ValidationError(
            {"record": "name exactly one seizure, person, company or conveyance for the pictures"}
        )
    return given[0]


def pictures_for(
    session: Session,
    *,
    seizure_id: uuid.UUID | None = None,
    person_id: uuid.UUID | None = None,
    company_id: uuid.UUID | None = None,
    conveyance_id: uuid.UUID | None = None,
) -> list[AttachedPicture]:
    """The pictures attached to one record, oldest upload first. Reads only; no audit."""
    record_type, record_id = record_key(
        seizure_id=seizure_id,
        person_id=person_id,
        company_id=company_id,
        conveyance_id=conveyance_id,
    )
    column = getattr(PictureLink, LINK_COLUMNS[record_type])
    rows = session.execute(
        select(PictureLink.id, Picture)
        .join(Picture, Picture.id == PictureLink.picture_id)
        .where(column == record_id)
        .order_by(Picture.created_at, Picture.id)
    ).all()
    return [AttachedPicture(link_id=link_id, picture=picture) for link_id, picture in rows]


def get_picture(session: Session, picture_id: uuid.UUID) -> Picture:
    """The picture, or `NotFoundError`."""
    picture = session.get(Picture, picture_id)
    if picture is None:
        raise NotFoundError(RECORD_TYPE, picture_id)
    return picture


def links_of(session: Session, picture_id: uuid.UUID) -> list[PictureLink]:
    """Every record link of one picture (a picture may belong to several records)."""
    stmt = select(PictureLink).where(PictureLink.picture_id == picture_id).order_by(PictureLink.id)
    return list(session.execute(stmt).scalars())


def open_original(
    session: Session, actor: Actor, store: PictureStore, picture_id: uuid.UUID
) -> PictureFile:
    """The sealed original, byte for byte as uploaded, checked against its sha256.

    Requires ``DOWNLOAD_ORIGINAL_PICTURE``. Side effect: audits ``picture.download_original``
    (only once the file verified; a failed check raises and the caller's transaction rolls
    back). Raises `PermissionDeniedError`, `NotFoundError`, `PictureMissingError` or
    `PictureIntegrityError`.
    """
    require(actor, Action.DOWNLOAD_ORIGINAL_PICTURE)
    picture = get_picture(session, picture_id)
    data = store.read_original(picture.sha256)
    record_event(
        session,
        actor,
        "picture.download_original",
        record_type=RECORD_TYPE,
        record_id=picture.id,
        details={"sha256": picture.sha256, "size_bytes": picture.size_bytes},
    )
    extension = _EXTENSIONS.get(picture.mime_type, "")
    return PictureFile(
        data=data,
        mime_type=picture.mime_type,
        sha256=picture.sha256,
        download_name=f"picture-{picture.sha256[:16]}{extension}",
    )


def _derivative(
    session: Session, actor: Actor, store: PictureStore, picture_id: uuid.UUID, kind: Kind
) -> PictureFile:
    require(actor, Action.READ_RECORDS)
    picture = get_picture(session, picture_id)
    try:
        data = store.read_derivative(kind, picture.sha256)
    except PictureMissingError:
        # Derivatives are disposable (e.g. a backup kept only originals): rebuild them from the
        # verified original with the same checks as at upload. A missing original still raises.
        original = store.read_original(picture.sha256)
        probed = inspect_upload(
            original,
            max_bytes=len(original),
            max_pixels=max(1, picture.width * picture.height),
        )
        store.put_derivative(Kind.DISPLAY, picture.sha256, probed.display.data)
        store.put_derivative(Kind.THUMBNAIL, picture.sha256, probed.thumbnail.data)
        data = probed.display.data if kind is Kind.DISPLAY else probed.thumbnail.data
    suffix = "display" if kind is Kind.DISPLAY else "thumb"
    return PictureFile(
        data=data,
        mime_type=DERIVATIVE_MIME,
        sha256=picture.sha256,
        download_name=f"picture-{picture.sha256[:16]}-{suffix}.jpg",
    )


def open_display(
    session: Session, actor: Actor, store: PictureStore, picture_id: uuid.UUID
) -> PictureFile:
    """The display JPEG (metadata stripped, orientation applied, at most 1600 px).

    Requires ``READ_RECORDS``; not audited. Rebuilt from the original if missing.
    """
    return _derivative(session, actor, store, picture_id, Kind.DISPLAY)


def open_thumbnail(
    session: Session, actor: Actor, store: PictureStore, picture_id: uuid.UUID
) -> PictureFile:
    """The thumbnail JPEG (at most 320 px). Requires ``READ_RECORDS``; not audited."""
    return _derivative(session, actor, store, picture_id, Kind.THUMBNAIL)


def similar_pictures(
    session: Session, actor: Actor, phash: str, *, max_distance: int = 8, limit: int = 20
) -> list[tuple[Picture, int]]:
    """Pictures whose dHash is within ``max_distance`` (0..15) bits of ``phash``, nearest first.

    ``phash`` is a `Picture.phash` (the dHash as 16 hex digits). Searched through the dHash
    chunk indexes (`ncen.analysis.picture_index.dhash_statement`), so only pictures with a
    ``picture_hashes`` row are found. The combined pHash + dHash search, restricted to live
    seizures and audited, is `ncen.analysis.picture_search`. Requires ``READ_RECORDS``.
    Raises `ValidationError` for a malformed hash or distance.
    """

    require(actor, Action.READ_RECORDS)
    if not _PHASH.fullmatch(phash):
        raise ValidationError({"phash": "must be 16 lowercase hex digits"})
    if not 0 <= max_distance <= 15:
        raise ValidationError({"max_distance": "must be between 0 and 15"})
    rows = session.execute(
        dhash_statement(to_signed(phash), max_distance=max_distance, limit=limit)
    ).all()
    pictures = {
        p.id: p
        for p in session.execute(
            select(Picture).where(Picture.id.in_([r.picture_id for r in rows]))
        ).scalars()
    }
    return [(pictures[r.picture_id], int(r.dd)) for r in rows]

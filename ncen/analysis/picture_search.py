"""Find pictures that look like a stored picture or like an uploaded file that is not stored.

Both searches use the multi-index hash (`ncen.analysis.picture_index`) and return the best
matches first, each with its combined distance (pHash + dHash bits, 0..128), the two distances
and the live seizures that show it. Only pictures of live seizures are found: a deleted
seizure's pictures are hidden unless another live seizure shows them too.

Both need ``READ_RECORDS`` and audit the read like a list page (``picture.list``, with the
query and the pictures and seizures shown). An uploaded file goes through the same bounded
decoder as an upload (`ncen.pictures.processing.inspect_upload`) and is then dropped: it is
never written to the picture store nor to the database.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import BinaryIO, Final

from sqlalchemy import select
from sqlalchemy.orm import Session

from ncen.accounts.actor import Actor
from ncen.analysis.picture_index import (
    DEFAULT_MAX_DISTANCE,
    MAX_DISTANCE,
    Hashes,
    search_statement,
)
from ncen.errors import NotFoundError, ValidationError
from ncen.pictures.hashing import to_hex, to_signed
from ncen.pictures.models import Picture, PictureHash, PictureLink
from ncen.pictures.processing import PictureRejectedError, inspect_upload
from ncen.pictures.services import UploadLimits
from ncen.policy import Action, require
from ncen.reading import note_read
from ncen.seizures.models import Seizure

MAX_LIMIT: Final = 100


@dataclass(frozen=True)
class SeizureRef:
    """A live seizure that shows a picture."""

    id: uuid.UUID
    reference: str
    occurred_at: datetime
    origin_node: str | None


@dataclass(frozen=True)
class SimilarPicture:
    """One match: the picture, how far it is, and the seizures that show it."""

    picture: Picture
    distance: int
    phash_distance: int
    dhash_distance: int
    seizures: list[SeizureRef]


@dataclass(frozen=True)
class Query:
    """What was searched for: a stored picture's id, or an upload's sha256, and its hashes."""

    picture_id: uuid.UUID | None
    sha256: str
    phash: str
    dhash: str


def check_search(max_distance: int, limit: int) -> None:
    """Raise `ValidationError` for a threshold or a limit out of range."""
    errors = {}
    if not 0 <= max_distance <= MAX_DISTANCE:
        errors["max_distance"] = f"must be between 0 and {MAX_DISTANCE}"
    if not 1 <= limit <= MAX_LIMIT:
        errors["limit"] = f"must be between 1 and {MAX_LIMIT}"
    if errors:
        raise ValidationError(errors)


def live_seizures_of(
    session: Session, picture_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, list[SeizureRef]]:
    """The live seizures that show each picture, newest first. Reads only; no audit."""
    found: dict[uuid.UUID, list[SeizureRef]] = defaultdict(list)
    if not picture_ids:
        return found
    rows = session.execute(
        select(
            PictureLink.picture_id,
            Seizure.id,
            Seizure.reference,
            Seizure.occurred_at,
            Seizure.origin_node,
        )
        .join(Seizure, Seizure.id == PictureLink.seizure_id)
        .where(PictureLink.picture_id.in_(list(picture_ids)), Seizure.deleted_at.is_(None))
        .order_by(Seizure.occurred_at.desc(), Seizure.id)
    ).all()
    for picture_id, seizure_id, reference, occurred_at, origin_node in rows:
        found[picture_id].append(SeizureRef(seizure_id, reference, occurred_at, origin_node))
    return found


def _search(
    session: Session,
    actor: Actor,
    query: Query,
    *,
    max_distance: int,
    limit: int,
) -> list[SimilarPicture]:
    hashes = Hashes(to_signed(query.phash), to_signed(query.dhash))
    exclude = [query.picture_id] if query.picture_id else []
    rows = session.execute(
        search_statement(hashes, max_distance=max_distance, limit=limit, exclude=exclude)
    ).all()
    pictures = {
        p.id: p
        for p in session.execute(
            select(Picture).where(Picture.id.in_([r.picture_id for r in rows]))
        ).scalars()
    }
    seizures = live_seizures_of(session, list(pictures))
    hits = [
        SimilarPicture(pictures[r.picture_id], r.dp + r.dd, r.dp, r.dd, seizures[r.picture_id])
        for r in rows
    ]
    note_read(
        session,
        actor,
        "picture",
        details={
            "similar_to": str(query.picture_id) if query.picture_id else f"upload {query.sha256}",
            "max_distance": max_distance,
            "pictures": [str(h.picture.id) for h in hits],
            "seizures": sorted({s.reference for h in hits for s in h.seizures}),
        },
    )
    return hits


def similar_to_picture(
    session: Session,
    actor: Actor,
    picture_id: uuid.UUID,
    *,
    max_distance: int = DEFAULT_MAX_DISTANCE,
    limit: int = 20,
) -> tuple[Query, list[SimilarPicture]]:
    """The pictures nearest a stored one (itself excluded), best first.

    Requires ``READ_RECORDS``. Raises `NotFoundError` when the picture does not exist or no
    live seizure shows it, `ValidationError` for a bad threshold or limit, or when the picture
    has no hashes yet (``ncen pictures rehash``). Side effect: one audit event.
    """
    require(actor, Action.READ_RECORDS)
    check_search(max_distance, limit)
    picture = session.get(Picture, picture_id)
    if picture is None or not live_seizures_of(session, [picture_id]):
        raise NotFoundError("picture", picture_id)
    row = session.get(PictureHash, picture_id)
    if row is None:
        raise ValidationError(
            {"picture": "this picture has no perceptual hash yet: run `ncen pictures rehash`"}
        )
    query = Query(picture_id, picture.sha256, to_hex(row.phash), to_hex(row.dhash))
    return query, _search(session, actor, query, max_distance=max_distance, limit=limit)


def similar_to_upload(
    session: Session,
    actor: Actor,
    data: bytes | BinaryIO,
    limits: UploadLimits,
    *,
    max_distance: int = DEFAULT_MAX_DISTANCE,
    limit: int = 20,
) -> tuple[Query, list[SimilarPicture]]:
    """The stored pictures nearest an uploaded file, best first; the file is not kept.

    The file is checked by content with the upload limits (type, bytes, pixels, decode
    memory). Requires ``READ_RECORDS``. Raises `ValidationError` (``file``: not a picture,
    empty, damaged, too large; ``max_distance``, ``limit``). Side effect: one audit event
    naming the file by its sha256; nothing is stored.
    """
    require(actor, Action.READ_RECORDS)
    check_search(max_distance, limit)
    try:
        probed = inspect_upload(
            data,
            max_bytes=limits.max_upload_mb * 2**20,
            max_pixels=limits.max_picture_pixels,
        )
    except PictureRejectedError as exc:
        raise ValidationError({"file": str(exc)}) from exc
    query = Query(None, probed.sha256, probed.dct_hash, probed.phash)
    return query, _search(session, actor, query, max_distance=max_distance, limit=limit)

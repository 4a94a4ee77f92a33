"""Compute the perceptual hashes of stored pictures that have none yet (``ncen pictures rehash``).

Pictures stored before the similarity index existed have no ``picture_hashes`` row, and a
migration cannot make one: it sees the database, not the picture store on disk. This step reads
each such picture's sealed original (verified against its sha256), decodes it with the same
bounded decoder as an upload and writes the row. ``ncen serve`` runs it at start-up after the
migrations, like the other start-up steps; once every picture has its row it costs one query.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import Engine, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Session

from ncen.pictures.hashing import hash_row
from ncen.pictures.models import Picture, PictureHash
from ncen.pictures.processing import PictureRejectedError, inspect_upload
from ncen.pictures.store import PictureStore, PictureStoreError

logger = logging.getLogger(__name__)
_BATCH = 50


@dataclass
class RehashReport:
    """How many pictures got their hashes, and the ones that could not be read."""

    hashed: int = 0
    failed: dict[str, str] = field(default_factory=dict)


def rehash_some(
    session: Session,
    store: PictureStore,
    report: RehashReport,
    *,
    limit: int = _BATCH,
    skip: frozenset[object] = frozenset(),
) -> list[object]:
    """Hash up to ``limit`` pictures without hashes (except ids in ``skip``) in ``session``.

    Returns the ids it tried; a picture whose original is missing or unreadable is recorded in
    ``report.failed`` (sha256 -> reason) and left without hashes. The caller commits.
    """
    stmt = (
        select(Picture.id, Picture.sha256, Picture.width, Picture.height)
        .where(~select(PictureHash).where(PictureHash.picture_id == Picture.id).exists())
        .order_by(Picture.id)
        .limit(limit + len(skip))
    )
    todo = [r for r in session.execute(stmt).all() if r.id not in skip][:limit]
    for row in todo:
        try:
            original = store.read_original(row.sha256)
            probed = inspect_upload(
                original, max_bytes=len(original), max_pixels=max(1, row.width * row.height)
            )
        except (PictureStoreError, PictureRejectedError, OSError) as exc:
            logger.warning("picture %s not hashed: %s", row.sha256, exc)
            report.failed[row.sha256] = str(exc)
            continue
        session.execute(
            insert(PictureHash)
            .values(hash_row(row.id, probed.dct_hash, probed.phash))
            .on_conflict_do_nothing(index_elements=[PictureHash.picture_id])
        )
        report.hashed += 1
    return [row.id for row in todo]


def rehash_missing(
    engine: Engine,
    store: PictureStore,
    *,
    progress: Callable[[int], None] | None = None,
) -> RehashReport:
    """Hash every picture without a ``picture_hashes`` row; one transaction per batch.

    A picture that cannot be read is reported and skipped, so one bad file never stops the
    node from starting. Idempotent.
    """
    report = RehashReport()
    tried: set[object] = set()
    while True:
        with Session(engine) as session, session.begin():
            batch = rehash_some(session, store, report, skip=frozenset(tried))
        if not batch:
            return report
        tried.update(batch)
        if progress is not None:
            progress(report.hashed)

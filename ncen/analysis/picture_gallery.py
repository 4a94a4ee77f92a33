"""The gallery of seizure pictures, and near-duplicates across received and national pictures.

`gallery_page` lists the pictures of live seizures, filtered like the seizure list (commodity
group, route country, transport mode, date, provenance) and by concealment method (the
picture's own, or one recorded on its seizure), newest seizure first; one row per picture and
seizure. It needs ``READ_RECORDS`` and audits the read like a list page.

A *cross near-duplicate* is a pair of pictures within `DEFAULT_MAX_DISTANCE` of each other
(`ncen.analysis.picture_index`), one shown by a received seizure (``origin_node`` set) and the
other by a national one; the same file shown by both counts too (distance 0). `duplicate_flags`
marks them for a page of pictures with one indexed query per side; `cross_duplicates` lists
them for the whole collection, checking received pictures in batches up to a stated cap.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Final

from sqlalchemy import exists, func, select
from sqlalchemy.orm import Session

from ncen.accounts.actor import Actor
from ncen.analysis.picture_index import (
    DEFAULT_MAX_DISTANCE,
    Hashes,
    candidates_statement,
    near,
    provenance_condition,
)
from ncen.analysis.picture_search import SeizureRef, live_seizures_of
from ncen.pictures.models import Picture, PictureHash, PictureLink
from ncen.policy import Action, require
from ncen.reading import note_read
from ncen.seizures.models import Seizure, SeizureConcealment
from ncen.seizures.queries import SeizureFilters, list_statement
from ncen.validation import check_filter_texts

PER_PAGE: Final = 48
SCAN_CAP: Final = 2_000  # received pictures checked by `cross_duplicates` per request
_BATCH: Final = 100


@dataclass(frozen=True)
class GalleryItem:
    """One picture as shown by one live seizure."""

    picture: Picture
    seizure: Seizure


@dataclass(frozen=True)
class GalleryPage:
    """One page of the gallery, with the near-duplicate flags of its pictures."""

    items: list[GalleryItem]
    number: int
    per_page: int
    total: int
    duplicates: dict[uuid.UUID, list[tuple[uuid.UUID, int]]] = field(default_factory=dict)

    @property
    def pages(self) -> int:
        """How many pages there are (at least 1)."""
        return max(1, -(-self.total // self.per_page))

    @property
    def has_prev(self) -> bool:
        """True if there is an earlier page."""
        return self.number > 1

    @property
    def has_next(self) -> bool:
        """True if there is a later page."""
        return self.number < self.pages


def gallery_page(
    session: Session,
    actor: Actor,
    filters: SeizureFilters,
    *,
    concealment_method: str | None = None,
    number: int = 1,
    per_page: int = PER_PAGE,
) -> GalleryPage:
    """Page ``number`` of the pictures of live seizures matching the filters, newest first.

    Requires ``READ_RECORDS`` (raises `PermissionDeniedError`); `ValidationError` for a
    hostile concealment text. Side effect: audits ``seizure.list`` with the filters and the
    seizures shown.
    """
    require(actor, Action.READ_RECORDS)
    check_filter_texts({"concealment_method": concealment_method})
    # The seizure list's own statement (live seizures, the same filters), joined to pictures.
    stmt = (
        list_statement(filters)
        .join(PictureLink, PictureLink.seizure_id == Seizure.id)
        .join(Picture, Picture.id == PictureLink.picture_id)
        .add_columns(Picture)
        .order_by(None)
    )
    if concealment_method:
        recorded = exists(
            select(1).where(
                SeizureConcealment.seizure_id == Seizure.id,
                SeizureConcealment.method == concealment_method,
            )
        )
        stmt = stmt.where((Picture.concealment_method == concealment_method) | recorded)
    total = session.execute(select(func.count()).select_from(stmt.subquery())).scalar_one()
    rows = session.execute(
        stmt.order_by(Seizure.occurred_at.desc(), Seizure.id, Picture.created_at, Picture.id)
        .limit(per_page)
        .offset((number - 1) * per_page)
    ).all()
    items = [GalleryItem(picture, seizure) for seizure, picture in rows]
    described = filters.describe()
    if concealment_method:
        described["concealment_method"] = concealment_method
    note_read(
        session,
        actor,
        "seizure",
        details={
            "view": "picture gallery",
            **described,
            "page": number,
            "seizures": sorted({i.seizure.reference for i in items}),
        },
    )
    flags = duplicate_flags(session, [i.picture.id for i in items])
    return GalleryPage(items, number, per_page, int(total), flags)


def _hashes(session: Session, ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, Hashes]:
    rows = session.execute(
        select(PictureHash.picture_id, PictureHash.phash, PictureHash.dhash).where(
            PictureHash.picture_id.in_(list(ids))
        )
    ).all()
    return {r.picture_id: Hashes(r.phash, r.dhash) for r in rows}


def _sides(session: Session, ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, set[str]]:
    """``national`` and/or ``foreign``: the provenances of the live seizures of each picture."""
    sides: dict[uuid.UUID, set[str]] = defaultdict(set)
    for picture_id, refs in live_seizures_of(session, ids).items():
        for ref in refs:
            sides[picture_id].add("foreign" if ref.origin_node else "national")
    return sides


def _pairs(
    session: Session, queries: dict[uuid.UUID, Hashes], other_side: str, max_distance: int
) -> dict[uuid.UUID, list[tuple[uuid.UUID, int]]]:
    """For each query picture, the pictures of ``other_side`` within ``max_distance``."""
    found: dict[uuid.UUID, list[tuple[uuid.UUID, int]]] = defaultdict(list)
    if not queries:
        return found
    rows = session.execute(
        candidates_statement(
            list(queries.values()), max_distance=max_distance, provenance=other_side
        )
    ).all()
    for picture_id, query in queries.items():
        for row in rows:
            dp, dd = near(query, Hashes(row.phash, row.dhash))
            if dp + dd <= max_distance:
                # The same file on both sides is its own cross near-duplicate (distance 0).
                found[picture_id].append((row.picture_id, dp + dd))
        found[picture_id].sort(key=lambda pair: (pair[1], str(pair[0])))
    return found


def duplicate_flags(
    session: Session, picture_ids: Sequence[uuid.UUID], *, max_distance: int = DEFAULT_MAX_DISTANCE
) -> dict[uuid.UUID, list[tuple[uuid.UUID, int]]]:
    """The cross near-duplicates of each given picture: ``{id: [(other id, distance)]}``.

    Only pictures that have one appear. Reads only; no audit (the caller's page audits). No
    statement at all for no pictures (most record pages have none).
    """
    if not picture_ids:
        return {}
    hashes = _hashes(session, picture_ids)
    sides = _sides(session, list(hashes))
    flags: dict[uuid.UUID, list[tuple[uuid.UUID, int]]] = {}
    for side, other in (("foreign", "national"), ("national", "foreign")):
        queries = {i: h for i, h in hashes.items() if side in sides.get(i, set())}
        for picture_id, pairs in _pairs(session, queries, other, max_distance).items():
            if pairs:
                merged = dict(flags.get(picture_id, [])) | dict(pairs)
                flags[picture_id] = sorted(merged.items(), key=lambda p: (p[1], str(p[0])))
    return flags


@dataclass(frozen=True)
class DuplicatePair:
    """A received picture and a national one within the threshold."""

    received: Picture
    national: Picture
    distance: int
    received_seizures: list[SeizureRef]
    national_seizures: list[SeizureRef]


@dataclass(frozen=True)
class DuplicateList:
    """Pairs found, nearest first, and how many received pictures were checked."""

    pairs: list[DuplicatePair]
    checked: int
    capped: bool


def cross_duplicates(
    session: Session,
    actor: Actor,
    *,
    max_distance: int = DEFAULT_MAX_DISTANCE,
    limit: int = 200,
    scan_cap: int = SCAN_CAP,
) -> DuplicateList:
    """Received pictures with a national near-duplicate, nearest pairs first.

    The newest ``scan_cap`` received pictures are checked, ``_BATCH`` per indexed query;
    ``capped`` says more exist. Requires ``READ_RECORDS``. Side effect: audits
    ``picture.list`` with the pairs shown.
    """
    require(actor, Action.READ_RECORDS)
    received_ids = list(
        session.execute(
            select(PictureHash.picture_id)
            .join(Picture, Picture.id == PictureHash.picture_id)
            .where(provenance_condition("foreign"))
            .order_by(Picture.created_at.desc(), Picture.id)
            .limit(scan_cap + 1)
        ).scalars()
    )
    capped = len(received_ids) > scan_cap
    received_ids = received_ids[:scan_cap]
    found: list[tuple[int, uuid.UUID, uuid.UUID]] = []
    for start in range(0, len(received_ids), _BATCH):
        queries = _hashes(session, received_ids[start : start + _BATCH])
        for received, pairs in _pairs(session, queries, "national", max_distance).items():
            found.extend((d, received, other) for other, d in pairs)
    found.sort(key=lambda t: (t[0], str(t[1]), str(t[2])))
    found = found[:limit]
    ids = list({i for _, a, b in found for i in (a, b)})
    pictures: dict[Any, Picture] = {
        p.id: p for p in session.execute(select(Picture).where(Picture.id.in_(ids))).scalars()
    }
    seizures = live_seizures_of(session, ids)
    result = [
        DuplicatePair(
            pictures[a],
            pictures[b],
            d,
            [s for s in seizures[a] if s.origin_node],
            [s for s in seizures[b] if not s.origin_node],
        )
        for d, a, b in found
    ]
    note_read(
        session,
        actor,
        "picture",
        details={
            "view": "received and national near-duplicates",
            "pairs": [[str(p.received.id), str(p.national.id)] for p in result],
            "seizures": sorted(
                {s.reference for p in result for s in p.received_seizures + p.national_seizures}
            ),
        },
    )
    return DuplicateList(result, len(received_ids), capped)

"""Nearest pictures by perceptual hash, through a multi-index hash in PostgreSQL (no scan).

**Distance.** A picture is described by two 64-bit hashes, pHash (DCT) and dHash
(`ncen.pictures.hashing`). The distance between two pictures is the *sum* of the two Hamming
distances (0..128): a re-encoded, resized, slightly cropped or brightened copy moves each hash
by a few bits, so the sum stays small, while an unrelated picture is about 32 bits away on
each. Summing lets either hash vouch for a match the other is less sure of (a crop moves the
dHash more than the pHash; a gradient edit the reverse) without either alone deciding.

**Index (multi-index hashing).** Each hash is stored with its four 16-bit chunks in indexed
integer columns (`ncen.pictures.models.PictureHash`). If ``dp + dd <= T`` then
``min(dp, dd) <= T // 2 = R`` (else the sum would exceed ``T``), and a hash within ``R`` bits
differs by at most ``R // 4`` bits on at least one of its four chunks (pigeonhole). So the
search asks each of the eight chunk indexes for the values within ``R // 4`` bits of the
query's chunk (137 values per chunk at ``T = 22``), PostgreSQL ORs the bitmap index scans, and
only those candidates get their exact distances computed. Every picture within ``T`` is among
the candidates: the search is exact, not approximate (recall 1 against a full scan with the
same threshold; `scan_statement` is that scan, for tests and benchmarks).

Why not the alternatives: a BK-tree or VP-tree needs a structure outside PostgreSQL (kept in
step with every write and rebuilt per process); pgvector's ``bit`` type with an HNSW index is
approximate and is not available on every PostgreSQL 15+ server a node may use (the embedded
wheel ships pgvector 0.8, but as an untrusted extension only a superuser can create). Measured
at 100,000 pictures (``benchmarks/bench_pictures.py --pgvector``, results/pictures-100k.txt):
this index p95 10.6-16 ms with recall 1.0, a full scan 23-35 ms (same runs), HNSW 6 ms but a
54 s build, no seizure filter inside the index, and one query of 200 that found nothing.
"""

from __future__ import annotations

import itertools
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any, Final

from sqlalchemy import (
    BigInteger,
    ColumnElement,
    Integer,
    Select,
    and_,
    any_,
    cast,
    exists,
    func,
    literal,
    or_,
    select,
)
from sqlalchemy.dialects.postgresql import ARRAY, BIT

from ncen.pictures.hashing import CHUNK_BITS, CHUNKS, chunks, distance
from ncen.pictures.models import Picture, PictureHash, PictureLink
from ncen.seizures.models import Seizure

DEFAULT_MAX_DISTANCE: Final = 22  # of 128: a 3 % crop is ~11, an unrelated picture ~60
MAX_DISTANCE: Final = 30  # the widest radius offered: 4 chunks x 697 probe values per hash
PROVENANCES: Final = ("any", "national", "foreign")


@dataclass(frozen=True)
class Hashes:
    """The two hashes of one picture as signed 64-bit integers."""

    phash: int
    dhash: int


@dataclass(frozen=True)
class Neighbour:
    """One picture near a query: its id and how far each hash is."""

    picture_id: Any
    phash_distance: int
    dhash_distance: int

    @property
    def distance(self) -> int:
        """The combined distance (0..128) that ranks results."""
        return self.phash_distance + self.dhash_distance


@cache
def _masks(radius: int) -> tuple[int, ...]:
    """Every 16-bit mask with at most ``radius`` bits set (1, 17, 137, 697 for 0..3)."""
    found = [0]
    for k in range(1, radius + 1):
        for bits in itertools.combinations(range(CHUNK_BITS), k):
            found.append(sum(1 << b for b in bits))
    return tuple(found)


def chunk_radius(max_distance: int) -> int:
    """How many bits a chunk may differ by for a combined distance of ``max_distance``."""
    return (max_distance // 2) // CHUNKS


def probe_condition(queries: Iterable[Hashes], max_distance: int) -> ColumnElement[bool]:
    """``p0 = ANY(...) OR ... OR d3 = ANY(...)``: the chunk values near any of ``queries``.

    Each arm is answered by one chunk's B-tree index; the planner ORs the bitmaps.
    """
    masks = _masks(chunk_radius(max_distance))
    values: dict[str, set[int]] = {f"{k}{i}": set() for k in "pd" for i in range(CHUNKS)}
    for query in queries:
        for kind, value in (("p", query.phash), ("d", query.dhash)):
            for i, chunk in enumerate(chunks(value)):
                values[f"{kind}{i}"].update(chunk ^ m for m in masks)
    arms = [
        getattr(PictureHash, name) == any_(cast(sorted(found), ARRAY(Integer)))
        for name, found in values.items()
    ]
    return or_(*arms)


def _bits(a: Any, b: int) -> ColumnElement[int]:
    return func.bit_count(cast(a.op("#")(literal(b, BigInteger)), BIT(64)), type_=Integer)


def provenance_condition(
    provenance: str, picture_id: ColumnElement[uuid.UUID] | None = None
) -> ColumnElement[bool]:
    """The picture (``picture_id``, default ``picture_hashes.picture_id``) belongs to a live
    seizure of that provenance (``any``: national or foreign).

    Deleted seizures never count, so their pictures stay hidden unless another live seizure
    shows them too.
    """
    if provenance not in PROVENANCES:
        raise ValueError(f"unknown provenance {provenance!r}")
    picture = PictureHash.picture_id if picture_id is None else picture_id
    conditions = [PictureLink.picture_id == picture, Seizure.deleted_at.is_(None)]
    if provenance == "national":
        conditions.append(Seizure.origin_node.is_(None))
    elif provenance == "foreign":
        conditions.append(Seizure.origin_node.is_not(None))
    return exists(
        select(1)
        .select_from(PictureLink)
        .join(Seizure, Seizure.id == PictureLink.seizure_id)
        .where(and_(*conditions))
    )


def _statement(
    query: Hashes, max_distance: int, limit: int, provenance: str, exclude: Sequence[Any]
) -> Select[uuid.UUID, int, int]:
    dp = _bits(PictureHash.phash, query.phash).label("dp")
    dd = _bits(PictureHash.dhash, query.dhash).label("dd")
    stmt = (
        select(PictureHash.picture_id, dp, dd)
        .where((dp + dd) <= max_distance, provenance_condition(provenance))
        .order_by((dp + dd), dp, PictureHash.picture_id)
        .limit(limit)
    )
    if exclude:
        stmt = stmt.where(PictureHash.picture_id.not_in(list(exclude)))
    return stmt


def search_statement(
    query: Hashes,
    *,
    max_distance: int = DEFAULT_MAX_DISTANCE,
    limit: int = 10,
    provenance: str = "any",
    exclude: Sequence[Any] = (),
) -> Select[uuid.UUID, int, int]:
    """The indexed search: rows ``(picture_id, dp, dd)``, nearest first, at most ``limit``.

    The near pictures are found first, through the chunk indexes alone, in a MATERIALIZED
    CTE; only they are then checked for a live seizure. Written as one flat query, the planner
    may instead start from the seizures and test every picture of every live seizure (it did,
    on a node whose pictures were few seizures'), which is a scan by another name.
    """
    check_distance(max_distance)
    dp = _bits(PictureHash.phash, query.phash).label("dp")
    dd = _bits(PictureHash.dhash, query.dhash).label("dd")
    near = (
        select(PictureHash.picture_id, dp, dd)
        .where(probe_condition([query], max_distance), (dp + dd) <= max_distance)
        .cte("near")
        .prefix_with("MATERIALIZED")
    )
    stmt = (
        select(near.c.picture_id, near.c.dp, near.c.dd)
        .where(provenance_condition(provenance, near.c.picture_id))
        .order_by(near.c.dp + near.c.dd, near.c.dp, near.c.picture_id)
        .limit(limit)
    )
    if exclude:
        stmt = stmt.where(near.c.picture_id.not_in(list(exclude)))
    return stmt


def scan_statement(
    query: Hashes,
    *,
    max_distance: int = DEFAULT_MAX_DISTANCE,
    limit: int = 10,
    provenance: str = "any",
    exclude: Sequence[Any] = (),
) -> Select[uuid.UUID, int, int]:
    """The same search as a full scan (the baseline that tests and benchmarks compare with)."""
    check_distance(max_distance)
    return _statement(query, max_distance, limit, provenance, exclude)


def check_distance(max_distance: int) -> None:
    """Raise ``ValueError`` for a threshold outside 0..`MAX_DISTANCE`."""
    if not 0 <= max_distance <= MAX_DISTANCE:
        raise ValueError(f"the distance must be between 0 and {MAX_DISTANCE}")


def candidates_statement(
    queries: Sequence[Hashes], *, max_distance: int, provenance: str
) -> Select[uuid.UUID, int, int]:
    """One indexed query for many pictures at once: rows ``(picture_id, phash, dhash)``.

    Returns a superset of the pictures within ``max_distance`` of any query; `near` sorts
    out which are near which. Used to flag near-duplicates on a whole gallery page.
    """
    check_distance(max_distance)
    return select(PictureHash.picture_id, PictureHash.phash, PictureHash.dhash).where(
        probe_condition(queries, max_distance), provenance_condition(provenance)
    )


def near(query: Hashes, other: Hashes) -> tuple[int, int]:
    """The two Hamming distances ``(dp, dd)`` between two pictures, computed in Python."""
    return distance(query.phash, other.phash), distance(query.dhash, other.dhash)


def dhash_statement(dhash: int, *, max_distance: int, limit: int) -> Select[uuid.UUID, int]:
    """Pictures whose dHash alone is within ``max_distance`` (0..15) bits: ``(picture_id, dd)``.

    The same multi-index hash on the dHash chunks only (radius ``max_distance // 4`` per chunk);
    the older dHash-only lookup `ncen.pictures.queries.similar_pictures` runs on it.
    """
    if not 0 <= max_distance <= 15:
        raise ValueError("the dHash distance must be between 0 and 15")
    masks = _masks(max_distance // CHUNKS)
    dd = _bits(PictureHash.dhash, dhash).label("dd")
    arms = [
        getattr(PictureHash, f"d{i}") == any_(cast(sorted({c ^ m for m in masks}), ARRAY(Integer)))
        for i, c in enumerate(chunks(dhash))
    ]
    return (
        select(PictureHash.picture_id, dd)
        .join(Picture, Picture.id == PictureHash.picture_id)
        .where(or_(*arms), dd <= max_distance)
        .order_by(dd, Picture.created_at, Picture.id)
        .limit(limit)
    )

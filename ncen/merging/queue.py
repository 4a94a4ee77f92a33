"""The stored queue of duplicate candidates: scanned window by window, read best first.

Searching every record for its duplicates at each visit of the duplicates page cannot rank the
node's pairs against each other: a page could only show the candidates of a window of records.
Instead `scan_window` examines the next window of live national records in the order they
change (keyset on ``updated_at, id``, remembered in `DuplicateScan`), computes their candidates
exactly as the page did (`ncen.merging.candidates`: search retrieval, duplicate evidence),
replaces the stored pairs of those records with the new ones scoring at least
`DEFAULT_MIN_SCORE` (pairs judged "not the same" are left out) and moves the mark. Each call is
one bounded unit of work and one transaction of the caller: ``ncen duplicates scan`` runs it
until every changed record is examined (for a timer, like ``ncen watch check``), and a run
examines only records changed since the last. `queued_pairs` reads a page of the stored pairs
of live records, best first, so the page costs the same whatever the number of pairs.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, or_, select, tuple_
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Session, aliased

from ncen.accounts.actor import Actor
from ncen.audit import record_event
from ncen.companies.models import Company, CompanyName
from ncen.db import utcnow
from ncen.merging.candidates import (
    DEFAULT_MIN_SCORE,
    DEFAULT_WINDOW,
    Candidate,
    judge_hits,
    name_hits,
    options_for,
    rejected_pairs,
)
from ncen.merging.evidence import Evidence
from ncen.merging.models import DuplicatePair, DuplicateScan
from ncen.persons.models import Person, PersonName
from ncen.policy import Action, require
from ncen.search.results import display_names


@dataclass(frozen=True, slots=True)
class QueuedPair:
    """A stored candidate as the page shows it (names read now, score as last computed)."""

    record_type: str
    record_id: uuid.UUID
    record_name: str
    other_id: uuid.UUID
    other_name: str
    score: float
    evidence: tuple[Evidence, ...]
    computed_at: datetime
    explanation: None = None  # the compare page recomputes the pair with its explanation

    @property
    def evidence_for(self) -> tuple[Evidence, ...]:
        """The evidence that the two records are one."""
        return tuple(e for e in self.evidence if e.direction == "for")

    @property
    def evidence_against(self) -> tuple[Evidence, ...]:
        """The evidence that they are two."""
        return tuple(e for e in self.evidence if e.direction == "against")


def _model(record_type: str) -> Any:
    return Person if record_type == "person" else Company


def _best_pairs(
    candidates: list[Candidate], rejected: set[tuple[uuid.UUID, uuid.UUID]]
) -> dict[tuple[uuid.UUID, uuid.UUID], Candidate]:
    best: dict[tuple[uuid.UUID, uuid.UUID], Candidate] = {}
    for c in candidates:
        if c.score < DEFAULT_MIN_SCORE or c.pair in rejected:
            continue
        known = best.get(c.pair)
        if known is None or c.score > known.score:
            best[c.pair] = c
    return best


def scan_window(
    session: Session, actor: Actor, record_type: str, *, window: int = DEFAULT_WINDOW
) -> int:
    """Examine the next ``window`` records changed since the mark; return how many (0: done).

    Needs ``MERGE_RECORDS``. Locks the mark row, so two scans of one type run one after the
    other. Writes: the stored pairs of the examined records (replaced), the mark, and a
    ``duplicates.scan`` audit event naming the number of records and pairs (not who).
    """
    require(actor, Action.MERGE_RECORDS)
    model = _model(record_type)
    mark = session.get(DuplicateScan, record_type, with_for_update=True)
    stmt = select(model).where(model.deleted_at.is_(None), model.origin_node.is_(None))
    if mark is not None:
        after = (mark.scanned_until, mark.scanned_until_id)
        stmt = stmt.where(tuple_(model.updated_at, model.id) > after)
    records = list(
        session.execute(stmt.order_by(model.updated_at, model.id).limit(window)).scalars()
    )
    if not records:
        return 0
    options = options_for(record_type, DEFAULT_MIN_SCORE, 10)
    found = {r.id: (r, name_hits(session, r, options)) for r in records}
    best = _best_pairs(
        judge_hits(session, record_type, found), rejected_pairs(session, record_type)
    )
    ids = [r.id for r in records]
    session.execute(
        delete(DuplicatePair).where(
            DuplicatePair.record_type == record_type,
            or_(DuplicatePair.record_a_id.in_(ids), DuplicatePair.record_b_id.in_(ids)),
        )
    )
    now = utcnow()
    if best:
        rows = [
            {
                "record_type": record_type,
                "record_a_id": a,
                "record_b_id": b,
                "score": c.score,
                "name_score": c.explanation.name_score,
                "evidence": [e.as_dict() for e in c.evidence],
                "computed_at": now,
            }
            for (a, b), c in best.items()
        ]
        stmt_insert = insert(DuplicatePair).values(rows)
        session.execute(
            stmt_insert.on_conflict_do_update(
                index_elements=["record_type", "record_a_id", "record_b_id"],
                set_={c: stmt_insert.excluded[c] for c in ("score", "name_score", "evidence")}
                | {"computed_at": now},
            )
        )
    last = records[-1]
    if mark is None:
        mark = DuplicateScan(record_type=record_type)
        session.add(mark)
    mark.scanned_until, mark.scanned_until_id, mark.scanned_at = last.updated_at, last.id, now
    session.flush()
    record_event(
        session,
        actor,
        "duplicates.scan",
        record_type=record_type,
        details={"records": len(records), "pairs": len(best)},
    )
    return len(records)


def reset_scan(session: Session, actor: Actor, record_type: str) -> None:
    """Forget the mark, so that the next scans examine every record again (after a change of
    the scoring). The stored pairs stay until their records are examined again."""
    require(actor, Action.MERGE_RECORDS)
    session.execute(delete(DuplicateScan).where(DuplicateScan.record_type == record_type))


def last_scan(session: Session, record_type: str) -> DuplicateScan | None:
    """The mark of the scan of ``record_type``, or None if it never ran."""
    return session.get(DuplicateScan, record_type)


def waiting(session: Session, record_type: str, mark: DuplicateScan | None) -> int:
    """How many live national records changed since the mark (the next scan's work)."""
    model = _model(record_type)
    stmt = (
        select(func.count())
        .select_from(model)
        .where(model.deleted_at.is_(None), model.origin_node.is_(None))
    )
    if mark is not None:
        stmt = stmt.where(
            tuple_(model.updated_at, model.id) > (mark.scanned_until, mark.scanned_until_id)
        )
    return int(session.execute(stmt).scalar_one())


def forget_pair(session: Session, record_type: str, a: uuid.UUID, b: uuid.UUID) -> None:
    """Remove a stored pair (judged "not the same": it is not proposed again)."""
    first, second = (a, b) if str(a) < str(b) else (b, a)
    session.execute(
        delete(DuplicatePair).where(
            DuplicatePair.record_type == record_type,
            DuplicatePair.record_a_id == first,
            DuplicatePair.record_b_id == second,
        )
    )


def queued_pairs(
    session: Session, record_type: str, *, offset: int = 0, limit: int = DEFAULT_WINDOW
) -> tuple[list[QueuedPair], int]:
    """A page of the stored pairs whose two records are live, best first, and their number.

    Reads only; the caller checks the right to see them and audits what it shows.
    """
    model = _model(record_type)
    first, second = aliased(model), aliased(model)
    live = (
        select(DuplicatePair)
        .join(first, first.id == DuplicatePair.record_a_id)
        .join(second, second.id == DuplicatePair.record_b_id)
        .where(
            DuplicatePair.record_type == record_type,
            first.deleted_at.is_(None),
            second.deleted_at.is_(None),
        )
    )
    total = session.execute(select(func.count()).select_from(live.subquery())).scalar_one()
    rows = session.execute(
        live.order_by(
            DuplicatePair.score.desc(),
            DuplicatePair.name_score.desc(),
            DuplicatePair.record_a_id,
            DuplicatePair.record_b_id,
        )
        .offset(offset)
        .limit(limit)
    ).scalars()
    pairs = list(rows)
    names = _names(session, record_type, {i for p in pairs for i in (p.record_a_id, p.record_b_id)})
    return [
        QueuedPair(
            record_type,
            p.record_a_id,
            names.get(p.record_a_id, ""),
            p.record_b_id,
            names.get(p.record_b_id, ""),
            p.score,
            tuple(
                Evidence(str(e["code"]), float(e["delta"]), str(e["detail"])) for e in p.evidence
            ),
            p.computed_at,
        )
        for p in pairs
    ], int(total)


def _names(session: Session, record_type: str, ids: set[uuid.UUID]) -> dict[uuid.UUID, str]:
    if record_type == "person":
        return display_names(session, PersonName, PersonName.person_id, list(ids))
    return display_names(session, CompanyName, CompanyName.company_id, list(ids))

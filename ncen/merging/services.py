"""Merge and unmerge persons or companies, and the ledger of decisions about pairs.

`merge` re-points every link of the merged record to the survivor (`ncen.merging.links`),
soft-marks the merged record as deleted and keeps both records' snapshots and every moved or
dropped link in a `Merge`; `unmerge` puts all of it back, so both records and all their links
are as they were. Both are supervisor actions (``MERGE_RECORDS``), write a history version of
each record, an audit event, and a ledger line. Foreign records are never merged.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ncen.accounts.actor import Actor
from ncen.audit import record_event
from ncen.companies.models import CompanyName
from ncen.companies.services import COMPANY
from ncen.db import utcnow
from ncen.errors import NotFoundError, ValidationError
from ncen.history import ChangeKind
from ncen.merging.candidates import RECORD_TYPES, ordered
from ncen.merging.links import link_rows, move_links, restore_links
from ncen.merging.models import Decision, Merge, MergeDecision
from ncen.merging.queue import forget_pair
from ncen.persons.models import PersonName
from ncen.persons.services import PERSON
from ncen.policy import Action, require
from ncen.recordkeeping import RecordKind, commit_change, jsonable_dict, load_for_update
from ncen.search.results import display_names

MAX_EVIDENCE = 2000


def record_kind(record_type: str) -> RecordKind[Any]:
    """The `RecordKind` of a mergeable record type; `ValidationError` for any other."""
    if record_type not in RECORD_TYPES:
        raise ValidationError({"record_type": "only persons and companies can be merged"})
    return PERSON if record_type == "person" else COMPANY


def full_snapshot(session: Session, record_type: str, record_id: uuid.UUID) -> dict[str, Any]:
    """The record's snapshot and all its links, as JSON (what unmerge restores)."""
    kind = record_kind(record_type)
    record = session.get(kind.model, record_id)
    if record is None:
        raise NotFoundError(record_type, record_id)
    return {"record": kind.snapshot(record), "links": link_rows(session, record_type, record_id)}


def _evidence(evidence: Mapping[str, Any] | None) -> dict[str, Any]:
    data = jsonable_dict(evidence or {})
    note = data.get("note")
    if isinstance(note, str) and len(note) > MAX_EVIDENCE:
        raise ValidationError({"note": f"use at most {MAX_EVIDENCE} characters"})
    return data


def _ledger(
    session: Session,
    actor: Actor,
    record_type: str,
    a: uuid.UUID,
    b: uuid.UUID,
    *,
    decision: Decision,
    score: float | None,
    evidence: Mapping[str, Any],
) -> MergeDecision:
    first, second = ordered(a, b)
    line = MergeDecision(
        id=uuid.uuid4(),
        record_type=record_type,
        record_a_id=first,
        record_b_id=second,
        decision=decision,
        score=score,
        evidence=dict(evidence),
        decided_by_id=actor.user_id,
        decided_by_name=actor.username,
        decided_at=utcnow(),
    )
    session.add(line)
    session.flush()
    return line


def decide(
    session: Session,
    actor: Actor,
    record_type: str,
    a: uuid.UUID,
    b: uuid.UUID,
    *,
    decision: Decision,
    score: float | None = None,
    evidence: Mapping[str, Any] | None = None,
) -> MergeDecision:
    """Record a supervisor's judgement that ``a`` and ``b`` are (not) the same.

    ``decision`` is SAME or NOT_SAME; a pair judged not the same is no longer proposed (and
    leaves the stored queue of `ncen.merging.queue`).
    Raises `PermissionDeniedError`, `ValidationError`; writes a ledger line and an audit event.
    """
    require(actor, Action.MERGE_RECORDS)
    record_kind(record_type)
    if decision not in (Decision.SAME, Decision.NOT_SAME) or a == b:
        raise ValidationError({"decision": "judge two different records as same or not same"})
    line = _ledger(
        session,
        actor,
        record_type,
        a,
        b,
        decision=decision,
        score=score,
        evidence=_evidence(evidence),
    )
    if decision is Decision.NOT_SAME:
        forget_pair(session, record_type, a, b)
    record_event(
        session,
        actor,
        f"{record_type}.decide",
        record_type=record_type,
        record_id=line.record_a_id,
        details={"other_id": str(line.record_b_id), "decision": decision.value, "score": score},
    )
    return line


def merge(
    session: Session,
    actor: Actor,
    record_type: str,
    survivor_id: uuid.UUID,
    merged_id: uuid.UUID,
    *,
    survivor_version: int,
    merged_version: int,
    score: float | None = None,
    evidence: Mapping[str, Any] | None = None,
) -> Merge:
    """Merge ``merged_id`` into ``survivor_id`` if both versions are current.

    Every link moves to the survivor; the merged record is soft-deleted and points at the
    survivor through the returned `Merge`. Raises `PermissionDeniedError`, `ValidationError`
    (same record, foreign record), `NotFoundError`, `ConflictError`. Writes a history version
    of both records, a ``<type>.merge`` audit event and a ``merged`` ledger line.
    """
    require(actor, Action.MERGE_RECORDS)
    kind = record_kind(record_type)
    if survivor_id == merged_id:
        raise ValidationError({"merged_id": "choose two different records"})
    data = _evidence(evidence)
    # Lock in id order so that two merges of the same pair cannot deadlock.
    versions = {survivor_id: survivor_version, merged_id: merged_version}
    locked = {
        record_id: load_for_update(session, kind.model, record_id, versions[record_id], record_type)
        for record_id in sorted(versions, key=str)
    }
    survivor, merged = locked[survivor_id], locked[merged_id]
    if survivor.is_foreign or merged.is_foreign:
        raise ValidationError({"merged_id": "records received from another node are not merged"})
    survivor_before = full_snapshot(session, record_type, survivor_id)
    merged_before = full_snapshot(session, record_type, merged_id)
    moved = move_links(session, record_type, merged_id, survivor_id)
    merge_row = Merge(
        id=uuid.uuid4(),
        record_type=record_type,
        survivor_id=survivor_id,
        merged_id=merged_id,
        survivor_snapshot=survivor_before,
        merged_snapshot=merged_before,
        moved_links=moved.moved,
        dropped_links=moved.dropped,
        score=score,
        merged_by_id=actor.user_id,
        merged_at=utcnow(),
    )
    session.add(merge_row)
    merged.deleted_at = utcnow()
    details = {"merge_id": str(merge_row.id), "survivor_id": str(survivor_id)}
    details["merged_id"] = str(merged_id)
    for record, change in ((survivor, ChangeKind.UPDATE), (merged, ChangeKind.DELETE)):
        commit_change(
            session,
            actor,
            record,
            record_type=record_type,
            kind=change,
            before=survivor_before["record"] if record is survivor else merged_before["record"],
            after=kind.snapshot(record),
            details={**details, "links_moved": len(moved.moved)},
        )
    _ledger(
        session,
        actor,
        record_type,
        survivor_id,
        merged_id,
        decision=Decision.MERGED,
        score=score,
        evidence=data,
    )
    record_event(
        session,
        actor,
        f"{record_type}.merge",
        record_type=record_type,
        record_id=survivor_id,
        details={**details, "moved": len(moved.moved), "dropped": len(moved.dropped)},
    )
    return merge_row


def unmerge(
    session: Session,
    actor: Actor,
    merge_id: uuid.UUID,
    *,
    evidence: Mapping[str, Any] | None = None,
) -> Merge:
    """Undo an active merge: the merged record comes back with all its links, exactly.

    Raises `PermissionDeniedError`, `NotFoundError` (no such active merge), `ValidationError`
    (the kept record was merged or deleted since: undo that first). Writes a history
    version of both records, a ``<type>.unmerge`` audit event and an ``unmerged`` ledger line.
    """
    require(actor, Action.MERGE_RECORDS)
    merge_row = session.execute(
        select(Merge).where(Merge.id == merge_id).with_for_update()
    ).scalar_one_or_none()
    if merge_row is None or merge_row.unmerged_at is not None:
        raise NotFoundError("merge", merge_id)
    record_type = merge_row.record_type
    kind = record_kind(record_type)
    data = _evidence(evidence)
    survivor = session.get(kind.model, merge_row.survivor_id, with_for_update=True)
    merged = session.get(kind.model, merge_row.merged_id, with_for_update=True)
    if survivor is None or merged is None:
        raise NotFoundError(record_type, merge_row.merged_id)
    if survivor.deleted_at is not None:
        # The survivor was itself merged (or deleted) later: undo that first, in reverse order.
        raise ValidationError({"merge": "undo the later merge of the kept record first"})
    survivor_before, merged_before = kind.snapshot(survivor), kind.snapshot(merged)
    restore_links(session, merge_row)
    merged.deleted_at = None
    merge_row.unmerged_at = utcnow()
    merge_row.unmerged_by_id = actor.user_id
    details = {"merge_id": str(merge_row.id), "merged_id": str(merge_row.merged_id)}
    for record, before, change in (
        (survivor, survivor_before, ChangeKind.UPDATE),
        (merged, merged_before, ChangeKind.RESTORE),
    ):
        commit_change(
            session,
            actor,
            record,
            record_type=record_type,
            kind=change,
            before=before,
            after=kind.snapshot(record),
            details=details,
        )
    _ledger(
        session,
        actor,
        record_type,
        merge_row.survivor_id,
        merge_row.merged_id,
        decision=Decision.UNMERGED,
        score=merge_row.score,
        evidence=data,
    )
    record_event(
        session,
        actor,
        f"{record_type}.unmerge",
        record_type=record_type,
        record_id=merge_row.survivor_id,
        details=details,
    )
    return merge_row


def active_merge_of(session: Session, record_id: uuid.UUID) -> Merge | None:
    """The active merge that folded ``record_id`` into another record, if any."""
    return session.execute(
        select(Merge).where(Merge.merged_id == record_id, Merge.unmerged_at.is_(None))
    ).scalar_one_or_none()


def list_merges(session: Session, record_type: str | None = None, limit: int = 50) -> list[Merge]:
    """The latest merges, newest first (active and undone)."""
    stmt = select(Merge).order_by(Merge.merged_at.desc(), Merge.id).limit(limit)
    if record_type is not None:
        stmt = stmt.where(Merge.record_type == record_type)
    return list(session.execute(stmt).scalars())


def list_decisions(
    session: Session, record_type: str | None = None, *, offset: int = 0, limit: int = 50
) -> list[MergeDecision]:
    """The ledger, newest first."""
    stmt = (
        select(MergeDecision)
        .order_by(MergeDecision.decided_at.desc(), MergeDecision.id)
        .offset(offset)
        .limit(limit)
    )
    if record_type is not None:
        stmt = stmt.where(MergeDecision.record_type == record_type)
    return list(session.execute(stmt).scalars())


def names_of(session: Session, ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, str]:
    """The display name of each person or company in ``ids`` (deleted ones too)."""
    wanted = list(ids)
    names = display_names(session, PersonName, PersonName.person_id, wanted)
    names.update(display_names(session, CompanyName, CompanyName.company_id, wanted))
    return names

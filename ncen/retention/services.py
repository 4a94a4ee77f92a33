"""Use cases of the retention review: read the queue, keep a due record, delete a due record.

All three need ``Action.REVIEW_RETENTION`` (supervisors) and leave the transaction to the
caller. Reading the queue is a read of nominal data and is audited with the ids shown
(``retention.list``). Keeping needs a reason and a new review date after today and at most
`MAX_EXTENSION_YEARS` ahead; it writes a ``keep`` decision and ``retention.keep``. Deleting
needs a reason; it erases the record's nominal content (`ncen.retention.erasure`), leaves a
``delete`` decision as the tombstone, a last history row and ``retention.delete``, and returns
a `Deletion` that tells the caller which picture files to remove after commit and whether the
record was national (the composition layer then retracts it from the peers that received it).

Only due records (review date today or earlier) can be decided here; the row is locked first,
so two supervisors deciding the same record at once are serialised and the second is told it is
no longer due.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy.orm import Session

from ncen.accounts.actor import Actor
from ncen.audit import record_event
from ncen.db import utcnow
from ncen.errors import ValidationError
from ncen.history import ChangeKind, record_version
from ncen.policy import Action, require
from ncen.recordkeeping import lock_record
from ncen.records import RecordMixin
from ncen.retention.erasure import ERASED, MODELS, erase_record
from ncen.retention.models import Decision, RetentionDecision
from ncen.retention.policy import MAX_REASON, latest_extension
from ncen.retention.queries import DueRecord, count_due, list_due
from ncen.validation import Checker

RECORD_TYPES = tuple(MODELS)


@dataclass(frozen=True)
class Deletion:
    """What a retention deletion did, for the caller's after-commit work."""

    tombstone: RetentionDecision
    record_type: str
    record_id: uuid.UUID
    national: bool  # recorded here (so this node may retract it from peers)
    origin_node: str | None  # a received record's originator and its id there
    origin_id: str | None
    picture_hashes: tuple[str, ...]  # pictures no record uses any more: remove their files


def _check_type(record_type: str | None) -> None:
    if record_type is not None and record_type not in MODELS:
        raise ValidationError({"type": f"must be one of {', '.join(RECORD_TYPES)}"})


def read_queue(
    session: Session,
    actor: Actor,
    today: date,
    *,
    record_type: str | None = None,
    offset: int = 0,
    limit: int = 50,
) -> tuple[list[DueRecord], int]:
    """One page of due records and the total due; audited as a read of nominal data
    (``retention.list``, with the filter and the ids shown). Raises `PermissionDeniedError`,
    `ValidationError` for an unknown type."""
    require(actor, Action.REVIEW_RETENTION)
    _check_type(record_type)
    items = list_due(session, today, record_type=record_type, offset=offset, limit=limit)
    total = count_due(session, today, record_type)
    record_event(
        session,
        actor,
        "retention.list",
        record_type=record_type,
        details={
            "type": record_type,
            "offset": offset,
            "total": total,
            "shown": [f"{item.record_type}:{item.record_id}" for item in items],
        },
    )
    return items, total


def _lock_due(session: Session, record_type: str, record_id: uuid.UUID, today: date) -> RecordMixin:
    _check_type(record_type)
    record: RecordMixin = lock_record(
        session, MODELS[record_type], record_id, record_type, include_deleted=True
    )
    if record.review_due is None or record.review_due > today:
        raise ValidationError({"record": "this record is not due for review (reload the queue)"})
    return record


def _decision(
    actor: Actor,
    record_type: str,
    record: RecordMixin,
    decision: Decision,
    *,
    reason: str,
    now: datetime,
    new_review_due: date | None = None,
) -> RetentionDecision:
    """The decision row (a tombstone, for a deletion): what was decided about which record, by
    whom and why, with no nominal content."""
    return RetentionDecision(
        record_type=record_type,
        record_id=record.id,
        decision=decision,
        reference=_reference(record_type, record),
        handling_code=record.handling_code.value,
        review_due=record.review_due,
        new_review_due=new_review_due,
        reason=reason,
        decided_by_id=actor.user_id,
        decided_by_name=actor.username[:64],
        decided_at=now,
    )


def _reference(record_type: str, record: RecordMixin) -> str | None:
    if record_type == "seizure":
        return str(getattr(record, "reference"))  # noqa: B009 - seizures only
    if record.origin_node is not None:
        return f"{record.origin_node}/{record.origin_id}"[:200]
    return None


def keep_record(
    session: Session,
    actor: Actor,
    record_type: str,
    record_id: uuid.UUID,
    data: Mapping[str, Any],
    *,
    today: date,
) -> RetentionDecision:
    """Keep a due record: ``data`` gives ``reason`` (required) and ``review_date`` (after
    ``today``, at most `latest_extension` of it). Writes the decision and ``retention.keep``.
    Raises `PermissionDeniedError`, `NotFoundError`, `ValidationError`."""
    require(actor, Action.REVIEW_RETENTION)
    c = Checker(session, data)
    reason = c.text("reason", required=True, max_len=MAX_REASON)
    new_date = c.day("review_date", required=True)
    if new_date is not None and new_date <= today:
        c.fail("review_date", "must be after today")
    elif new_date is not None and new_date > latest_extension(today):
        c.fail("review_date", f"must be on or before {latest_extension(today).isoformat()}")
    c.raise_if_errors()
    assert reason is not None
    assert new_date is not None
    record = _lock_due(session, record_type, record_id, today)
    decision = _decision(
        actor,
        record_type,
        record,
        Decision.KEEP,
        reason=reason,
        now=utcnow(),
        new_review_due=new_date,
    )
    session.add(decision)
    previous = record.review_due
    record.review_due = new_date
    session.flush()
    record_event(
        session,
        actor,
        "retention.keep",
        record_type=record_type,
        record_id=record.id,
        details={
            "reason": reason,
            "review_due": previous.isoformat() if previous else None,
            "new_review_due": new_date.isoformat(),
        },
    )
    return decision


def delete_record(
    session: Session,
    actor: Actor,
    record_type: str,
    record_id: uuid.UUID,
    data: Mapping[str, Any],
    *,
    today: date,
) -> Deletion:
    """Delete a due record after review: ``data`` gives ``reason`` (required) and ``confirm``
    (``"yes"`` or True: the supervisor confirmed an erasure that cannot be undone).

    The record is soft-deleted (if it was not), its version moves (concurrent editors are
    refused), its nominal content is erased, a tombstone and a last history row are written,
    and ``retention.delete`` is audited. Raises `PermissionDeniedError`, `NotFoundError`,
    `ValidationError`. The caller removes the returned pictures' files after commit."""
    require(actor, Action.REVIEW_RETENTION)
    c = Checker(session, data)
    reason = c.text("reason", required=True, max_len=MAX_REASON)
    if data.get("confirm") not in {True, "yes"}:
        c.fail("confirm", "tick the box to confirm the deletion")
    c.raise_if_errors()
    assert reason is not None
    record = _lock_due(session, record_type, record_id, today)
    now = utcnow()
    tombstone = _decision(actor, record_type, record, Decision.DELETE, reason=reason, now=now)
    session.add(tombstone)
    pictures = erase_record(session, record_type, record)
    if record.deleted_at is None:
        record.deleted_at = now
    record.review_due = None  # never due again
    record.version += 1
    session.flush()
    record_version(
        session,
        actor,
        record_type=record_type,
        record_id=record.id,
        version=record.version,
        kind=ChangeKind.DELETE,
        before=None,
        after=ERASED,
    )
    record_event(
        session,
        actor,
        "retention.delete",
        record_type=record_type,
        record_id=record.id,
        details={
            "reason": reason,
            "reference": tombstone.reference,
            "review_due": tombstone.review_due.isoformat() if tombstone.review_due else None,
            "pictures_removed": len(pictures),
        },
    )
    return Deletion(
        tombstone=tombstone,
        record_type=record_type,
        record_id=record.id,
        national=record.origin_node is None,
        origin_node=record.origin_node,
        origin_id=record.origin_id,
        picture_hashes=tuple(pictures),
    )

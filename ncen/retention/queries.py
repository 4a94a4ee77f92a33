"""What is due for review: the supervisor's queue and ``ncen retention due``.

A record is due when its review date is today or earlier. Deleted records are listed too
(marked): a soft-deleted record still holds its nominal content until a review erases it. A
record erased by a review has no review date and is never due again. Listing shows nominal data
(a person's name), so the callers audit it as a read (`ncen.retention.services.list_due`).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import String, func, literal, select, union_all
from sqlalchemy.orm import Session

from ncen.retention.erasure import MODELS
from ncen.retention.models import Decision, RetentionDecision


@dataclass(frozen=True)
class DueRecord:
    """One line of the queue."""

    record_type: str
    record_id: uuid.UUID
    label: str  # a seizure's reference, else the display name (nominal)
    handling_code: str
    review_due: date
    deleted: bool
    origin_node: str | None
    last_keep_reason: str | None  # why the previous review kept it, if one did


def _due_union(today: date, record_type: str | None) -> Any:
    parts = [
        select(
            literal(name, String).label("record_type"),
            model.id.label("record_id"),
            model.review_due.label("review_due"),
        ).where(model.review_due <= today)
        for name, model in MODELS.items()
        if record_type in (None, name)
    ]
    return union_all(*parts).subquery("due")


def count_due(session: Session, today: date, record_type: str | None = None) -> int:
    """How many records of ``record_type`` (any, when None) are due on ``today``."""
    due = _due_union(today, record_type)
    return int(session.execute(select(func.count()).select_from(due)).scalar_one())


def _label(record_type: str, record: Any) -> str:
    if record_type == "seizure":
        return str(record.reference)
    return str(record.display_name)


def list_due(
    session: Session,
    today: date,
    *,
    record_type: str | None = None,
    offset: int = 0,
    limit: int = 50,
) -> list[DueRecord]:
    """Due records, the longest overdue first (then by type and id, so pages are stable)."""
    due = _due_union(today, record_type)
    rows = session.execute(
        select(due.c.record_type, due.c.record_id, due.c.review_due)
        .order_by(due.c.review_due, due.c.record_type, due.c.record_id)
        .offset(offset)
        .limit(limit)
    ).all()
    ids = [row.record_id for row in rows]
    reasons: dict[uuid.UUID, str] = {}
    if ids:
        latest = (
            select(RetentionDecision.record_id, RetentionDecision.reason)
            .where(
                RetentionDecision.record_id.in_(ids),
                RetentionDecision.decision == Decision.KEEP,
            )
            .order_by(RetentionDecision.decided_at)
        )
        # Oldest first: the latest keep of each record overwrites the earlier ones.
        reasons = {row.record_id: row.reason for row in session.execute(latest)}
    result = []
    for row in rows:
        record = session.get(MODELS[row.record_type], row.record_id)
        if record is None:  # removed between the two statements
            continue
        result.append(
            DueRecord(
                record_type=row.record_type,
                record_id=row.record_id,
                label=_label(row.record_type, record),
                handling_code=record.handling_code.value,
                review_due=row.review_due,
                deleted=record.deleted_at is not None,
                origin_node=record.origin_node,
                last_keep_reason=reasons.get(row.record_id),
            )
        )
    return result


def tombstones(session: Session, *, offset: int = 0, limit: int = 50) -> list[RetentionDecision]:
    """The deletions made by reviews, newest first (no nominal content)."""
    return list(
        session.execute(
            select(RetentionDecision)
            .where(RetentionDecision.decision == Decision.DELETE)
            .order_by(RetentionDecision.decided_at.desc(), RetentionDecision.id)
            .offset(offset)
            .limit(limit)
        ).scalars()
    )

"""Giving records their review dates as they are written, from `ncen.retention.policy`.

`ncen.recordkeeping.commit_change` calls `assign_review_date` for every new record (national or
received) and `extend_linked_reviews` after every change of a seizure, so an entity linked to a
newer seizure comes up for review later. `assign_missing` fills the dates of rows written
around the services (the demo's bulk loader) and is ``ncen retention assign``.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import text
from sqlalchemy.orm import Session

from ncen.records import RecordMixin
from ncen.retention.policy import (
    LINKS,
    TABLES,
    assign_sql,
    review_date,
    review_due_sql,
    tighten_sql,
)


def _utc_day(moment: datetime) -> date:
    return moment.astimezone(UTC).date()


def anchor_of(record_type: str, record: RecordMixin, today: date) -> date:
    """The date a new record's period runs from: a seizure's date, else ``today`` (creation;
    an entity is linked to seizures only after it exists, which `extend_linked_reviews` sees)."""
    if record_type == "seizure":
        occurred_at: datetime = getattr(record, "occurred_at")  # noqa: B009 - any record type
        return _utc_day(occurred_at)
    return today


def assign_review_date(record_type: str, record: RecordMixin, today: date) -> None:
    """Set ``record.review_due`` for a record being created (no-op for other types)."""
    if record_type in TABLES:
        record.review_due = review_date(
            record_type, record.handling_code.value, anchor_of(record_type, record, today)
        )


def tighten_review_date(session: Session, record_type: str, record: RecordMixin) -> None:
    """After a change of ``record``'s handling code: bring its review date forward to what the
    new code gives, never later (`ncen.retention.policy.tighten_sql`). Plain UPDATE, like
    `extend_linked_reviews`: bookkeeping, no new version."""
    if record_type in TABLES:
        session.execute(text(tighten_sql(record_type)), {"id": record.id})
        session.expire(record, ["review_due"])


def extend_linked_reviews(session: Session, seizure: RecordMixin) -> None:
    """Move the review date of every live entity linked to ``seizure`` to at least what the
    seizure's date gives it (never earlier). Plain UPDATEs: the review date is bookkeeping,
    not a change of the entity, so it neither moves the entity's version nor writes history."""
    occurred_at: datetime = getattr(seizure, "occurred_at")  # noqa: B009
    for record_type, (link_table, column) in LINKS.items():
        table = TABLES[record_type]
        due = review_due_sql(record_type, "CAST(:anchor AS date)", "t.handling_code")
        session.execute(
            text(
                f"UPDATE {table} AS t SET review_due = GREATEST(t.review_due, {due}) "  # noqa: S608
                f"WHERE t.review_due IS NOT NULL AND t.id IN "
                f"(SELECT {column} FROM {link_table} WHERE seizure_id = :seizure)"
            ),
            {"anchor": _utc_day(occurred_at), "seizure": seizure.id},
        )


def extend_linked_reviews_many(session: Session, seizure_ids: list[object]) -> None:
    """`extend_linked_reviews` for many seizures at once (bulk writers, `ncen.bulk`): one
    UPDATE per entity type. An entity linked to several of them gets the latest seizure date's
    review date, as successive calls would give it."""
    if not seizure_ids:
        return
    for record_type, (link_table, column) in LINKS.items():
        table = TABLES[record_type]
        due = review_due_sql(record_type, "a.anchor", "t.handling_code")
        session.execute(
            text(
                f"UPDATE {table} AS t SET review_due = GREATEST(t.review_due, {due}) "  # noqa: S608
                f"FROM (SELECT l.{column} AS id, "
                "max((s.occurred_at AT TIME ZONE 'UTC')::date) AS anchor "
                f"FROM {link_table} l JOIN seizures s ON s.id = l.seizure_id "
                f"WHERE l.seizure_id = ANY(:ids) GROUP BY l.{column}) AS a "
                "WHERE t.id = a.id AND t.review_due IS NOT NULL"
            ),
            {"ids": list(seizure_ids)},
        )


def assign_missing(session: Session) -> dict[str, int]:
    """Give a review date to every record without one that no review deleted; return how many
    rows of each type got one."""
    counts: dict[str, int] = {}
    for record_type in TABLES:
        result = session.execute(text(assign_sql(record_type, only_missing=True)))
        counts[record_type] = int(getattr(result, "rowcount", 0) or 0)
    return counts

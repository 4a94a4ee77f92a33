"""The checks run over every record a bulk batch wrote: today the watch lists.

`run_after_write_checks` is the one hook of the bulk path, as `ncen.recordkeeping.commit_change`
is the per-record path's: every record `ncen.bulk.writing.write_batch` creates or links passes
here once, after the batch is flushed. Checks that look at written records (risk-profile hits,
once built) are added here, next to the watch lists.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.orm import Session

from ncen.records import RecordMixin
from ncen.watch.matching import raise_alerts_many

# (record type, the record as written, the event: create, import or link)
Written = tuple[str, RecordMixin, str]


def run_after_write_checks(session: Session, written: Sequence[Written]) -> int:
    """Run every after-write check over ``written`` (the batch's changes, in order); return
    the number of alerts raised. Writes `Alert` rows for the owners of matched watches, with
    the content `ncen.watch.matching.raise_alerts` gives one record (one watch query for the
    whole batch)."""
    return raise_alerts_many(session, written)

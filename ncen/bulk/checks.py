"""The checks run over every record a bulk batch wrote: the watch lists and the risk profiles.

`run_after_write_checks` is the one hook of the bulk path, as `ncen.recordkeeping.commit_change`
is the per-record path's: every record `ncen.bulk.writing.write_batch` creates or links passes
here once, after the batch is flushed: the watch lists (`ncen.watch.matching`) and the active
risk profiles (`ncen.targeting.evaluation`), as `commit_change` runs both for one record.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy.orm import Session

from ncen.records import RecordMixin
from ncen.targeting.evaluation import EVALUATED_TYPES, evaluate_records
from ncen.watch.matching import raise_alerts_many

# (record type, the record as written, the event: create, import or link)
Written = tuple[str, RecordMixin, str]


def run_after_write_checks(session: Session, written: Sequence[Written]) -> int:
    """Run every after-write check over ``written`` (the batch's changes, in order); return
    the number of alerts raised. Writes `Alert` rows for the owners of matched watches, with
    the content `ncen.watch.matching.raise_alerts` gives one record (one watch query for the
    whole batch). Then evaluates the written records against the active risk profiles, in
    the same transaction (a seizure's hits once per profile version: linked persons lead to
    seizures already evaluated, which the hits' unique key skips)."""
    alerts = raise_alerts_many(session, written)
    by_type: dict[str, list[uuid.UUID]] = {}
    for record_type, record, _event in written:
        if record_type in EVALUATED_TYPES:
            by_type.setdefault(record_type, []).append(record.id)
    for record_type, ids in by_type.items():
        evaluate_records(session, record_type, list(dict.fromkeys(ids)))
    return alerts

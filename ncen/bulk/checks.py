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
from ncen.targeting.evaluation import EVALUATED_TYPES, evaluate_written
from ncen.watch.matching import raise_alerts_many

# (record type, the record as written, the event: create, import or link)
Written = tuple[str, RecordMixin, str]


def run_after_write_checks(session: Session, written: Sequence[Written]) -> int:
    """Run every after-write check over ``written`` (the batch's changes, in order); return
    the number of alerts raised. Writes `Alert` rows for the owners of matched watches, with
    the content `ncen.watch.matching.raise_alerts` gives one record (one watch query for the
    whole batch). Then evaluates the written records against the active risk profiles, in
    the same transaction, once per seizure whatever number of the batch's records lead to it
    (and once per profile version: the hits' unique key skips a seizure evaluated before)."""
    alerts = raise_alerts_many(session, written)
    by_type: dict[str, list[uuid.UUID]] = {}
    for record_type, record, _event in written:
        if record_type in EVALUATED_TYPES:
            by_type.setdefault(record_type, []).append(record.id)
    # One pass for the whole batch: a seizure and the persons linked to it lead to the same
    # seizure, whose facts are read once (and the compiled profiles are the cached ones).
    evaluate_written(session, {kind: list(dict.fromkeys(ids)) for kind, ids in by_type.items()})
    return alerts

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
    (and once per profile version: the hits' unique key skips a seizure evaluated before).
    The hits name the trigger and event the per-record path would: the seizure itself and the
    event of its write when the batch wrote it."""
    alerts = raise_alerts_many(session, written)
    by_event: dict[str, dict[str, list[uuid.UUID]]] = {}
    for record_type, record, event in written:
        if record_type in EVALUATED_TYPES:
            by_event.setdefault(event, {}).setdefault(record_type, []).append(record.id)
    # One pass per event (usually one: "import" or "create") for the whole batch: a seizure
    # and the persons linked to it lead to the same seizure, whose facts are read once (and
    # the compiled profiles are the cached ones). Seizures first, and the event of their
    # write: a seizure the batch wrote is its own trigger with that event, as on the
    # per-record path, where the persons written before it had no link to it yet.
    for event, by_type in by_event.items():
        ordered = sorted(by_type.items(), key=lambda item: item[0] != "seizure")
        evaluate_written(
            session, {kind: list(dict.fromkeys(ids)) for kind, ids in ordered}, event=event
        )
    return alerts

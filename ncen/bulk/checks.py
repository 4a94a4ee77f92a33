"""The checks run over every record a bulk batch wrote: the watch lists and the risk profiles.

`run_after_write_checks` is the one hook of the bulk path, as `ncen.recordkeeping.commit_change`
is the per-record path's: every record `ncen.bulk.writing.write_batch` creates or links passes
here once, after the batch is flushed: the watch lists (`ncen.watch.matching`) and the active
risk profiles (`ncen.targeting.evaluation`), as `commit_change` runs both for one record.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence

from sqlalchemy.orm import Session

from ncen.bulk.steps import LinkSpec
from ncen.records import RecordMixin
from ncen.targeting.evaluation import EVALUATED_TYPES, evaluate_batch
from ncen.watch.matching import raise_alerts_many

# (record type, the record as written, the event: create, import or link)
Written = tuple[str, RecordMixin, str]


def batch_triggers(
    written: Sequence[Written], seizure_links: Mapping[uuid.UUID, Sequence[LinkSpec]]
) -> dict[uuid.UUID, str]:
    """The seizures a batch's records lead to, each with the type of the first record that
    led to it (the types in the order they were first written), from the batch's own steps:
    a seizure leads to itself, a person, company or conveyance to the seizures linked to it.

    Only the batch's links are needed: a bulk batch writes new records (`Create`) and links of
    its own seizures (`Link`), so a record it created has no link but those the batch made
    (``seizure_links``: each seizure of the batch -> every link the batch gave it), and every
    seizure it led to is new and live. `ncen.targeting.evaluation.evaluate_written` finds the
    same from the stored links, with a query per record type."""
    leads: dict[tuple[str, uuid.UUID], list[uuid.UUID]] = {}
    for seizure_id, links in seizure_links.items():
        for kind, target_id, _role, _note in links:
            leads.setdefault((kind, target_id), []).append(seizure_id)
    by_type: dict[str, list[uuid.UUID]] = {}
    for record_type, record, _event in written:
        if record_type in EVALUATED_TYPES:
            by_type.setdefault(record_type, []).append(record.id)
    triggers: dict[uuid.UUID, str] = {}
    for record_type, ids in by_type.items():
        for record_id in ids:
            if record_type == "seizure":
                triggers.setdefault(record_id, record_type)
                continue
            for seizure_id in leads.get((record_type, record_id), ()):
                triggers.setdefault(seizure_id, record_type)
    return triggers


def run_after_write_checks(
    session: Session,
    written: Sequence[Written],
    seizure_links: Mapping[uuid.UUID, Sequence[LinkSpec]],
) -> int:
    """Run every after-write check over ``written`` (the batch's changes, in order;
    ``seizure_links``: each seizure of the batch -> the links the batch gave it); return the
    number of alerts raised. Writes `Alert` rows for the owners of matched watches, with the
    content `ncen.watch.matching.raise_alerts` gives one record (one watch query for the whole
    batch). Then evaluates the written records against the active risk profiles, in the same
    transaction, once per seizure whatever number of the batch's records lead to it (and once
    per profile version: the hits' unique key skips a seizure evaluated before). The hits
    name the trigger and event the per-record path would: the seizure itself and the event
    of its write when the batch wrote it."""
    alerts = raise_alerts_many(session, written)
    by_event: dict[str, list[Written]] = {}
    for entry in written:
        by_event.setdefault(entry[2], []).append(entry)
    # One pass per event (usually one: "import" or "create") for the whole batch: a seizure
    # and the persons linked to it lead to the same seizure, whose facts are read once (and
    # the compiled profiles are the cached ones). Seizures first: a seizure the batch wrote
    # is its own trigger, as on the per-record path, where the persons written before it had
    # no link to it yet.
    for event, entries in by_event.items():
        ordered = sorted(entries, key=lambda entry: entry[0] != "seizure")
        evaluate_batch(session, batch_triggers(ordered, seizure_links), event=event)
    return alerts

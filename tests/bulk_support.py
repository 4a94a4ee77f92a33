"""Helpers shared by the bulk-path tests: records of a run normalised for comparison.

Two runs of the same input write records with different ids. `normalised_run` names each record
by a stable key instead (its source id for spreadsheet imports, its origin id for received
records), replaces every record id inside snapshots, diffs and audit details with that key, and
returns what the run left: each record's stored snapshot and bookkeeping, its history rows, and
the audit events about it in chain order.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ncen.audit import AuditEvent, flush_events
from ncen.companies.models import Company
from ncen.companies.services import snapshot as company_snapshot
from ncen.conveyances.models import Conveyance
from ncen.conveyances.services import snapshot as conveyance_snapshot
from ncen.history import RecordVersion
from ncen.persons.models import Person
from ncen.persons.services import snapshot as person_snapshot
from ncen.seizures.models import Seizure
from ncen.seizures.snapshots import snapshot as seizure_snapshot
from ncen.watch.models import Alert

MODELS: dict[str, Any] = {
    "seizure": Seizure,
    "person": Person,
    "company": Company,
    "conveyance": Conveyance,
}


def _snapshot(session: Session, record_type: str, record: Any) -> dict[str, Any]:
    if record_type == "seizure":
        return seizure_snapshot(session, record)
    return {
        "person": person_snapshot,
        "company": company_snapshot,
        "conveyance": conveyance_snapshot,
    }[record_type](record)


def _resorted(value: Any) -> Any:
    """Link lists (``[{"id", "role", ...}]``) are ordered by the record ids, which differ from
    run to run: order them again by the keys that replaced the ids."""
    if isinstance(value, dict):
        return {k: _resorted(v) for k, v in value.items()}
    if isinstance(value, list):
        items = [_resorted(v) for v in value]
        if items and all(isinstance(i, dict) and {"id", "role"} <= i.keys() for i in items):
            items.sort(key=lambda link: (link["id"], link["role"]))
        return items
    return value


def normalised_run(
    session: Session, key_of: Callable[[Any], str | None], *, drop: tuple[str, ...] = ()
) -> dict[str, Any]:
    """What the run whose records ``key_of`` names (None: not of this run) left, with ids
    replaced by keys. ``drop``: text fragments (e.g. the run's source name or bundle id)
    replaced by a placeholder."""
    flush_events(session)
    session.expire_all()
    keys: dict[str, str] = {}
    references: dict[str, str] = {}
    records: dict[str, tuple[str, Any]] = {}
    for record_type, model in MODELS.items():
        for record in session.execute(select(model)).scalars():
            key = key_of(record)
            if key is not None:
                keys[str(record.id)] = f"{record_type}:{key}"
                records[str(record.id)] = (record_type, record)
                if record_type == "seizure":
                    # Drawn from a sequence: the two runs' numbers differ.
                    references[json.dumps(record.reference)] = json.dumps(f"reference:{key}")

    def clean(value: Any) -> Any:
        text = json.dumps(value, sort_keys=True, default=str)
        for record_id, key in keys.items():
            text = text.replace(record_id, key)
        for reference, key in references.items():
            text = text.replace(reference, key)
        for fragment in drop:
            text = text.replace(fragment, "<run>")
        return _resorted(json.loads(text))

    stored = {}
    history: dict[str, list[Any]] = {}
    ids = [uuid.UUID(i) for i in records]
    for record_id, (record_type, record) in records.items():
        stored[keys[record_id]] = clean(
            {
                "snapshot": _snapshot(session, record_type, record),
                "version": record.version,
                "review_due": record.review_due,
                "created_by": record.created_by_id,
                "origin_version": record.origin_version,
            }
        )
    for row in session.execute(
        select(RecordVersion).where(RecordVersion.record_id.in_(ids)).order_by(RecordVersion.id)
    ).scalars():
        history.setdefault(keys[str(row.record_id)], []).append(
            clean([row.version, row.kind.value, row.changes, row.snapshot, row.changed_by_name])
        )
    events = [
        clean([keys[e.record_id], e.action, e.actor_name, e.details])
        for e in session.execute(
            select(AuditEvent).where(AuditEvent.record_id.in_(list(keys))).order_by(AuditEvent.id)
        ).scalars()
    ]
    alerts = sorted(
        (
            clean([keys[str(a.record_id)], a.event, a.score, a.explanation])
            for a in session.execute(select(Alert).where(Alert.record_id.in_(ids))).scalars()
        ),
        key=lambda alert: json.dumps(alert, sort_keys=True),
    )
    return {"stored": stored, "history": history, "events": events, "alerts": alerts}

"""Write a batch of built records: one COPY per table, audit queued in order, checks after.

`write_batch` takes the steps of a batch (`ncen.bulk.steps`) in the order the per-record path
would have made the changes, and writes what `ncen.recordkeeping.commit_change` writes for each
of them, set-wise:

- the records, their children (names, items...) and their links, with one COPY per table
  (`ncen.bulk.copying`; the records are not added to the session);
- the version of each record (1 at creation, one more per `Link` step);
- one history row per change, with the same snapshot and field-level diff, in one COPY;
- one audit event per change, queued in order: the transaction's commit chains them all under
  the one chain lock (`ncen.audit.events`);
- the retention review date of each new record, and of the entities linked to its seizures
  (one UPDATE per entity type, `extend_linked_reviews_many`);
- the after-write checks over every change (`ncen.bulk.checks`).

The caller owns the transaction; `IntegrityError` (a unique key taken meanwhile) leaves the
session to be rolled back to the caller's SAVEPOINT, so wrap a batch in one where the rows
should be retried one by one.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy import Table
from sqlalchemy.orm import Session

from ncen.accounts.actor import Actor
from ncen.audit import record_event
from ncen.bulk.checks import Written, run_after_write_checks
from ncen.bulk.copying import copy_dicts, copy_objects
from ncen.bulk.steps import Create, LinkSpec, Step
from ncen.companies.services import snapshot as company_snapshot
from ncen.conveyances.services import snapshot as conveyance_snapshot
from ncen.db import utcnow
from ncen.history import ChangeKind, RecordVersion, diff
from ncen.persons.services import snapshot as person_snapshot
from ncen.policy import Action, require
from ncen.recordkeeping import jsonable_dict
from ncen.records import RecordMixin
from ncen.retention.dates import assign_review_date, extend_linked_reviews_many
from ncen.seizures.models import Seizure
from ncen.seizures.services import _LINKS, allocate_references, reference_of
from ncen.seizures.snapshots import link_lists
from ncen.seizures.snapshots import snapshot as seizure_snapshot

RECORD_VERSIONS: Table = RecordVersion.__table__  # type: ignore[assignment]
_SNAPSHOTS: dict[str, Callable[[Any], dict[str, Any]]] = {
    "person": person_snapshot,
    "company": company_snapshot,
    "conveyance": conveyance_snapshot,
}


def write_batch(session: Session, actor: Actor, steps: Sequence[Step]) -> int:
    """Write ``steps`` (see the module docstring); return the number of alerts raised.

    `Link` steps need ``UPDATE_RECORD`` on their seizure (`PermissionDeniedError`); the
    builders checked the creation rights. Seizures without a reference get one from the
    sequence (one statement for the batch).
    """
    if not steps:
        return 0
    session.flush()  # what the session holds goes first, in the order it was made
    today = utcnow().date()
    _give_references(session, [s.record for s in steps if isinstance(s, Create)])
    history: list[dict[str, Any]] = []
    written: list[Written] = []
    rows: list[Any] = []
    seizure_links: dict[uuid.UUID, list[LinkSpec]] = {}
    seizure_states: dict[uuid.UUID, dict[str, Any]] = {}
    linked_seizures: list[uuid.UUID] = []
    for step in steps:
        if isinstance(step, Create):
            record = step.record
            record.version = 1
            assign_review_date(step.record_type, record, today)
            after = _snapshot(session, step.record_type, record, step.links, seizure_links)
            if step.record_type == "seizure":
                seizure_states[record.id] = after
                if step.links:
                    linked_seizures.append(record.id)
            rows.append(record)
            rows.extend(_link_rows(record.id, step.links))
            _change(
                session,
                actor,
                history,
                step.record_type,
                record,
                ChangeKind.CREATE,
                None,
                after,
                step.details,
            )
            event = "import" if record.is_foreign else ChangeKind.CREATE.value
            written.append((step.record_type, record, event))
        else:
            seizure = step.seizure
            require(actor, Action.UPDATE_RECORD, seizure)
            before = seizure_states[seizure.id]
            seizure.version += 1
            # Only the links changed since the seizure's last snapshot in this batch (nothing
            # else of it is written between steps): the snapshot is that one with the new
            # link lists, in the same key order, not a second walk over every field.
            known = seizure_links.setdefault(seizure.id, [])
            known.extend(step.links)
            after = {**before, **jsonable_dict(link_lists(known))}
            seizure_states[seizure.id] = after
            linked_seizures.append(seizure.id)
            rows.extend(_link_rows(seizure.id, step.links))
            _change(
                session,
                actor,
                history,
                "seizure",
                seizure,
                ChangeKind.LINK,
                before,
                after,
                step.details,
            )
            written.append(("seizure", seizure, ChangeKind.LINK.value))
    copy_objects(session, rows)
    copy_dicts(session, RECORD_VERSIONS, history)
    extend_linked_reviews_many(session, list(dict.fromkeys(linked_seizures)))
    alerts = run_after_write_checks(session, written, seizure_links)
    session.flush()
    return alerts


def _give_references(session: Session, records: list[RecordMixin]) -> None:
    missing = [r for r in records if isinstance(r, Seizure) and not r.reference]
    for seizure, number in zip(missing, allocate_references(session, len(missing)), strict=True):
        seizure.reference = reference_of(seizure, number)


def _snapshot(
    session: Session,
    record_type: str,
    record: Any,
    links: list[LinkSpec],
    seizure_links: dict[uuid.UUID, list[LinkSpec]],
) -> dict[str, Any]:
    if record_type != "seizure":
        return _SNAPSHOTS[record_type](record)
    known = seizure_links.setdefault(record.id, [])
    known.extend(links)
    return seizure_snapshot(session, record, link_lists(known))


def _link_rows(seizure_id: uuid.UUID, links: list[LinkSpec]) -> list[Any]:
    made = []
    for kind, target_id, role, note in links:
        link_model, _target, _roles, column = _LINKS[kind]
        link = link_model(id=uuid.uuid4(), seizure_id=seizure_id, role=role, note=note)
        setattr(link, column, target_id)
        made.append(link)
    return made


def _change(  # noqa: PLR0917 - one change, as commit_change takes it
    session: Session,
    actor: Actor,
    history: list[dict[str, Any]],
    record_type: str,
    record: RecordMixin,
    kind: ChangeKind,
    before: dict[str, Any] | None,
    after: dict[str, Any],
    details: dict[str, Any] | None,
) -> None:
    """The history row and audit event `commit_change` writes for this change."""
    history.append(
        {
            "record_type": record_type,
            "record_id": record.id,
            "version": record.version,
            "kind": kind,
            "changed_at": utcnow(),
            "changed_by_id": actor.user_id,
            "changed_by_name": actor.username[:64],
            "changes": diff(before or {}, after),
            "snapshot": dict(after),
        }
    )
    record_event(
        session,
        actor,
        f"{record_type}.{kind.value}",
        record_type=record_type,
        record_id=record.id,
        details={"version": record.version, **(details or {})},
    )

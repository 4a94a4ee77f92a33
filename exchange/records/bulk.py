"""Importing a received record set in batches (`ncen.bulk`): the bulk path of `import_records`.

`import_record_set_bulk` does what the per-record path does (`_import_record_set` in
`exchange.records.foreign`, kept for single-record deliveries and as the reference): the same
order of changes, the same validation, the same history, audit and watch-list alerts; but it
writes the new records in batches:

- the whole record set is planned first (`exchange.records.foreign._plan_record_set`): records
  new here, newer versions of records received before (by ``origin_version``), and records
  already present or retracted, which are left alone;
- each new person, company and conveyance is validated and built in memory by its service's
  rules (`ncen.bulk.build_record`, with its provenance); each new seizure by
  `ncen.seizures.foreign.build_foreign_seizure`, its links resolved in memory to the local ids
  of the records of this bundle (or of earlier ones), without a query per link;
- the built records are written by `ncen.bulk.write_batch`, `BATCH_RECORDS` at a time: COPY of
  rows, links and history, audit events queued for the one chain lock of the transaction,
  review dates and the after-write checks (watch lists);
- an update (the originator's newer version) goes through the per-record services after the
  records built before it are written, so that the order of changes is the per-record path's.

A record refused by validation raises `RecordImportError` naming it; the caller's transaction
then rolls back, and nothing of the bundle stays (all or nothing per bundle).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping
from typing import Any

from sqlalchemy.orm import Session

from exchange.crypto.opening import OpenedRecordSet
from exchange.records.received import (
    ENTITY_KINDS,
    SINGULAR,
    Known,
    is_update,
    refusing,
    seizure_input,
)
from ncen.accounts.actor import Actor
from ncen.bulk import Create, build_record, write_batch
from ncen.bulk.steps import Step
from ncen.foreign import update_foreign_record
from ncen.records import Provenance
from ncen.search.index import add_terms, collect_terms
from ncen.seizures.foreign import (
    build_foreign_seizure,
    foreign_reference,
    update_foreign_seizure,
)
from ncen.seizures.services import references_checked

# Records built in memory before they are written together (bounded memory per batch).
BATCH_RECORDS = 2000


class _Pending:
    """The records built and not yet written, with their name terms."""

    def __init__(self, session: Session, actor: Actor) -> None:
        self.session, self.actor = session, actor
        self.steps: list[Step] = []
        self.terms: set[str] = set()

    def add(self, step: Create, terms: set[str]) -> None:
        self.steps.append(step)
        self.terms |= terms
        if len(self.steps) >= BATCH_RECORDS:
            self.write()

    def write(self) -> None:
        """Write what is pending (before an update through the services, and at the end)."""
        if self.steps:
            add_terms(self.session, self.terms)
            write_batch(self.session, self.actor, self.steps)
            self.steps, self.terms = [], set()


def import_record_set_bulk(
    session: Session,
    actor: Actor,
    record_set: OpenedRecordSet,
    provenance_of: Callable[[Mapping[str, Any]], Provenance],
    existing: dict[str, dict[str, Known]],
) -> list[tuple[str, uuid.UUID, Mapping[str, Any]]]:
    """Create the new records of one planned set (``existing``: the records already here, by
    type and origin id) and apply the originator's newer versions of the others; return (record
    type, local id, record) of each record created. Needs ``RUN_EXCHANGE``. Raises
    `RecordImportError` for a refused record (the caller rolls back: nothing stays)."""
    local = {
        record_type: {origin_id: known[0] for origin_id, known in ids.items()}
        for record_type, ids in existing.items()
    }
    # Link targets known to be live without a query per seizure: the records built here, and
    # the live ones the plan found already received (a later bundle links the persons of an
    # earlier one; the plan read them in this transaction a moment ago).
    built_here: set[uuid.UUID] = {
        known[0]
        for record_type in ENTITY_KINDS
        for known in existing[record_type].values()
        if known[2]
    }
    created: list[tuple[str, uuid.UUID, Mapping[str, Any]]] = []
    pending = _Pending(session, actor)
    for record_type, kind in ENTITY_KINDS.items():
        for index, record in enumerate(record_set.records[record_type]):
            where = f"{record_set.name}: {record_type}.{index} ({record['id']})"
            provenance = provenance_of(record)
            known = existing[record_type].get(record["id"])
            if known is not None:
                if is_update(record, known):
                    pending.write()
                    refusing(
                        where,
                        update_foreign_record,
                        session,
                        actor,
                        kind,
                        known[0],
                        data=record,
                        provenance=provenance,
                    )
                continue
            with collect_terms(session) as terms:
                built = refusing(
                    where, build_record, session, actor, kind, record, provenance=provenance
                )
            pending.add(Create(SINGULAR[record_type], built, provenance.details()), terms)
            local[record_type][record["id"]] = built.id
            built_here.add(built.id)
            created.append((record_type, built.id, record))
    seizures = record_set.records["seizures"]
    references = (
        foreign_reference(provenance_of(s).origin_node, s["reference"])
        for s in seizures
        if s["id"] not in existing["seizures"]
    )
    with references_checked(session, references):
        _import_seizures(
            session, actor, record_set, provenance_of, existing, local, built_here, created, pending
        )
    pending.write()
    return created


def _import_seizures(  # noqa: PLR0917 - the state of one record set's import
    session: Session,
    actor: Actor,
    record_set: OpenedRecordSet,
    provenance_of: Callable[[Mapping[str, Any]], Provenance],
    existing: dict[str, dict[str, Known]],
    local: dict[str, dict[str, uuid.UUID]],
    built_here: set[uuid.UUID],
    created: list[tuple[str, uuid.UUID, Mapping[str, Any]]],
    pending: _Pending,
) -> None:
    for index, seizure in enumerate(record_set.records["seizures"]):
        where = f"{record_set.name}: seizures.{index} ({seizure['reference']})"
        provenance = provenance_of(seizure)
        known = existing["seizures"].get(seizure["id"])
        if known is not None:
            if is_update(seizure, known):
                pending.write()
                data = seizure_input(seizure, local)
                refusing(where, update_foreign_seizure, session, actor, known[0], data, provenance)
            continue
        data = seizure_input(seizure, local)
        built, links = refusing(
            where, build_foreign_seizure, session, actor, data, provenance, built_here
        )
        pending.add(Create("seizure", built, provenance.details(), links), set())
        local["seizures"][seizure["id"]] = built.id
        created.append(("seizures", built.id, seizure))

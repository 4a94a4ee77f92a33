"""New records validated and built in memory by their services' own rules, not yet written.

`build_record` is `ncen.recordkeeping.create_record` without the write: the same policy check,
the same ``apply`` of the record type (every rule of the service, `ValidationError` naming each
bad field), the same provenance. `build_seizure` is the same for a national seizure
(`ncen.seizures.services.record_seizure`). Nothing is added to the session: a refused record
leaves no trace, and `ncen.bulk.writing.write_batch` writes the good ones together. Run the
builders inside `ncen.search.index.collect_terms` and add the terms of the good records with
one `add_terms` per batch: the name vocabulary then takes one statement per batch.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any, TypeVar

from sqlalchemy.orm import Session

from ncen.accounts.actor import Actor
from ncen.policy import Action, require
from ncen.recordkeeping import BULK_BUILDING, RecordKind
from ncen.records import Provenance, RecordMixin
from ncen.seizures.models import Seizure, SeizureStatus
from ncen.seizures.services import apply_seizure

R = TypeVar("R", bound=RecordMixin)


def build_record(
    session: Session,
    actor: Actor,
    kind: RecordKind[R],
    data: Mapping[str, Any],
    *,
    provenance: Provenance | None = None,
) -> R:
    """A new record of ``kind`` from ``data``, validated, with a fresh id; not in the session.

    National records need ``CREATE_RECORDS``; with ``provenance`` the record is foreign and
    needs ``RUN_EXCHANGE``. Raises `PermissionDeniedError` or `ValidationError`. May read
    reference data (cached per session); writes nothing.
    """
    require(actor, Action.CREATE_RECORDS if provenance is None else Action.RUN_EXCHANGE)
    record = kind.model()
    record.id = uuid.uuid4()
    record.created_by_id = actor.user_id
    if provenance is not None:
        record.set_provenance(provenance)
    with _building(session):
        kind.apply(session, record, data)
    return record


def build_seizure(session: Session, actor: Actor, data: Mapping[str, Any]) -> Seizure:
    """A new national seizure (status draft) from ``data``, validated like `record_seizure`;
    not in the session. Its reference, when ``data`` gives none, is drawn at write time
    (`ncen.bulk.writing.write_batch`). Raises `PermissionDeniedError` or `ValidationError`."""
    require(actor, Action.CREATE_RECORDS)
    seizure = Seizure(id=uuid.uuid4(), created_by_id=actor.user_id, status=SeizureStatus.DRAFT)
    with _building(session):
        apply_seizure(session, seizure, data)
    return seizure


@contextmanager
def _building(session: Session) -> Iterator[None]:
    """Mark ``session`` as building records for a bulk write (`BULK_BUILDING`): their child
    collections are set without the ORM's events, as `write_batch` copies them itself."""
    previous = session.info.get(BULK_BUILDING)
    session.info[BULK_BUILDING] = True
    try:
        yield
    finally:
        session.info[BULK_BUILDING] = previous

"""Applying an originator's update to a foreign record it sent earlier.

A record received from another node belongs to its originator: only a newer version from that
same originator changes it here (the exchange layer compares ``origin_version``). The update
goes through the record type's own validation, and writes a history row and an audit event
carrying the provenance, like every other change.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from ncen.accounts.actor import Actor
from ncen.errors import NotFoundError, PermissionDeniedError
from ncen.history import ChangeKind
from ncen.policy import Action, require
from ncen.recordkeeping import RecordKind, commit_change
from ncen.records import Provenance, RecordMixin

R = TypeVar("R", bound=RecordMixin)


def lock_foreign(
    session: Session, model: type[R], record_id: uuid.UUID, provenance: Provenance, record_type: str
) -> R:
    """Lock a live foreign record for update and check that ``provenance`` names its originator.

    Raises `NotFoundError` (missing, or deleted e.g. by a retraction: a later update must not
    bring retracted content back) or `PermissionDeniedError` (another node's record).
    """
    record = session.execute(
        select(model)
        .where(model.id == record_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).scalar_one_or_none()
    if record is None or record.deleted_at is not None:
        raise NotFoundError(record_type, record_id)
    if (record.origin_node, record.origin_id) != (provenance.origin_node, provenance.origin_id):
        raise PermissionDeniedError(
            f"{record_type}.update", "only the originating node updates its records"
        )
    return record


def update_foreign_record(
    session: Session,
    actor: Actor,
    kind: RecordKind[R],
    record_id: uuid.UUID,
    *,
    data: Mapping[str, Any],
    provenance: Provenance,
) -> R:
    """Replace a foreign record's fields with its originator's newer version ``data``.

    Needs ``RUN_EXCHANGE``. Raises `NotFoundError`, `PermissionDeniedError` or
    `ValidationError` (every bad field); writes history and audit with the provenance.
    """
    require(actor, Action.RUN_EXCHANGE)
    record = lock_foreign(session, kind.model, record_id, provenance, kind.record_type)
    before = kind.snapshot(record)
    kind.apply(session, record, data)
    record.received_bundle_id = provenance.received_bundle_id
    record.origin_version = provenance.origin_version
    commit_change(
        session,
        actor,
        record,
        record_type=kind.record_type,
        kind=ChangeKind.UPDATE,
        before=before,
        after=kind.snapshot(record),
        details=provenance.details(),
    )
    return record

"""Importing verified record sets as foreign records, through the domain services.

Input is an `OpenedBundle`: every signature, digest and the schema have been checked. Each
record set is imported under the node that *produced* it (its verified originator statement),
which is the sender, or a third node when the sender forwards records:

- records are created with the rules of the ``import_foreign_*`` services of `ncen`, which
  validate them exactly like national input and write history and audit: in batches by default
  (`exchange.records.bulk`, over `ncen.bulk`), or one service call per record; a record refused
  there fails the whole import (`RecordImportError`) and, the caller's transaction rolling
  back, nothing stays;
- a record already received from the same originator (same origin id) is not created again:
  seizures link to it; when the bundle carries a newer version of it (the originator's
  ``version`` above the ``origin_version`` applied here) the originator's update is applied
  through `ncen.foreign.update_foreign_record` / `update_foreign_seizure`, one new version here;
  a retracted (deleted) record is never brought back by a later update;
- record sets produced by this node (sent back to it) are skipped;
- pictures are checked by content like uploads and attached to the records created here.

`plan_import` answers "what would be imported" without writing anything (``--dry-run``).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping
from contextlib import ExitStack
from dataclasses import dataclass, field
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from exchange.crypto.opening import OpenedAttachment, OpenedBundle, OpenedRecordSet
from exchange.errors import RecordImportError
from exchange.records.bulk import import_record_set_bulk
from exchange.records.received import (
    ENTITY_KINDS,
    SINGULAR,
    is_update,
    refusing,
    seizure_input,
)
from exchange.records.recordschema import RECORD_TYPES, picture_hashes
from ncen.accounts.actor import Actor
from ncen.collector import frozen_heap
from ncen.companies.models import Company
from ncen.companies.services import import_foreign_company
from ncen.conveyances.models import Conveyance
from ncen.conveyances.services import import_foreign_conveyance
from ncen.foreign import update_foreign_record
from ncen.persons.models import Person
from ncen.persons.services import import_foreign_person
from ncen.pictures.services import ReceivedPicture, UploadLimits, attach_received_pictures
from ncen.pictures.store import PictureStore
from ncen.records import Provenance, RecordMixin
from ncen.seizures.foreign import (
    import_foreign_seizure,
    update_foreign_seizure,
)
from ncen.seizures.models import Seizure

T = TypeVar("T")
MODELS: dict[str, type[RecordMixin]] = {
    "seizures": Seizure,
    "persons": Person,
    "companies": Company,
    "conveyances": Conveyance,
}
_ENTITY_IMPORTERS: dict[str, Callable[..., RecordMixin]] = {
    "persons": import_foreign_person,
    "companies": import_foreign_company,
    "conveyances": import_foreign_conveyance,
}


@dataclass
class RecordSetPlan:
    """What one record set brings: records new here, records already here, or a skip reason."""

    name: str
    originator: str
    new: dict[str, list[str]] = field(default_factory=dict)
    present: dict[str, int] = field(default_factory=dict)
    updated: dict[str, list[str]] = field(default_factory=dict)
    pictures: int = 0
    skipped: str | None = None


@dataclass
class ImportPlan:
    """What a bundle brings, per record set; after `import_records`, what it brought."""

    bundle_id: uuid.UUID
    sender: str
    record_sets: list[RecordSetPlan] = field(default_factory=list)

    def totals(self) -> dict[str, int]:
        """New records per type over every record set."""
        return {
            record_type: sum(len(rs.new.get(record_type, [])) for rs in self.record_sets)
            for record_type in RECORD_TYPES
        }

    def summary(self) -> dict[str, Any]:
        """JSON for the received-bundle log and the audit trail."""
        return {
            "new": self.totals(),
            "already_present": {
                record_type: sum(rs.present.get(record_type, 0) for rs in self.record_sets)
                for record_type in RECORD_TYPES
            },
            "updated": {
                record_type: sum(len(rs.updated.get(record_type, [])) for rs in self.record_sets)
                for record_type in RECORD_TYPES
            },
            "pictures": sum(rs.pictures for rs in self.record_sets),
            "record_sets": [
                {"name": rs.name, "originator": rs.originator, "skipped": rs.skipped}
                for rs in self.record_sets
            ],
        }


def _label(record_type: str, record: Mapping[str, Any]) -> str:
    if record_type == "seizures":
        return str(record["reference"])
    if record_type == "persons":
        return str(record["names"][0]["full_name"])
    if record_type == "companies":
        return str(record["names"][0]["name"])
    identifiers = record["identifiers"]
    return str(record["name"] or (identifiers[0]["value"] if identifiers else record["kind"]))


def _originator(record_set: OpenedRecordSet, own_node_id: str) -> tuple[str, str | None]:
    """The node that produced the records, and why the set is skipped (None: import it)."""
    originator = record_set.originator.originator_node_id
    if record_set.records["origin_node"] != originator:
        raise RecordImportError(
            f"record set {record_set.name!r} says it comes from "
            f"{record_set.records['origin_node']!r} but was signed by {originator!r}"
        )
    if originator == own_node_id:
        return originator, "records produced by this node"
    if not record_set.originator_verified:
        raise RecordImportError(
            f"record set {record_set.name!r} was produced by {originator}, whose signing key is "
            f"not pinned here; register {originator} as a peer to accept its records"
        )
    return originator, None


def _existing(
    session: Session, record_type: str, originator: str, origin_ids: list[str]
) -> dict[str, tuple[uuid.UUID, int | None, bool]]:
    """Records already received from ``originator``, by origin id: local id, the originator's
    version applied here, and whether the record is live (not retracted or deleted)."""
    model: Any = MODELS[record_type]
    found: dict[str, tuple[uuid.UUID, int | None, bool]] = {}
    for start in range(0, len(origin_ids), 5000):
        batch = origin_ids[start : start + 5000]
        rows = session.execute(
            select(model.origin_id, model.id, model.origin_version, model.deleted_at).where(
                model.origin_node == originator, model.origin_id.in_(batch)
            )
        ).all()
        found.update(
            (origin_id, (record_id, version, deleted is None))
            for origin_id, record_id, version, deleted in rows
        )
    return found


def _attachments_by_hash(opened: OpenedBundle) -> dict[str, OpenedAttachment]:
    return {attachment.sha256: attachment for attachment in opened.attachments}


def _plan_record_set(
    session: Session,
    record_set: OpenedRecordSet,
    own_node_id: str,
    attachments: Mapping[str, OpenedAttachment],
) -> tuple[RecordSetPlan, dict[str, dict[str, tuple[uuid.UUID, int | None, bool]]]]:
    originator, skipped = _originator(record_set, own_node_id)
    plan = RecordSetPlan(record_set.name, originator, skipped=skipped)
    existing: dict[str, dict[str, tuple[uuid.UUID, int | None, bool]]] = {}
    if skipped:
        return plan, existing
    missing = picture_hashes(record_set.records) - attachments.keys()
    if missing:
        raise RecordImportError(
            f"record set {record_set.name!r} refers to pictures the bundle does not carry: "
            f"{sorted(missing)[:3]}"
        )
    for record_type in RECORD_TYPES:
        records = record_set.records[record_type]
        existing[record_type] = _existing(
            session, record_type, originator, [record["id"] for record in records]
        )
        plan.new[record_type] = [
            _label(record_type, record)
            for record in records
            if record["id"] not in existing[record_type]
        ]
        plan.present[record_type] = len(existing[record_type])
        plan.updated[record_type] = [
            _label(record_type, record)
            for record in records
            if record["id"] in existing[record_type]
            and is_update(record, existing[record_type][record["id"]])
        ]
        plan.pictures += sum(
            len(record["pictures"])
            for record in records
            if record["id"] not in existing[record_type]
        )
    return plan, existing


def plan_import(session: Session, opened: OpenedBundle, *, own_node_id: str) -> ImportPlan:
    """What `import_records` would create, without writing. Raises `RecordImportError` for a
    set it would refuse before validation (unverified originator, missing attachment)."""
    attachments = _attachments_by_hash(opened)
    plan = ImportPlan(opened.header.bundle_id, opened.header.sender_node_id)
    for record_set in opened.record_sets:
        plan.record_sets.append(_plan_record_set(session, record_set, own_node_id, attachments)[0])
    return plan


def _import_record_set(
    session: Session,
    actor: Actor,
    record_set: OpenedRecordSet,
    provenance_of: Callable[[Mapping[str, Any]], Provenance],
    existing: dict[str, dict[str, tuple[uuid.UUID, int | None, bool]]],
) -> list[tuple[str, uuid.UUID, Mapping[str, Any]]]:
    """Create the new records of one set and apply the originator's newer versions of records
    received before; return (record type, local id, record) of each record created."""
    local = {
        record_type: {origin_id: known[0] for origin_id, known in ids.items()}
        for record_type, ids in existing.items()
    }
    created: list[tuple[str, uuid.UUID, Mapping[str, Any]]] = []
    for record_type, importer in _ENTITY_IMPORTERS.items():
        for index, record in enumerate(record_set.records[record_type]):
            where = f"{record_set.name}: {record_type}.{index} ({record['id']})"
            known = existing[record_type].get(record["id"])
            if known is not None:
                if is_update(record, known):
                    refusing(
                        where,
                        update_foreign_record,
                        session,
                        actor,
                        ENTITY_KINDS[record_type],
                        known[0],
                        data=record,
                        provenance=provenance_of(record),
                    )
                continue
            row = refusing(where, importer, session, actor, record, provenance_of(record))
            local[record_type][record["id"]] = row.id
            created.append((record_type, row.id, record))
    for index, seizure in enumerate(record_set.records["seizures"]):
        where = f"{record_set.name}: seizures.{index} ({seizure['reference']})"
        known = existing["seizures"].get(seizure["id"])
        if known is not None:
            if is_update(seizure, known):
                data = seizure_input(seizure, local)
                refusing(
                    where,
                    update_foreign_seizure,
                    session,
                    actor,
                    known[0],
                    data,
                    provenance_of(seizure),
                )
            continue
        data = seizure_input(seizure, local)
        row = refusing(where, import_foreign_seizure, session, actor, data, provenance_of(seizure))
        local["seizures"][seizure["id"]] = row.id
        created.append(("seizures", row.id, seizure))
    return created


def import_records(
    session: Session,
    actor: Actor,
    opened: OpenedBundle,
    *,
    store: PictureStore,
    limits: UploadLimits,
    own_node_id: str,
    bulk: bool = True,
) -> ImportPlan:
    """Import every record set of ``opened`` as foreign records; return what was created.

    ``bulk`` (the default) writes the new records in batches (`exchange.records.bulk`); False
    takes the per-record path, one service call per record (same records, history, audit and
    alerts; kept for single-record deliveries and as the reference of the tests).

    Writes through the domain services (rows, history, audit) and puts received pictures in
    ``store``; the caller owns the transaction and must roll it back on any error. Raises
    `RecordImportError` (a refused record, a missing attachment, an unverified originator) or
    the services' `NcenError` (e.g. `PermissionDeniedError`).
    """
    # The opened record sets stay alive for the whole import: spare them the collector's full
    # passes, which took more than a third of a large import (`ncen.collector`).
    with frozen_heap():
        return _import_records(session, actor, opened, store, limits, own_node_id, bulk)


def _import_records(  # noqa: PLR0917 - import_records' arguments, passed on
    session: Session,
    actor: Actor,
    opened: OpenedBundle,
    store: PictureStore,
    limits: UploadLimits,
    own_node_id: str,
    bulk: bool,
) -> ImportPlan:
    attachments = _attachments_by_hash(opened)
    plan = ImportPlan(opened.header.bundle_id, opened.header.sender_node_id)
    for record_set in opened.record_sets:
        set_plan, existing = _plan_record_set(session, record_set, own_node_id, attachments)
        plan.record_sets.append(set_plan)
        if set_plan.skipped:
            continue

        def provenance_of(
            record: Mapping[str, Any], originator: str = set_plan.originator
        ) -> Provenance:
            return Provenance(
                originator, record["id"], opened.header.bundle_id, origin_version=record["version"]
            )

        importer = import_record_set_bulk if bulk else _import_record_set
        created = importer(session, actor, record_set, provenance_of, existing)
        for record_type, record_id, record in created:
            if not record["pictures"]:
                continue
            provenance = provenance_of(record)
            with ExitStack() as stack:
                pictures = [
                    ReceivedPicture(
                        stack.enter_context(attachments[p["sha256"]].open()),
                        p["sha256"],
                        p["caption"],
                        p["concealment_method"],
                    )
                    for p in record["pictures"]
                ]
                where = f"{record_set.name}: pictures of {record_type} {record['id']}"
                refusing(
                    where,
                    attach_received_pictures,
                    session,
                    actor,
                    store,
                    limits,
                    pictures,
                    record_type=SINGULAR[record_type],
                    record_id=record_id,
                    details=provenance.details(),
                )
    return plan

"""The records on a case file: seizures, persons, companies, conveyances and pictures.

An item names a record by kind and id (`ItemType`, `KINDS`). Adding checks that each record
exists, is not deleted, and that the actor may read records; adding a record twice keeps the
first item (idempotent, so "open from a chart" and "add to case" can be repeated). Removing
deletes the item row only, never the record. Both are written to the case's history.

`KINDS` is the one table to extend for a new kind of item (a targeting hit): its model, how
it is labelled and whether a row counts as live; plus the migration that adds the value to the
CHECK constraint of ``investigation_items.record_type``.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ncen.accounts.actor import Actor
from ncen.companies.models import Company
from ncen.conveyances.models import Conveyance
from ncen.db import utcnow
from ncen.errors import Message, NotFoundError, ValidationError
from ncen.investigations.access import load_case, require_work
from ncen.investigations.history import log
from ncen.investigations.models import Investigation, InvestigationItem, ItemType
from ncen.merging.models import Merge
from ncen.persons.models import Person
from ncen.pictures.models import Picture
from ncen.policy import Action, require
from ncen.reading import note_read
from ncen.seizures.models import Seizure
from ncen.targeting.hits import visible_hit_ids
from ncen.targeting.models import Hit
from ncen.validation import Checker

MAX_ITEMS_PER_CALL = 200  # a link chart holds at most 200 nodes
MAX_ITEM_NOTE = 2000


@dataclass(frozen=True)
class ItemKind:
    """How to find and name the records of one item type."""

    model: type[Any]
    label: Callable[[Any], str]
    soft_deleted: bool = True  # the model has ``deleted_at``


def _picture_label(picture: Picture) -> str:
    return picture.caption or f"{picture.mime_type} {picture.width}×{picture.height}"


def _hit_label(hit: Hit) -> str:
    return f"{hit.lane.value} · {hit.score} · {hit.created_at:%Y-%m-%d}"


KINDS: dict[ItemType, ItemKind] = {
    ItemType.SEIZURE: ItemKind(Seizure, lambda record: str(record.reference)),
    ItemType.PERSON: ItemKind(Person, lambda record: str(record.display_name)),
    ItemType.COMPANY: ItemKind(Company, lambda record: str(record.display_name)),
    ItemType.CONVEYANCE: ItemKind(Conveyance, lambda record: str(record.display_name)),
    ItemType.PICTURE: ItemKind(Picture, _picture_label, soft_deleted=False),
    # A hit has no ``deleted_at``; a hit of a deleted seizure is still hidden by the case page,
    # which shows the seizure's item only while the seizure lives.
    ItemType.HIT: ItemKind(Hit, _hit_label, soft_deleted=False),
}


@dataclass(frozen=True)
class ItemView:
    """An item with its record's label and origin node (None: national). ``merged_into`` is
    the survivor's id when the item's record was merged into another one since it was added:
    the view then shows the survivor (undoing the merge shows the record itself again)."""

    item: InvestigationItem
    label: str
    origin_node: str | None
    merged_into: uuid.UUID | None = None

    @property
    def record_id(self) -> uuid.UUID:
        """The id of the record shown (the survivor of a merge, else the item's record)."""
        return self.merged_into or self.item.record_id


def parse_item(raw: object) -> tuple[ItemType, uuid.UUID]:
    """``"kind:uuid"`` (as chart nodes and forms carry them) as an item key; `ValidationError`
    for anything else."""
    text = raw if isinstance(raw, str) else ""
    kind, _, raw_id = text.strip().partition(":")
    try:
        return ItemType(kind), uuid.UUID(raw_id)
    except ValueError:
        raise ValidationError({"items": "choose records to add (kind:id)"}) from None


def _live_records(
    session: Session, record_type: ItemType, ids: Iterable[uuid.UUID]
) -> dict[uuid.UUID, Any]:
    kind = KINDS[record_type]
    wanted = list(set(ids))
    if not wanted:
        return {}
    stmt = select(kind.model).where(kind.model.id.in_(wanted))
    if kind.soft_deleted:
        stmt = stmt.where(kind.model.deleted_at.is_(None))
    return {record.id: record for record in session.execute(stmt).scalars()}


def check_items(
    session: Session, raw_items: Sequence[tuple[object, object]], actor: Actor | None = None
) -> list[tuple[ItemType, uuid.UUID]]:
    """Validate ``(record_type, record_id)`` pairs: known kinds, UUIDs, live records, at most
    `MAX_ITEMS_PER_CALL`. Duplicates are dropped (first wins). Raises `ValidationError` naming
    every bad pair (``items.<n>``). With ``actor``, a hit the actor may not see in the queue
    counts as missing (a hit on a record the user may not see is never revealed)."""
    if len(raw_items) > MAX_ITEMS_PER_CALL:
        raise ValidationError(
            {"items": Message("at most %(max)s records at once", max=MAX_ITEMS_PER_CALL)}
        )
    errors: dict[str, str] = {}
    keys: list[tuple[ItemType, uuid.UUID]] = []
    for n, (record_type, record_id) in enumerate(raw_items):
        try:
            key = (
                ItemType(str(record_type)),
                record_id if isinstance(record_id, uuid.UUID) else uuid.UUID(str(record_id)),
            )
        except ValueError:
            errors[f"items.{n}"] = "is not a record that a case can hold"
            continue
        if key not in keys:
            keys.append(key)
    by_type: dict[ItemType, list[uuid.UUID]] = {}
    for record_type, record_id in keys:
        by_type.setdefault(record_type, []).append(record_id)
    live = {t: _live_records(session, t, ids) for t, ids in by_type.items()}
    if actor is not None and ItemType.HIT in live:
        seen = visible_hit_ids(session, actor, live[ItemType.HIT])
        live[ItemType.HIT] = {k: v for k, v in live[ItemType.HIT].items() if k in seen}
    for n, (record_type, record_id) in enumerate(keys):
        if record_id not in live[record_type]:
            errors[f"items.{n}"] = Message(
                "the %(kind)s %(id)s does not exist", kind=record_type.value, id=str(record_id)
            )
    if errors:
        raise ValidationError(errors)
    return keys


def attach_items(
    session: Session,
    actor: Actor,
    case: Investigation,
    keys: Sequence[tuple[ItemType, uuid.UUID]],
    note: str | None,
) -> list[InvestigationItem]:
    """Add checked ``keys`` to ``case`` (skipping those already on it); log ``item_add``."""
    existing = {
        (record_type, record_id)
        for record_type, record_id in session.execute(
            select(InvestigationItem.record_type, InvestigationItem.record_id).where(
                InvestigationItem.investigation_id == case.id
            )
        )
    }
    added = []
    for record_type, record_id in keys:
        if (record_type, record_id) in existing:
            continue
        item = InvestigationItem(
            id=uuid.uuid4(),
            investigation_id=case.id,
            record_type=record_type,
            record_id=record_id,
            note=note,
            added_by_id=actor.user_id,
            added_at=utcnow(),
        )
        session.add(item)
        added.append(item)
    if added:
        session.flush()
        log(
            session,
            actor,
            case,
            "item_add",
            items=[f"{item.record_type.value}:{item.record_id}" for item in added],
        )
    return added


def add_items(
    session: Session,
    actor: Actor,
    case_id: object,
    items: Sequence[tuple[object, object]],
    *,
    note: object = None,
) -> list[InvestigationItem]:
    """Add records to case ``case_id``: ``items`` are ``(record_type, record_id)`` pairs, with
    one optional ``note`` (why they belong to the case) for all of them.

    Requires ``READ_RECORDS`` and the case's team (or a supervisor). Returns the items added
    (records already on the case are skipped). Raises `NotFoundError`,
    `PermissionDeniedError`, `ValidationError`. Writes the items, the case's history and an
    audit event ``investigation.item_add``; the caller owns the transaction.
    """
    require(actor, Action.READ_RECORDS)
    if case_id is None or case_id == "":
        raise ValidationError({"case_id": "choose an investigation"})
    case = load_case(session, actor, case_id, lock=True)
    require_work(session, case, actor)
    checker = Checker(session, {"note": note})
    text = checker.text("note", max_len=MAX_ITEM_NOTE, multiline=True)
    checker.raise_if_errors()
    if not items:
        raise ValidationError({"items": "choose records to add"})
    return attach_items(session, actor, case, check_items(session, items, actor), text)


def remove_item(session: Session, actor: Actor, case_id: object, item_id: object) -> None:
    """Take one item off case ``case_id`` (the record itself stays). Team or supervisor;
    `NotFoundError` for an item of another case. Logged as ``item_remove``."""
    case = load_case(session, actor, case_id, lock=True)
    require_work(session, case, actor)
    try:
        key = uuid.UUID(str(item_id))
    except ValueError:
        raise NotFoundError("investigation_item", item_id) from None
    item = session.get(InvestigationItem, key)
    if item is None or item.investigation_id != case.id:
        raise NotFoundError("investigation_item", key)
    log(session, actor, case, "item_remove", item=f"{item.record_type.value}:{item.record_id}")
    session.delete(item)
    session.flush()


MAX_MERGE_HOPS = 5  # A merged into B, then B into C...: follow a short chain, never a loop


def _survivors(
    session: Session, record_type: ItemType, ids: Iterable[uuid.UUID]
) -> dict[uuid.UUID, uuid.UUID]:
    """For the records among ``ids`` merged into another one (active merges, chains followed):
    record id -> the survivor's id."""
    current = {record_id: record_id for record_id in ids}
    found: dict[uuid.UUID, uuid.UUID] = {}
    for _hop in range(MAX_MERGE_HOPS):
        if not current:
            break
        step = {
            row[0]: row[1]
            for row in session.execute(
                select(Merge.merged_id, Merge.survivor_id).where(
                    Merge.record_type == record_type.value,
                    Merge.merged_id.in_(set(current.values())),
                    Merge.unmerged_at.is_(None),
                )
            )
        }
        current = {original: step[now] for original, now in current.items() if now in step}
        found.update(current)
    return found


def case_items(session: Session, case: Investigation) -> list[ItemView]:
    """``case``'s items whose records are live, by kind then newest first, with labels.

    An item whose record was merged into another shows the survivor (once per case). Items
    of deleted records are left out (deleted records never appear). The caller has checked
    visibility and audits the read.
    """
    rows = list(
        session.execute(
            select(InvestigationItem)
            .where(InvestigationItem.investigation_id == case.id)
            .order_by(InvestigationItem.added_at.desc(), InvestigationItem.id)
        ).scalars()
    )
    by_type: dict[ItemType, list[uuid.UUID]] = {}
    for item in rows:
        by_type.setdefault(item.record_type, []).append(item.record_id)
    live = {t: _live_records(session, t, ids) for t, ids in by_type.items()}
    merged: dict[ItemType, dict[uuid.UUID, uuid.UUID]] = {}
    for record_type, ids in by_type.items():
        gone = [record_id for record_id in ids if record_id not in live[record_type]]
        if gone and KINDS[record_type].soft_deleted:
            merged[record_type] = _survivors(session, record_type, gone)
            live[record_type].update(
                _live_records(session, record_type, merged[record_type].values())
            )
    views: list[ItemView] = []
    shown: set[tuple[ItemType, uuid.UUID]] = set()
    for item in sorted(rows, key=lambda row: row.record_id not in live[row.record_type]):
        survivor = None
        record = live[item.record_type].get(item.record_id)
        if record is None:
            survivor = merged.get(item.record_type, {}).get(item.record_id)
            record = live[item.record_type].get(survivor) if survivor else None
        if record is None or (item.record_type, record.id) in shown:
            continue
        shown.add((item.record_type, record.id))
        label = KINDS[item.record_type].label(record)
        views.append(ItemView(item, label, getattr(record, "origin_node", None), survivor))
    order = list(ItemType)
    return sorted(
        views,
        key=lambda view: (order.index(view.item.record_type), -view.item.added_at.timestamp()),
    )


@dataclass(frozen=True)
class ItemPreview:
    """A record about to be put on a case: its key, label and origin node."""

    record_type: ItemType
    record_id: uuid.UUID
    label: str
    origin_node: str | None

    @property
    def key(self) -> str:
        """``kind:uuid``, as forms carry it."""
        return f"{self.record_type.value}:{self.record_id}"


def preview_items(
    session: Session, actor: Actor, keys: Sequence[tuple[ItemType, uuid.UUID]], *, view: str
) -> list[ItemPreview]:
    """The live records among ``keys`` with their labels, in the given order (for the form
    that opens a case from a chart, or adds a record to a case). Requires ``READ_RECORDS``;
    audited as ``investigation_item.list`` with the records shown and ``view``."""
    require(actor, Action.READ_RECORDS)
    by_type: dict[ItemType, list[uuid.UUID]] = {}
    for record_type, record_id in keys[:MAX_ITEMS_PER_CALL]:
        by_type.setdefault(record_type, []).append(record_id)
    live = {t: _live_records(session, t, ids) for t, ids in by_type.items()}
    previews = []
    for record_type, record_id in keys[:MAX_ITEMS_PER_CALL]:
        record = live[record_type].get(record_id)
        if record is not None:
            label = KINDS[record_type].label(record)
            origin = getattr(record, "origin_node", None)
            previews.append(ItemPreview(record_type, record_id, label, origin))
    note_read(
        session,
        actor,
        "investigation_item",
        details={"view": view, "items": [preview.key for preview in previews]},
    )
    return previews

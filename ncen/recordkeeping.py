"""What every record service does around its own logic: load for update, version, history, audit.

`load_for_update` locks the row and refuses a stale version; `commit_change` bumps the version,
writes the history row and the audit event, raises the watch-list alerts the change
matches (`ncen.watch.matching`) and the hits of the active risk profiles
(`ncen.targeting.evaluation`). Domain services stay about their domain.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any, Generic, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from ncen.accounts.actor import Actor
from ncen.audit import record_event
from ncen.db import utcnow
from ncen.errors import ConflictError, NotFoundError
from ncen.history import ChangeKind, record_version
from ncen.policy import Action, require
from ncen.records import HandlingCode, Provenance, RecordMixin
from ncen.retention.dates import (
    assign_review_date,
    extend_linked_reviews,
    tighten_review_date,
)
from ncen.targeting.evaluation import evaluate_change
from ncen.validation import Checker
from ncen.watch.matching import raise_alerts

R = TypeVar("R", bound=RecordMixin)
# session.info key, set while `ncen.bulk.building` builds records that `replace_children` may
# fill without the ORM's collection events (they are copied, never flushed).
BULK_BUILDING = "ncen.bulk.building"

# The changes that can make a record match a watch (see `ncen.watch.matching`).
_ALERTING = frozenset(
    {ChangeKind.CREATE, ChangeKind.UPDATE, ChangeKind.RESTORE, ChangeKind.LINK, ChangeKind.STATUS}
)


# Exact types (not subclasses: a StrEnum is a str) that are JSON already.
_PLAIN = frozenset({str, int, float, bool})


def jsonable(value: Any) -> Any:
    """Turn a snapshot value into plain JSON (UUIDs, dates, decimals and enums as strings)."""
    kind = type(value)
    if value is None or kind in _PLAIN:  # most values: bulk imports make millions
        return value
    convert = _CONVERTERS.get(kind)
    if convert is None:
        convert = _CONVERTERS[kind] = _converter(kind)
    return convert(value)


def _converter(kind: type[Any]) -> Callable[[Any], Any]:
    """How `jsonable` turns a value of ``kind`` into JSON: decided once per type, as a bulk
    write snapshots millions of values of a dozen types."""
    if issubclass(kind, Enum):
        return _enum_value
    if issubclass(kind, uuid.UUID | Decimal):
        return str
    if issubclass(kind, datetime | date):
        return _isoformat
    if issubclass(kind, Mapping):
        return lambda value: {str(k): jsonable(v) for k, v in value.items()}
    if issubclass(kind, list | tuple):
        return lambda value: [jsonable(v) for v in value]
    return _unchanged


def _enum_value(value: Enum) -> Any:
    return value.value


def _isoformat(value: date) -> str:
    return value.isoformat()


def _unchanged(value: Any) -> Any:
    return value


# Value type -> its converter for `jsonable`, filled on first use of each type.
_CONVERTERS: dict[type[Any], Callable[[Any], Any]] = {}


def jsonable_dict(value: Mapping[str, Any]) -> dict[str, Any]:
    """`jsonable` for a mapping, typed as the dict it returns."""
    return {str(k): jsonable(v) for k, v in value.items()}


def common_snapshot(record: RecordMixin) -> dict[str, Any]:
    """The snapshot fields every record shares."""
    return {
        "handling_code": record.handling_code.value,
        "handling_restrictions": record.handling_restrictions,
        "origin_node": record.origin_node,
        "origin_id": record.origin_id,
        "deleted": record.deleted_at is not None,
    }


def get_live(session: Session, model: type[R], record_id: uuid.UUID, record_type: str) -> R:
    """Fetch a record that is not soft-deleted, or raise `NotFoundError`."""
    record = session.get(model, record_id)
    if record is None or record.deleted_at is not None:
        raise NotFoundError(record_type, record_id)
    return record


def lock_record(
    session: Session,
    model: type[R],
    record_id: uuid.UUID,
    record_type: str,
    *,
    include_deleted: bool = False,
) -> R:
    """Lock the row ``FOR UPDATE`` (re-read, so its values are the committed ones).

    Raises `NotFoundError` if missing (or deleted, unless ``include_deleted``).
    """
    stmt = (
        select(model)
        .where(model.id == record_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    record = session.execute(stmt).scalar_one_or_none()
    if record is None or (record.deleted_at is not None and not include_deleted):
        raise NotFoundError(record_type, record_id)
    return record


def load_for_update(
    session: Session,
    model: type[R],
    record_id: uuid.UUID,
    expected_version: int,
    record_type: str,
    *,
    include_deleted: bool = False,
) -> R:
    """Lock the row ``FOR UPDATE`` and check the version the user edited.

    Raises `NotFoundError` if missing (or deleted), `ConflictError` if the version is stale.
    The lock makes two concurrent edits of the same version serialise, so the second one sees
    the first one's new version and is refused instead of overwriting it.
    """
    record = lock_record(session, model, record_id, record_type, include_deleted=include_deleted)
    if record.version != expected_version:
        raise ConflictError(record_type, record_id, expected_version, record.version)
    return record


def commit_change(
    session: Session,
    actor: Actor,
    record: RecordMixin,
    *,
    record_type: str,
    kind: ChangeKind,
    before: Mapping[str, Any] | None,
    after: Mapping[str, Any],
    details: Mapping[str, Any] | None = None,
) -> None:
    """Flush ``record`` with its next version, then write its history row and audit event.

    The version moves exactly once per call, also for a change that touched only child rows
    (names, items, links), so that concurrent editors of the record are refused. A new record
    gets its retention review date here, a seizure's change moves the review dates of the
    entities linked to it, and a new handling code brings the record's own date forward when
    it is stricter (`ncen.retention.dates`): every service write passes here.
    """
    if kind is not ChangeKind.CREATE:
        record.version += 1
    else:
        assign_review_date(record_type, record, utcnow().date())
    session.flush()
    if record_type == "seizure" and kind in _ALERTING:
        extend_linked_reviews(session, record)
    if before is not None and before.get("handling_code") != after.get("handling_code"):
        tighten_review_date(session, record_type, record)
    record_version(
        session,
        actor,
        record_type=record_type,
        record_id=record.id,
        version=record.version,
        kind=kind,
        before=before,
        after=after,
    )
    record_event(
        session,
        actor,
        f"{record_type}.{kind.value}",
        record_type=record_type,
        record_id=record.id,
        details={"version": record.version, **(details or {})},
    )
    if kind in _ALERTING:
        # The one watch-list hook: every create, update, import and link change of a record
        # passes here. One indexed query when nobody watches.
        event = "import" if kind is ChangeKind.CREATE and record.is_foreign else kind.value
        raise_alerts(session, record_type, record, event)
        # The risk profiles are matched here too, in the same transaction as the write: a
        # record is never missed, and a rollback takes its hits with it.
        evaluate_change(session, record_type, record, event)


def set_deleted(
    session: Session,
    actor: Actor,
    model: type[R],
    record_id: uuid.UUID,
    expected_version: int,
    *,
    record_type: str,
    snapshot: Callable[[R], dict[str, Any]],
    deleted: bool,
) -> R:
    """Soft-delete (``deleted=True``) or restore a record; a supervisor's action.

    A deleted record disappears from lists, searches and links; its history stays, and restore
    brings it back exactly. Raises `NotFoundError`, `ConflictError`, `PermissionDeniedError`.
    """
    record = load_for_update(
        session, model, record_id, expected_version, record_type, include_deleted=not deleted
    )
    if deleted == (record.deleted_at is not None):
        raise ConflictError(record_type, record_id, expected_version, record.version)
    require(actor, Action.DELETE_RECORD, record)
    before = snapshot(record)
    record.deleted_at = utcnow() if deleted else None
    commit_change(
        session,
        actor,
        record,
        record_type=record_type,
        kind=ChangeKind.DELETE if deleted else ChangeKind.RESTORE,
        before=before,
        after=snapshot(record),
    )
    return record


def read_handling(c: Checker) -> tuple[HandlingCode, str | None]:
    """The handling code and its free-text restrictions (required for H3)."""
    handling = c.choice("handling_code", HandlingCode) or HandlingCode.H0
    restrictions = c.text("handling_restrictions", max_len=2000)
    if handling is HandlingCode.H3 and not restrictions:
        c.fail("handling_restrictions", "H3 needs the restrictions written out")
    return handling, restrictions


def replace_children(session: Session, record: RecordMixin, **collections: list[Any]) -> None:
    """Replace child collections (names, items, ...) of ``record`` with new rows.

    For a stored record the old rows are deleted with one DELETE per collection first: the unit
    of work would otherwise insert the new rows before deleting the old ones and trip the unique
    keys (position, country...) that old and new rows share. The DELETE does not touch the
    parent row, so the record's version still moves only once, when the caller's change flushes.
    """
    from sqlalchemy import delete, inspect

    state = inspect(record)
    if state.persistent:
        mapper = state.mapper
        for name in collections:
            relationship = mapper.relationships[name]
            child_table = relationship.mapper.local_table
            condition = [
                child_column == getattr(record, mapper.get_property_by_column(parent_column).key)
                for parent_column, child_column in relationship.synchronize_pairs
            ]
            for child in list(getattr(record, name)):
                session.expunge(child)
            session.execute(delete(child_table).where(*condition))
            set_committed_value(record, name, [])
    if session.info.get(BULK_BUILDING) and state.transient:
        # A record built for a bulk write (`ncen.bulk.building`) is never flushed by the ORM:
        # its rows are copied from the objects' state (`ncen.bulk.copying`), so the lists are
        # put in that state as they are, without the collection machinery (events, backrefs,
        # the unit of work's bookkeeping), which cost more than the rest of building.
        state.dict.update(collections)
        return
    for name, rows in collections.items():
        setattr(record, name, rows)


@dataclass(frozen=True)
class RecordKind(Generic[R]):
    """What the generic use cases need to know about one record type."""

    model: type[R]
    record_type: str
    apply: Callable[[Session, R, Mapping[str, Any]], None]  # validate all of data, then set it
    snapshot: Callable[[R], dict[str, Any]]


def create_record(
    session: Session,
    actor: Actor,
    kind: RecordKind[R],
    data: Mapping[str, Any],
    *,
    provenance: Provenance | None = None,
) -> R:
    """Create a record of ``kind`` from ``data``; return it flushed at version 1.

    National records need ``CREATE_RECORDS``. With ``provenance`` the record is foreign
    (received from another node, never merged into a national one) and needs
    ``RUN_EXCHANGE``. Raises `PermissionDeniedError` or `ValidationError`; writes history and
    audit (foreign: the event details carry the provenance).
    """
    require(actor, Action.CREATE_RECORDS if provenance is None else Action.RUN_EXCHANGE)
    record = kind.model()
    record.id = uuid.uuid4()
    record.created_by_id = actor.user_id
    if provenance is not None:
        record.set_provenance(provenance)
    kind.apply(session, record, data)
    session.add(record)
    commit_change(
        session,
        actor,
        record,
        record_type=kind.record_type,
        kind=ChangeKind.CREATE,
        before=None,
        after=kind.snapshot(record),
        details=provenance.details() if provenance is not None else None,
    )
    return record


def update_record(
    session: Session,
    actor: Actor,
    kind: RecordKind[R],
    record_id: uuid.UUID,
    *,
    expected_version: int,
    data: Mapping[str, Any],
) -> R:
    """Replace the record's fields with ``data`` if ``expected_version`` is current.

    Raises `NotFoundError`, `ConflictError`, `PermissionDeniedError` or `ValidationError`.
    """
    record = load_for_update(session, kind.model, record_id, expected_version, kind.record_type)
    require(actor, Action.UPDATE_RECORD, record)
    before = kind.snapshot(record)
    kind.apply(session, record, data)
    commit_change(
        session,
        actor,
        record,
        record_type=kind.record_type,
        kind=ChangeKind.UPDATE,
        before=before,
        after=kind.snapshot(record),
    )
    return record

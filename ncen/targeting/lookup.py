"""Lookup lists that analysts maintain (companies, documents, plates, containers, B/L prefixes).

A list is named in expressions as ``lookup("name")``; its entries are stored normalised
(`ncen.targeting.fields.identifier_key`) so that they meet the records' identifiers however
they were typed. Changing a list changes what the profiles that name it match from the next
evaluation on (`ncen.targeting.evaluation` reloads when a list's ``updated_at`` moves).
Entries may be nominal (document numbers): every change is audited without the values.
"""

from __future__ import annotations

import re
import uuid

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ncen.accounts.actor import Actor
from ncen.audit import record_event
from ncen.db import utcnow
from ncen.errors import NotFoundError, ValidationError
from ncen.policy import Action, require
from ncen.targeting.fields import identifier_key
from ncen.targeting.language import check_text
from ncen.targeting.matcher import LookupValues
from ncen.targeting.models import ListKind, LookupEntry, LookupList

MAX_ENTRIES_PER_CALL = 5000
_NAME = re.compile(r"[a-z0-9][a-z0-9_-]{1,63}")


def _check_name(name: str) -> str:
    name = (name or "").strip().lower()
    if not _NAME.fullmatch(name):
        raise ValidationError(
            {"name": "2 to 64 lower-case letters, digits, - or _ (it is typed in expressions)"}
        )
    return name


def create_list(
    session: Session, actor: Actor, *, name: str, kind: str, description: str = ""
) -> LookupList:
    """Create an empty list. Raises `ValidationError` (bad or taken name, unknown kind)."""
    require(actor, Action.MANAGE_PROFILES)
    errors: dict[str, str] = {}
    try:
        name = _check_name(name)
    except ValidationError as exc:
        errors.update(exc.errors)
    try:
        list_kind = ListKind(kind)
    except ValueError:
        errors["kind"] = "choose what the list holds"
    description = (description or "").strip()
    try:
        check_text(description)
    except ValidationError:
        errors["description"] = "remove control characters and direction marks"
    if not errors and session.execute(select(LookupList.id).where(LookupList.name == name)).first():
        errors["name"] = "a list of that name exists"
    if errors:
        raise ValidationError(errors)
    lookup = LookupList(
        id=uuid.uuid4(),
        name=name,
        kind=list_kind,
        description=description[:2000],
        owner_id=actor.user_id,
    )
    session.add(lookup)
    session.flush()
    record_event(session, actor, "targeting.list.create", details={"list": name})
    return lookup


def get_list(session: Session, list_id: uuid.UUID) -> LookupList:
    """The list, or `NotFoundError`."""
    lookup = session.get(LookupList, list_id)
    if lookup is None:
        raise NotFoundError("lookup list", list_id)
    return lookup


def add_entries(
    session: Session, actor: Actor, list_id: uuid.UUID, raw: str, note: str = ""
) -> int:
    """Add the values of ``raw`` (one per line or comma-separated) to the list; return how many
    were new. Raises `ValidationError` for a value without letters or digits or too many."""
    require(actor, Action.MANAGE_PROFILES)
    lookup = get_list(session, list_id)
    try:
        check_text(raw.replace(",", "\n"))
    except ValidationError:
        raise ValidationError({"values": "remove control characters and direction marks"}) from None
    values = [v.strip() for v in re.split(r"[\n,;]", raw or "") if v.strip()]
    if not values:
        raise ValidationError({"values": "enter at least one value"})
    if len(values) > MAX_ENTRIES_PER_CALL:
        raise ValidationError({"values": f"at most {MAX_ENTRIES_PER_CALL} values at a time"})
    keys = []
    for value in values:
        key = identifier_key(value)
        if not key or len(key) > 64:
            raise ValidationError({"values": f"“{value[:40]}” is not an identifier"})
        keys.append(key)
    existing = set(
        session.execute(select(LookupEntry.value).where(LookupEntry.list_id == lookup.id)).scalars()
    )
    new = [k for k in dict.fromkeys(keys) if k not in existing]
    session.add_all(
        LookupEntry(id=uuid.uuid4(), list_id=lookup.id, value=k, note=note[:300]) for k in new
    )
    lookup.updated_at = utcnow()
    session.flush()
    record_event(
        session, actor, "targeting.list.add", details={"list": lookup.name, "added": len(new)}
    )
    return len(new)


def remove_entry(session: Session, actor: Actor, list_id: uuid.UUID, entry_id: uuid.UUID) -> None:
    """Remove one entry. Raises `NotFoundError`."""
    require(actor, Action.MANAGE_PROFILES)
    lookup = get_list(session, list_id)
    entry = session.get(LookupEntry, entry_id)
    if entry is None or entry.list_id != lookup.id:
        raise NotFoundError("lookup entry", entry_id)
    session.delete(entry)
    lookup.updated_at = utcnow()
    session.flush()
    record_event(session, actor, "targeting.list.remove", details={"list": lookup.name})


def list_lists(session: Session, actor: Actor) -> list[tuple[LookupList, int]]:
    """Every list with its entry count, by name."""
    require(actor, Action.MANAGE_PROFILES)
    rows = session.execute(
        select(LookupList, func.count(LookupEntry.id))
        .outerjoin(LookupEntry, LookupEntry.list_id == LookupList.id)
        .group_by(LookupList.id)
        .order_by(LookupList.name)
    ).all()
    return [(lookup, count) for lookup, count in rows]


def load_lists(session: Session, names: set[str] | None = None) -> dict[str, LookupValues]:
    """The entries of the lists (all, or those named), ready for the matcher and SQL."""
    stmt = select(LookupList.name, LookupList.kind, LookupEntry.value).outerjoin(
        LookupEntry, LookupEntry.list_id == LookupList.id
    )
    if names is not None:
        stmt = stmt.where(LookupList.name.in_(sorted(names)))
    found: dict[str, tuple[ListKind, set[str]]] = {}
    for name, kind, value in session.execute(stmt):
        entry = found.setdefault(name, (kind, set()))
        if value is not None:
            entry[1].add(value)
    return {
        name: LookupValues(frozenset(values), prefix=kind is ListKind.BL_PREFIX)
        for name, (kind, values) in found.items()
    }

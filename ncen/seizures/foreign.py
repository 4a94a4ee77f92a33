"""Seizures received from other nodes: created, and updated by their originator only.

A foreign seizure keeps its originator's reference (prefixed with the origin node), status and
links to the foreign persons, companies and conveyances received with it. It is never merged
into a national record; analysts link the two instead.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Mapping
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from ncen.accounts.actor import Actor
from ncen.foreign import lock_foreign
from ncen.history import ChangeKind
from ncen.policy import Action, require
from ncen.records import Provenance
from ncen.seizures.models import Seizure, SeizureStatus
from ncen.seizures.services import _LINKS, RECORD_TYPE, _commit, apply_seizure
from ncen.seizures.snapshots import snapshot
from ncen.validation import Checker

FOREIGN_LINK_KEYS = {"person": "persons", "company": "companies", "conveyance": "conveyances"}

# A received seizure's customs office is the originator's national code, not in our tables: it
# is kept at the end of the place text as a code-only mark, which pages name in the reader's
# language (`split_office`). Nodes before issue 15 wrote ", customs office <code>" instead.
PLACE_LENGTH = 200
_OFFICE_MARK = "[customs_office: {code}]"
_OFFICE_IN_PLACE = re.compile(
    r"(?:^|, )(?:\[customs_office: (?P<code>[^\]]{1,64})\]|customs office (?P<legacy>\S{1,64}))$"
)


def place_with_office(place: str | None, office: str) -> str:
    """``place`` followed by the mark of the originator's customs office ``office``, within
    the place's length (the place text is shortened, never the mark)."""
    mark = _OFFICE_MARK.format(code=office)[:PLACE_LENGTH]
    room = PLACE_LENGTH - len(mark) - 2
    return ", ".join(part for part in ((place or "")[: max(room, 0)], mark) if part)


def split_office(place: str | None) -> tuple[str | None, str | None]:
    """A received seizure's place text and its originator's customs office code (None when
    there is none), as `place_with_office` wrote them."""
    if not place:
        return place, None
    found = _OFFICE_IN_PLACE.search(place)
    if found is None:
        return place, None
    return place[: found.start()] or None, found["code"] or found["legacy"]


def foreign_reference(origin_node: str, reference: str) -> str:
    """The local reference of a foreign seizure: the origin node, a slash, its own reference.

    References are unique per node, so a received one is kept apart from national ones (and
    from another node's that happens to read the same) by its origin.
    """
    return f"{origin_node}/{reference}"


ForeignLink = tuple[str, uuid.UUID, str, str | None]


def _read_foreign_links(
    session: Session, c: Checker, live_here: frozenset[uuid.UUID] | set[uuid.UUID] = frozenset()
) -> list[ForeignLink]:
    """The links of ``persons``/``companies``/``conveyances`` (``[{"id", "role", "note"}]``) as
    ``(kind, target id, role, note)``. Targets in ``live_here`` are known to be live (records
    a bulk import builds in the same transaction); the others are looked up."""
    links: list[ForeignLink] = []
    for kind, key in FOREIGN_LINK_KEYS.items():
        _link_model, target_model, role_model, _column = _LINKS[kind]
        wanted: list[tuple[int, uuid.UUID, str, str | None]] = []
        for i, raw in enumerate(c.items(key, max_items=500)):
            lc = c.nested(raw, f"{key}.{i}")
            role = lc.code("role", role_model, required=True)
            note = lc.text("note", max_len=2000)
            try:
                target_id = uuid.UUID(str(raw.get("id")))
            except ValueError:
                lc.fail("id", f"is not a {kind} id")
                continue
            if role is not None:
                wanted.append((i, target_id, role, note))
        # Membership tests only: ``live_here`` grows with the bundle (every record a bulk
        # import built so far), so copying it per seizure made an import quadratic.
        unknown = {t for _, t, _, _ in wanted if t not in live_here}
        # One query per kind: which of the other named records exist and are live.
        found = (
            set(
                session.execute(
                    select(target_model.id).where(
                        target_model.id.in_(unknown), target_model.deleted_at.is_(None)
                    )
                ).scalars()
            )
            if unknown
            else set()
        )
        seen: set[tuple[uuid.UUID, str]] = set()
        for i, target_id, role, note in wanted:
            if target_id not in live_here and target_id not in found:
                c.fail(f"{key}.{i}.id", f"no {kind} {target_id}")
                continue
            if (target_id, role) in seen:
                continue
            seen.add((target_id, role))
            links.append((kind, target_id, role, note))
    return links


def _link_rows(seizure_id: uuid.UUID, links: list[ForeignLink]) -> list[Any]:
    rows = []
    for kind, target_id, role, note in links:
        link_model, _target, _roles, column = _LINKS[kind]
        link = link_model(seizure_id=seizure_id, role=role, note=note)
        setattr(link, column, target_id)
        rows.append(link)
    return rows


def build_foreign_seizure(
    session: Session,
    actor: Actor,
    data: Mapping[str, Any],
    provenance: Provenance,
    live_here: frozenset[uuid.UUID] | set[uuid.UUID] = frozenset(),
) -> tuple[Seizure, list[ForeignLink]]:
    """A received seizure validated and built in memory as `import_foreign_seizure` creates
    it, with its links ``(kind, target id, role, note)``; not added to the session (bulk
    imports, `ncen.bulk`, write it). ``live_here``: link targets known to be live without a
    query. Needs ``RUN_EXCHANGE``; raises `PermissionDeniedError` or `ValidationError`."""
    require(actor, Action.RUN_EXCHANGE)
    seizure = Seizure(id=uuid.uuid4(), created_by_id=actor.user_id)
    seizure.set_provenance(provenance)
    c = Checker(session, data)
    reference = c.text("reference", required=True, max_len=64)
    status = c.choice("status", SeizureStatus) or SeizureStatus.DRAFT
    links = _read_foreign_links(session, c, live_here)
    prepared = dict(data)
    prepared["reference"] = foreign_reference(provenance.origin_node, reference or "")
    checker = Checker(session, prepared)
    checker.errors = c.errors
    apply_seizure(session, seizure, prepared, checker)
    seizure.status = status
    return seizure, links


def import_foreign_seizure(
    session: Session, actor: Actor, data: Mapping[str, Any], provenance: Provenance
) -> Seizure:
    """Create a seizure received from another node, with its items and its links.

    ``data`` has the shape `record_seizure` takes plus ``status`` (the originator's) and the
    links ``persons``, ``companies`` and ``conveyances``, each ``[{"id", "role", "note"}]``
    naming records of this node (the caller imports the linked records first). The reference
    becomes `foreign_reference`. The seizure is a foreign record with ``provenance``, never
    merged into a national one, created as one version with its links. Needs
    ``RUN_EXCHANGE``. Raises `PermissionDeniedError` or `ValidationError` (every bad field at
    once); writes history and audit.
    """
    seizure, links = build_foreign_seizure(session, actor, data, provenance)
    session.add(seizure)
    session.flush()
    session.add_all(_link_rows(seizure.id, links))
    _commit(session, actor, seizure, ChangeKind.CREATE, before=None, details=provenance.details())
    return seizure


def update_foreign_seizure(
    session: Session,
    actor: Actor,
    seizure_id: uuid.UUID,
    data: Mapping[str, Any],
    provenance: Provenance,
) -> Seizure:
    """Apply the originator's newer version ``data`` (shape of `import_foreign_seizure`) to a
    foreign seizure: fields, items, status and links are replaced, as one new version.

    Needs ``RUN_EXCHANGE``. Raises `NotFoundError` (missing, or retracted), `PermissionDeniedError`
    (another node's seizure) or `ValidationError`; writes history and audit with the provenance.
    """
    require(actor, Action.RUN_EXCHANGE)
    seizure = lock_foreign(session, Seizure, seizure_id, provenance, RECORD_TYPE)
    before = snapshot(session, seizure)
    c = Checker(session, data)
    reference = c.text("reference", required=True, max_len=64)
    status = c.choice("status", SeizureStatus) or seizure.status
    links = _read_foreign_links(session, c)
    prepared = dict(data)
    prepared["reference"] = foreign_reference(provenance.origin_node, reference or "")
    checker = Checker(session, prepared)
    checker.errors = c.errors
    apply_seizure(session, seizure, prepared, checker)
    seizure.status = status
    seizure.received_bundle_id = provenance.received_bundle_id
    seizure.origin_version = provenance.origin_version
    for link_model, *_ in _LINKS.values():
        session.execute(delete(link_model).where(link_model.seizure_id == seizure.id))
    session.add_all(_link_rows(seizure.id, links))
    _commit(session, actor, seizure, ChangeKind.UPDATE, before=before, details=provenance.details())
    return seizure

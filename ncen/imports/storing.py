"""Store one planned row through the record services: whole, or not at all (the per-record
path: rows that update stored records, and batches the database refused; new rows are written
in batches by `ncen.imports.batching`, which shares the keys and memo defined here).

`store_row` writes the records of a `RowPlan` (the seizure, then each person, company and
conveyance the row names, then the links between them) inside one SAVEPOINT. If any service
refuses anything, the SAVEPOINT is rolled back (with the audit events it queued), and
`RowRefusedError` lists every problem with the column to blame: a record with its links is
stored whole or not at all.

Each record is found by its key in its source (`ncen.sources`): the mapping's ``id`` columns
or, without them, an identifier the row gives (document, registration number, conveyance
identifier), or else a digest of the record's data. The same key given again (in this file or
an earlier import) updates that record as a new version with history, or leaves it alone when
nothing changed, so importing the same file twice changes nothing. Records met earlier in the
same file are taken from the run's `Recognised` memo without a query. Records with no key
match to others only by the duplicate candidates queue (``ncen duplicates scan``).
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import String, any_, bindparam, select
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ncen.accounts.actor import Actor
from ncen.audit import drop_pending_since, pending_mark
from ncen.companies import services as companies
from ncen.companies.models import Company
from ncen.conveyances import services as conveyances
from ncen.conveyances.models import Conveyance
from ncen.errors import ConflictError, NcenError, NotFoundError, ValidationError
from ncen.imports.rows import Problem, RecordData, RowPlan
from ncen.persons import services as persons
from ncen.persons.models import Person
from ncen.seizures import services as seizures
from ncen.seizures.models import Seizure, SeizureCompany, SeizureConveyance, SeizurePerson
from ncen.seizures.snapshots import snapshot as seizure_snapshot
from ncen.sources import MAX_SOURCE_ID, SourceKey, find_by_source


@dataclass(frozen=True, slots=True)
class _Kind:
    model: Any
    create: Callable[[Session, Actor, dict[str, Any]], Any]
    update: Callable[[Session, Actor, uuid.UUID, int, dict[str, Any]], Any]
    snapshot: Callable[[Session, Any], dict[str, Any]]


_KINDS = {
    "seizure": _Kind(Seizure, seizures.record_seizure, seizures.update_seizure, seizure_snapshot),
    "person": _Kind(
        Person, persons.create_person, persons.update_person, lambda _s, r: persons.snapshot(r)
    ),
    "company": _Kind(
        Company,
        companies.create_company,
        companies.update_company,
        lambda _s, r: companies.snapshot(r),
    ),
    "conveyance": _Kind(
        Conveyance,
        conveyances.create_conveyance,
        conveyances.update_conveyance,
        lambda _s, r: conveyances.snapshot(r),
    ),
}
_LINK_MODELS: dict[str, tuple[Any, str]] = {
    "person": (SeizurePerson, "person_id"),
    "company": (SeizureCompany, "company_id"),
    "conveyance": (SeizureConveyance, "conveyance_id"),
}


class RowRefusedError(NcenError):
    """The row was not stored; ``problems`` say why (nothing of it was written)."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("; ".join(f"{p.column}: {p.reason}" for p in problems))


@dataclass(frozen=True, slots=True)
class Known:
    """A record an earlier import stored under a key: its id, data digest, whether deleted."""

    id: uuid.UUID
    digest: str | None
    deleted: bool


@dataclass(slots=True)
class Recognised:
    """The records of this run by (kind, source id), what `prefetch` found stored, and what
    the run did, by kind."""

    ids: dict[tuple[str, str], uuid.UUID] = field(default_factory=dict)
    known: dict[tuple[str, str], Known | None] = field(default_factory=dict)
    created: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)
    unchanged: dict[str, int] = field(default_factory=dict)
    links: int = 0

    def copy(self) -> Recognised:
        """A copy to go back to when a group of rows is rolled back."""
        return Recognised(
            dict(self.ids),
            dict(self.known),
            dict(self.created),
            dict(self.updated),
            dict(self.unchanged),
            self.links,
        )

    def restore(self, saved: Recognised) -> None:
        """Forget what was noted since ``saved`` was copied."""
        self.ids, self.known, self.links = saved.ids, saved.known, saved.links
        self.created, self.updated, self.unchanged = saved.created, saved.updated, saved.unchanged

    def absorb(self, run: Recognised) -> None:
        """Add what one stored row did (``run``) to the run's totals."""
        self.ids.update(run.ids)
        self.known.update(run.known)
        for name in ("created", "updated", "unchanged"):
            totals: dict[str, int] = getattr(self, name)
            for kind, count in getattr(run, name).items():
                totals[kind] = totals.get(kind, 0) + count
        self.links += run.links


def record_key(record: RecordData) -> str:
    """The record's id in its source: the mapped id, else an identifier, else a digest."""
    if record.source_id:
        return record.source_id[:MAX_SOURCE_ID]
    data = record.data
    if record.spec.kind == "person" and data.get("documents"):
        doc = data["documents"][0]
        return f"document:{doc.get('doc_type')}:{doc['number']}"[:MAX_SOURCE_ID]
    if record.spec.kind == "company" and data.get("registration_number"):
        return f"registration:{data.get('country')}:{data['registration_number']}"[:MAX_SOURCE_ID]
    if record.spec.kind == "conveyance" and data.get("identifiers"):
        ident = data["identifiers"][0]
        return f"{ident['kind']}:{ident['value']}"[:MAX_SOURCE_ID]
    return "digest:" + _digest(data)[:40]


def _digest(value: object) -> str:
    canonical = json.dumps(value, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


def row_digest(plan: RowPlan) -> str:
    """The digest of everything a row gives: each record's data, key and role. Stored on the
    row's main record, so that the same row again is recognised with no further query."""
    return _digest([(r.spec.kind, r.spec.role, record_key(r), r.data) for r in plan.records])


def prefetch(session: Session, plans: list[RowPlan], source: str, seen: Recognised) -> None:
    """Look up, with one query per record type, every key of ``plans`` not met yet in this
    run, and note in ``seen.known`` what earlier imports stored under each (None: nothing).
    Lets `store_row` create new records and skip unchanged ones without a query per row."""
    wanted: dict[str, set[str]] = {}
    for plan in plans:
        for record in plan.records:
            key = record_key(record)
            if (record.spec.kind, key) not in seen.known:
                wanted.setdefault(record.spec.kind, set()).add(key)
    for kind, keys in wanted.items():
        model = _KINDS[kind].model
        found = session.execute(
            select(model.source_id, model.id, model.source_digest, model.deleted_at).where(
                # One array parameter, not an IN list of a chunk's thousands of keys.
                model.source == source,
                model.source_id == any_(bindparam("keys", sorted(keys), ARRAY(String))),
            )
        ).all()
        seen.known.update(dict.fromkeys(((kind, k) for k in keys), None))
        for source_id, record_id, digest, deleted_at in found:
            seen.known[(kind, source_id)] = Known(record_id, digest, deleted_at is not None)


def store_row(
    session: Session, actor: Actor, plan: RowPlan, source: str, seen: Recognised
) -> uuid.UUID:
    """Write ``plan`` whole in a SAVEPOINT; return the id of its main record.

    Raises `RowRefusedError` (the SAVEPOINT rolled back, ``seen`` untouched) when a cell could
    not be read or any service refused the row. Needs the services' permissions
    (``CREATE_RECORDS``, ``UPDATE_RECORD``); writes records, history, audit, links. A row
    whose main record holds this row's digest already is left alone without a write.
    """
    if plan.problems:
        raise RowRefusedError(plan.problems)
    mark = pending_mark(session)
    savepoint = session.begin_nested()
    try:
        main_id = _store_row(session, actor, plan, source, seen)
    except (ValidationError, ConflictError, NotFoundError, IntegrityError) as exc:
        savepoint.rollback()
        drop_pending_since(session, mark)
        raise RowRefusedError(list(_problems(plan, exc))) from exc
    except BaseException:
        savepoint.rollback()
        drop_pending_since(session, mark)
        raise
    savepoint.commit()
    return main_id


def _store_row(
    session: Session, actor: Actor, plan: RowPlan, source: str, seen: Recognised
) -> uuid.UUID:
    """Store one row inside the caller's SAVEPOINT; note what it did in ``seen`` only when
    it succeeded (the caller rolls back otherwise)."""
    main = plan.records[0]
    digest = row_digest(plan)
    memo = (main.spec.kind, record_key(main))
    known = seen.known.get(memo)
    if known is not None and known.digest == digest and not known.deleted:
        _count(seen.unchanged, main.spec.kind)
        seen.ids[memo] = known.id
        return known.id
    run = Recognised()
    main_id = _store(session, actor, plan, source, seen, run, digest)
    seen.absorb(run)
    return main_id


def _store(  # noqa: PLR0917 - the row, where it goes, and the run's memo
    session: Session,
    actor: Actor,
    plan: RowPlan,
    source: str,
    seen: Recognised,
    run: Recognised,
    digest: str,
) -> uuid.UUID:
    main, *linked = plan.records
    main_id, _created = _upsert(session, actor, main, source, seen, run, digest)
    links: list[tuple[str, uuid.UUID, str]] = []
    for record in linked:
        target, _created = _upsert(session, actor, record, source, seen, run, None)
        if main.spec.kind == "seizure" and record.spec.role:
            links.append((record.spec.kind, target, record.spec.role))
    if links:
        # One change of the seizure for all the row's links (one version, history, audit).
        seizure = session.get(Seizure, main_id)
        assert seizure is not None
        run.links += len(seizures.link_entities(session, actor, main_id, seizure.version, links))
    return main_id


class _RefusedError(ValidationError):
    """A service's refusal, with the record of the row it is about (to blame its columns)."""

    def __init__(self, record: RecordData, errors: dict[str, str]) -> None:
        self.record = record
        super().__init__(errors)


def _upsert(  # noqa: PLR0917
    session: Session,
    actor: Actor,
    record: RecordData,
    source: str,
    seen: Recognised,
    run: Recognised,
    row_digest: str | None,
) -> tuple[uuid.UUID, bool]:
    """Create or update one record; return its id and whether it was created."""
    kind = _KINDS[record.spec.kind]
    key = record_key(record)
    memo = (record.spec.kind, key)
    earlier = run.ids.get(memo) or seen.ids.get(memo)
    if earlier is not None and record.spec.kind != "seizure":
        return earlier, False  # met earlier in this file: written as that row had it
    digest = row_digest or _digest(record.data)
    try:
        stored, created = _write(
            session, actor, kind, record, SourceKey(source, key), digest, seen, run
        )
    except ValidationError as exc:
        raise _RefusedError(record, exc.errors) from exc
    run.ids[memo] = stored
    return stored, created


def _write(  # noqa: PLR0917
    session: Session,
    actor: Actor,
    kind: _Kind,
    record: RecordData,
    key: SourceKey,
    digest: str,
    seen: Recognised,
    run: Recognised,
) -> tuple[uuid.UUID, bool]:
    name = record.spec.kind
    memo = (name, str(key.source_id))
    if memo in run.known or memo in seen.known:
        known = run.known[memo] if memo in run.known else seen.known[memo]
        existing = None if known is None else session.get(kind.model, known.id)
    else:
        existing = find_by_source(session, kind.model, key)
    if existing is not None and existing.deleted_at is not None:
        raise ValidationError(
            {
                "source_id": f"the {name} imported as {key.source}/{key.source_id} was deleted "
                "or merged since: restore it first, or leave the row out"
            }
        )
    if existing is None:
        stored = kind.create(session, actor, record.data)
        stored.source, stored.source_id, stored.source_digest = key.source, key.source_id, digest
        session.flush()
        _count(run.created, name)
        run.known[memo] = Known(stored.id, digest, deleted=False)
        return stored.id, True
    if existing.source_digest == digest:
        _count(run.unchanged, name)
        return existing.id, False
    _update(session, actor, kind, existing, record.data, name, run)
    existing.source_digest = digest
    run.known[memo] = Known(existing.id, digest, deleted=False)
    return existing.id, False


def _update(  # noqa: PLR0917
    session: Session,
    actor: Actor,
    kind: _Kind,
    existing: Any,
    data: dict[str, Any],
    name: str,
    run: Recognised,
) -> None:
    """Update ``existing`` with ``data``; undo it (no new version) if nothing changed."""
    before = kind.snapshot(session, existing)
    mark = pending_mark(session)
    savepoint = session.begin_nested()
    updated = kind.update(session, actor, existing.id, existing.version, data)
    if kind.snapshot(session, updated) == before:
        savepoint.rollback()
        drop_pending_since(session, mark)
        _count(run.unchanged, name)
        return
    savepoint.commit()
    _count(run.updated, name)


def _count(counter: dict[str, int], kind: str) -> None:
    counter[kind] = counter.get(kind, 0) + 1


def _problems(plan: RowPlan, exc: Exception) -> list[Problem]:
    if isinstance(exc, _RefusedError):
        record = exc.record
        return [
            Problem(plan.row, record.column_of(path), _reason(record.spec.kind, path, message))
            for path, message in exc.errors.items()
        ]
    if isinstance(exc, ValidationError):  # a link refused (unknown role...)
        return [Problem(plan.row, path, str(message)) for path, message in exc.errors.items()]
    if isinstance(exc, ConflictError):
        return [Problem(plan.row, "", "the record changed while importing: retry")]
    if isinstance(exc, IntegrityError):
        return [Problem(plan.row, "", "the record was imported at the same time elsewhere: retry")]
    return [Problem(plan.row, "", str(exc))]


def _reason(kind: str, path: str, message: object) -> str:
    return f"{kind} {path}: {message}"

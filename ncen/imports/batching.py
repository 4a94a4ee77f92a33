"""Store planned rows in batches through `ncen.bulk`: whole rows or nothing of them.

`store_chunk` is the fast path of `ncen.imports.running.run_import`. For each row, in file
order, it decides in memory what `ncen.imports.storing.store_row` would do:

- a row whose cells could not be read is refused;
- a row whose records are new (or unchanged since an earlier import, by their source key and
  data digest) is *prepared*: each new record is validated and built by its service's own rules
  (`ncen.bulk.building`) and, for a seizure, its links are checked; any refusal refuses the
  whole row, with the row, column and reason, and nothing of it is kept;
- a row that updates a stored record (a newer version of an earlier import, a case met twice in
  the file) goes through `store_row`, the per-record path, after the rows prepared before it
  are written, so that the file's order holds.

Prepared rows are written together (`ncen.bulk.writing.write_batch`: one flush, one history
INSERT, audit queued for the one chain lock) in one SAVEPOINT per batch. The database can still
refuse one (a source key or reference taken by a concurrent import): the batch is then rolled
back and its rows stored one by one through `store_row`, each whole or not at all.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ncen.accounts.actor import Actor
from ncen.audit import drop_pending_since, pending_mark
from ncen.bulk import Create, Link, LinkSpec, build_record, build_seizure, write_batch
from ncen.bulk.steps import Step
from ncen.companies.services import COMPANY
from ncen.conveyances.services import CONVEYANCE
from ncen.errors import ValidationError
from ncen.imports.rows import RecordData, RowPlan
from ncen.imports.storing import (
    Known,
    Recognised,
    RowRefusedError,
    _digest,
    _problems,
    _RefusedError,
    record_key,
    row_digest,
    store_row,
)
from ncen.persons.services import PERSON
from ncen.recordkeeping import RecordKind
from ncen.records import RecordMixin
from ncen.search.index import add_terms, collect_terms
from ncen.seizures.models import Seizure
from ncen.seizures.services import check_role

# Rows written by one `write_batch` (one SAVEPOINT, one flush).
BATCH_ROWS = 1000
_KINDS: dict[str, RecordKind[Any]] = {
    "person": PERSON,
    "company": COMPANY,
    "conveyance": CONVEYANCE,
}


class _NeedsServicesError(Exception):
    """The row updates a stored record: it goes through the per-record path."""


@dataclass(slots=True)
class _Batch:
    """Rows prepared and not yet written: their steps and what they did."""

    rows: list[tuple[int, RowPlan]] = field(default_factory=list)
    steps: list[Step] = field(default_factory=list)
    terms: set[str] = field(default_factory=set)
    run: Recognised = field(default_factory=Recognised)


def store_chunk(
    session: Session, actor: Actor, plans: list[RowPlan], source: str, seen: Recognised
) -> list[RowRefusedError | None]:
    """Store ``plans`` (already `prefetch`-ed into ``seen``); return per plan None (stored, or
    unchanged) or why it was refused. Records, history, audit, search keys, links and watch
    alerts as `store_row` writes them; ``seen`` notes what was done, as there."""
    outcome: list[RowRefusedError | None] = [None] * len(plans)
    batch = _Batch()
    for index, plan in enumerate(plans):
        if plan.problems:
            outcome[index] = RowRefusedError(plan.problems)
            continue
        try:
            with collect_terms(session) as terms:
                row = _prepare(session, actor, plan, source, seen, batch.run)
        except _NeedsServicesError:
            _write(session, actor, batch, source, seen, outcome)
            batch = _Batch()
            outcome[index] = _store_one(session, actor, plan, source, seen)
            continue
        except (ValidationError, _RefusedError) as exc:
            outcome[index] = RowRefusedError(list(_problems(plan, exc)))
            continue
        steps, run = row
        batch.rows.append((index, plan))
        batch.steps.extend(steps)
        batch.terms |= terms
        batch.run.absorb(run)
        if len(batch.rows) >= BATCH_ROWS:
            _write(session, actor, batch, source, seen, outcome)
            batch = _Batch()
    _write(session, actor, batch, source, seen, outcome)
    return outcome


def _store_one(
    session: Session, actor: Actor, plan: RowPlan, source: str, seen: Recognised
) -> RowRefusedError | None:
    try:
        store_row(session, actor, plan, source, seen)
    except RowRefusedError as exc:
        return exc
    return None


def _write(  # noqa: PLR0917 - the batch, where it goes, and the run's memo
    session: Session,
    actor: Actor,
    batch: _Batch,
    source: str,
    seen: Recognised,
    outcome: list[RowRefusedError | None],
) -> None:
    """Write ``batch`` in a SAVEPOINT; on a refusal by the database, redo it row by row."""
    if not batch.rows:
        return
    if not batch.steps:  # every row unchanged
        seen.absorb(batch.run)
        return
    mark = pending_mark(session)
    savepoint = session.begin_nested()
    try:
        add_terms(session, batch.terms)
        write_batch(session, actor, batch.steps)
    except IntegrityError:
        savepoint.rollback()
        drop_pending_since(session, mark)
        for index, plan in batch.rows:
            outcome[index] = _store_one(session, actor, plan, source, seen)
        return
    except BaseException:
        savepoint.rollback()
        drop_pending_since(session, mark)
        raise
    savepoint.commit()
    seen.absorb(batch.run)


def _known(memo: tuple[str, str], *runs: Recognised) -> tuple[bool, Known | None]:
    for run in runs:
        if memo in run.known:
            return True, run.known[memo]
    return False, None


def _prepare(  # noqa: PLR0917
    session: Session,
    actor: Actor,
    plan: RowPlan,
    source: str,
    seen: Recognised,
    pending: Recognised,
) -> tuple[list[Step], Recognised]:
    """The steps of one row and what it does (as `storing._store_row` would), in memory.

    Raises `_RefusedError`/`ValidationError` (the row is refused) or `_NeedsServicesError`.
    """
    run = Recognised()
    main = plan.records[0]
    digest = row_digest(plan)
    memo = (main.spec.kind, record_key(main))
    _found, known = _known(memo, pending, seen)
    if known is not None and known.digest == digest and not known.deleted:
        run.unchanged[main.spec.kind] = 1
        run.ids[memo] = known.id
        return [], run
    steps: list[Step] = []
    _main_id, main_record = _upsert(session, actor, main, source, digest, steps, run, pending, seen)
    links: list[tuple[str, uuid.UUID, str]] = []
    for record in plan.records[1:]:
        target, _record = _upsert(session, actor, record, source, None, steps, run, pending, seen)
        if main.spec.kind == "seizure" and record.spec.role:
            links.append((record.spec.kind, target, record.spec.role))
    if links:
        assert isinstance(main_record, Seizure)  # a stored main would have needed the services
        wanted: list[LinkSpec] = []
        for kind, target, role in links:
            checked = check_role(session, kind, role)
            if (kind, target, checked, None) not in wanted:
                wanted.append((kind, target, checked, None))
        details = {"links": [{"kind": k, "target_id": str(t), "role": r} for k, t, r, _ in wanted]}
        steps.append(Link(main_record, wanted, details))
        run.links += len(wanted)
    return steps, run


def _upsert(  # noqa: PLR0917
    session: Session,
    actor: Actor,
    record: RecordData,
    source: str,
    row_digest: str | None,
    steps: list[Step],
    run: Recognised,
    pending: Recognised,
    seen: Recognised,
) -> tuple[uuid.UUID, RecordMixin | None]:
    """`storing._upsert` in memory: the record's id, and the record when built here."""
    name = record.spec.kind
    key = record_key(record)
    memo = (name, key)
    earlier = run.ids.get(memo) or pending.ids.get(memo) or seen.ids.get(memo)
    if earlier is not None and name != "seizure":
        return earlier, None
    digest = row_digest or _digest(record.data)
    found, known = _known(memo, run, pending, seen)
    if not found:
        raise _NeedsServicesError  # not prefetched: let the services look it up
    if known is not None:
        if known.deleted:
            raise _RefusedError(
                record,
                {
                    "source_id": f"the {name} imported as {source}/{key} was deleted "
                    "or merged since: restore it first, or leave the row out"
                },
            )
        if known.digest != digest:
            raise _NeedsServicesError
        run.unchanged[name] = run.unchanged.get(name, 0) + 1
        return known.id, None
    try:
        built: RecordMixin
        if name == "seizure":
            built = build_seizure(session, actor, record.data)
        else:
            built = build_record(session, actor, _KINDS[name], record.data)
    except ValidationError as exc:
        raise _RefusedError(record, exc.errors) from exc
    built_any: Any = built
    built_any.source, built_any.source_id, built_any.source_digest = source, key, digest
    steps.append(Create(name, built))
    run.created[name] = run.created.get(name, 0) + 1
    run.known[memo] = Known(built.id, digest, deleted=False)
    run.ids[memo] = built.id
    return built.id, built

"""Person lines of a JSON Lines import through the spreadsheet imports' bulk path.

A line with a ``(source, source_id)`` key and no ``version`` (`ncen.persons.importing.bulk_fields`)
becomes a one-record `RowPlan`, and lines are stored a chunk at a time, per source, exactly as
spreadsheet rows are (`ncen.imports.storing.prefetch`, then `ncen.imports.batching.store_chunk`
over `ncen.bulk`): one query per chunk finds what earlier imports stored under those keys, new
persons are validated by the person service's rules and written in batches, changed ones are
updated through the service (a new version with history), unchanged ones are left alone. Each
line keeps its ``person.import`` audit event (the key and the outcome), and a refused line is
reported with its line number and the service's field path, as the per-line path reports it.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ncen.accounts.actor import Actor
from ncen.audit import record_event
from ncen.imports.batching import store_chunk
from ncen.imports.mapping import EntitySpec
from ncen.imports.rows import RecordData, RowPlan
from ncen.imports.storing import Recognised, prefetch
from ncen.persons.models import Person
from ncen.persons.services import RECORD_TYPE

# Lines of one source stored together (one lookup query, batches of `store_chunk`).
CHUNK_LINES = 2000
_SPEC = EntitySpec("person", {})


class _LineRecord(RecordData):
    """A line's person: its errors are blamed on the service's own field path (the line's
    JSON path), not on a spreadsheet column."""

    __slots__ = ()

    def column_of(self, path: str) -> str:
        """The path itself: a JSON line has no columns."""
        return path


@dataclass
class BulkLines:
    """Collects bulk lines per source and stores them a chunk at a time.

    ``refuse(line, field, message)`` receives every problem; ``outcomes`` counts ``created``,
    ``updated`` and ``unchanged`` lines.
    """

    session: Session
    actor: Actor
    refuse: Callable[[int, str, str], None]
    outcomes: dict[str, int] = field(default_factory=dict)
    _pending: dict[str, list[RowPlan]] = field(default_factory=dict)
    _seen: dict[str, Recognised] = field(default_factory=dict)

    def add(self, line: int, source: str, source_id: str, fields: dict[str, Any]) -> None:
        """Queue one line's person (stored at the latest by `finish`)."""
        record = _LineRecord(_SPEC, fields, source_id)
        plans = self._pending.setdefault(source, [])
        plans.append(RowPlan(line, [record], []))
        if len(plans) >= CHUNK_LINES:
            self._store(source)

    def finish(self) -> None:
        """Store every line still queued."""
        for source in list(self._pending):
            self._store(source)

    def _versions(self, ids: list[uuid.UUID]) -> dict[uuid.UUID, int]:
        if not ids:
            return {}
        rows = self.session.execute(select(Person.id, Person.version).where(Person.id.in_(ids)))
        return {row[0]: row[1] for row in rows}

    def _store(self, source: str) -> None:
        plans = self._pending.pop(source, [])
        if not plans:
            return
        seen = self._seen.setdefault(source, Recognised())
        prefetch(self.session, plans, source, seen)
        before: dict[int, uuid.UUID | None] = {}
        for plan in plans:
            known = seen.known.get(("person", str(plan.records[0].source_id)))
            before[plan.row] = None if known is None else known.id
        versions = self._versions([i for i in before.values() if i is not None])
        results = store_chunk(self.session, self.actor, plans, source, seen)
        after = self._versions([i for i in before.values() if i is not None])
        for plan, refused in zip(plans, results, strict=True):
            if refused is not None:
                for problem in refused.problems:
                    prefix = f"person {problem.column}: "
                    self.refuse(
                        plan.row, problem.column or "line", problem.reason.removeprefix(prefix)
                    )
                continue
            key = str(plan.records[0].source_id)
            record_id = before[plan.row]
            if record_id is None:
                outcome, record_id = "created", seen.ids.get(("person", key))
            elif after.get(record_id) != versions.get(record_id):
                outcome = "updated"
            else:
                outcome = "unchanged"
            self.outcomes[outcome] = self.outcomes.get(outcome, 0) + 1
            record_event(
                self.session,
                self.actor,
                f"{RECORD_TYPE}.import",
                record_type=RECORD_TYPE,
                record_id=record_id,
                details={"source": source, "source_id": key, "outcome": outcome},
            )

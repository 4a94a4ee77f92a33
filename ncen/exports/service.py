"""Choosing what an export holds, under the policy, and auditing it.

Contract of every function here: it takes the session and the acting user, requires
``Action.EXPORT_RECORDS`` (and the right to read records), refuses a selection larger than
``limit`` with `ValidationError` (the user narrows the filters; nothing is audited as
exported), and records one audit event ``<record_type>.export`` naming the format, the
filters or source, and the ids of every exported record: who exported what. The transaction
is the caller's. Deleted records never appear (the list statements exclude them).

Sources: a list with its filters (`export_list`), records given by id in the order a search
ranked them (`export_ids`; several record types at once, the one box's groups: `export_groups`),
a saved link chart (`export_chart`), an investigation (`export_investigation`: its records, a
sheet of the case itself, and the links among them).
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from ncen.accounts.actor import Actor
from ncen.analysis.chartdiff import MODELS
from ncen.analysis.charts import open_chart
from ncen.audit import record_event
from ncen.errors import ValidationError
from ncen.exports.casefile import case_tables
from ncen.exports.columns import Column, Table, Value
from ncen.exports.ftm import linked_records
from ncen.exports.handling import HandlingNote, handling_notes
from ncen.exports.tables import COLUMNS, rows_of
from ncen.investigations.access import load_case
from ncen.investigations.items import case_items
from ncen.policy import Action, require
from ncen.records import RecordMixin
from ncen.seizures.queries import WITHOUT_COLLECTIONS

FORMATS = ("csv", "xlsx", "ftm")
RECORD_TYPES = ("seizure", "person", "company", "conveyance")
# The most rows one web export holds: a file, not a copy of the database (`ncen export`).
MAX_ROWS = 10_000
# Audit events name at most this many ids; the count is always exact.
AUDITED_IDS = MAX_ROWS


@dataclass
class Exported:
    """What an export holds: records per type, their tables, the restricted records, and the
    links of a chart (``edges``: source key, label, target key)."""

    title: str
    records: dict[str, list[RecordMixin]]
    tables: list[Table]
    handling: list[HandlingNote]
    edges: list[tuple[str, str, str]] = field(default_factory=list)
    # Set by `ncen.exports.streaming` (whose ``records`` stay empty: rows stream).
    streamed_count: int = 0

    @property
    def count(self) -> int:
        """How many records the export holds."""
        return self.streamed_count + sum(len(r) for r in self.records.values())


def check_format(fmt: str) -> None:
    """Raise `ValidationError` unless ``fmt`` is one of `FORMATS`."""
    if fmt not in FORMATS:
        raise ValidationError({"format": f"unknown export format {fmt!r}: use csv, xlsx or ftm"})


def without_collections(statement: Select[Any], record_type: str, fmt: str) -> Select[Any]:
    """``statement`` without loading a seizure's collections (items, transit countries,
    concealments) when the writer reads them as columns (`ncen.exports.tables`); FtM reads
    them from the objects."""
    if record_type == "seizure" and fmt != "ftm":
        return statement.options(*WITHOUT_COLLECTIONS)
    return statement


def _too_many(limit: int) -> ValidationError:
    return ValidationError(
        {"export": f"more than {limit} records match: narrow the filters and export again"}
    )


def _audited(
    session: Session,
    actor: Actor,
    title: str,
    records: dict[str, list[RecordMixin]],
    *,
    fmt: str,
    source: Mapping[str, Any],
) -> Exported:
    tables, notes = [], []
    for record_type, found in records.items():
        tables.append(
            Table(record_type, COLUMNS[record_type], rows_of(session, record_type, found))
        )
        notes += handling_notes(record_type, found)
    for record_type, found in records.items():
        record_event(
            session, actor, f"{record_type}.export", record_type=record_type,
            details={
                "format": fmt, **source, "count": len(found),
                "ids": [str(r.id) for r in found[:AUDITED_IDS]],
            },
        )  # fmt: skip
    seizures = [r.id for r in records.get("seizure", [])]
    if fmt == "ftm" and seizures:
        # FtM carries a seizure's linked records with it: they leave the node too.
        for key, pairs in linked_records(session, seizures).items():
            if pairs:
                record_event(
                    session, actor, f"{key}.export", record_type=key,
                    details={"format": fmt, **source, "linked_to": "seizure",
                             "ids": sorted({str(t.id) for _, t in pairs})},
                )  # fmt: skip
    return Exported(title, records, tables, notes)


def export_list(
    session: Session,
    actor: Actor,
    record_type: str,
    statement: Select[Any],
    *,
    fmt: str,
    filters: Mapping[str, Any],
    limit: int | None = MAX_ROWS,
) -> Exported:
    """The records ``statement`` (a list statement with its filters) selects, as an export.

    ``filters`` is the list's ``describe()`` (for the audit trail). ``limit`` None: no cap
    (the console's ``ncen export``).
    """
    require(actor, Action.EXPORT_RECORDS)
    require(actor, Action.READ_RECORDS)
    check_format(fmt)
    statement = without_collections(statement, record_type, fmt)
    if limit is not None:
        statement = statement.limit(limit + 1)
    found = list(session.scalars(statement))
    if limit is not None and len(found) > limit:
        raise _too_many(limit)
    return _audited(
        session, actor, record_type, {record_type: found}, fmt=fmt,
        source={"source": "list", "filters": dict(filters)},
    )  # fmt: skip


def export_ids(
    session: Session,
    actor: Actor,
    record_type: str,
    ids: Sequence[uuid.UUID],
    *,
    fmt: str,
    source: Mapping[str, Any],
) -> Exported:
    """The live records of ``record_type`` with ``ids``, in that order (a search's ranking).

    ``source`` says where the ids came from (``{"source": "search", "query": ...}``).
    """
    return export_groups(session, actor, {record_type: ids}, fmt=fmt, source=source)


def export_groups(
    session: Session,
    actor: Actor,
    ids_by_type: Mapping[str, Sequence[uuid.UUID]],
    *,
    fmt: str,
    source: Mapping[str, Any],
    title: str | None = None,
) -> Exported:
    """The live records given by id per record type (the groups of the one-box search), each
    type in the order given; a type without ids is left out. More than `MAX_ROWS` ids in all
    is refused. ``title`` defaults to the first record type.
    """
    require(actor, Action.EXPORT_RECORDS)
    require(actor, Action.READ_RECORDS)
    check_format(fmt)
    if sum(len(ids) for ids in ids_by_type.values()) > MAX_ROWS:
        raise _too_many(MAX_ROWS)
    records: dict[str, list[RecordMixin]] = {}
    for record_type, ids in ids_by_type.items():
        if ids:
            records[record_type] = _in_order(session, record_type, ids)
    name = title or next(iter(ids_by_type), "export")
    return _audited(session, actor, name, records, fmt=fmt, source=source)


def _in_order(session: Session, record_type: str, ids: Sequence[uuid.UUID]) -> list[RecordMixin]:
    """The live records of ``ids`` in that order (deleted and unknown ids are left out)."""
    model = MODELS[record_type]
    loaded = session.scalars(
        select(model).where(model.id.in_(list(ids)), model.deleted_at.is_(None))
    ).all()
    by_id = {r.id: r for r in loaded}
    return [by_id[i] for i in dict.fromkeys(ids) if i in by_id]


def export_chart(session: Session, actor: Actor, chart_id: object, *, fmt: str) -> Exported:
    """A saved link chart of the actor's: its records now, per type, and its links.

    Raises `NotFoundError` for a chart that is not the actor's (`ncen.analysis.charts`).
    """
    require(actor, Action.EXPORT_RECORDS)
    check_format(fmt)
    opened = open_chart(session, actor, chart_id)
    records: dict[str, list[RecordMixin]] = {}
    for record_type in RECORD_TYPES:
        ids = [n.key.id for n in opened.state.nodes if n.key.kind == record_type]
        if ids:
            model = MODELS[record_type]
            records[record_type] = list(
                session.scalars(
                    select(model)
                    .where(model.id.in_(ids), model.deleted_at.is_(None))
                    .order_by(model.id)
                )
            )
    exported = _audited(
        session, actor, opened.chart.name, records, fmt=fmt,
        source={"source": "chart", "chart_id": str(opened.chart.id)},
    )  # fmt: skip
    exported.edges = [(str(e.source), e.label, str(e.target)) for e in opened.state.edges]
    return exported


def _live(session: Session, record_type: str, ids: Sequence[uuid.UUID]) -> list[RecordMixin]:
    model = MODELS[record_type]
    return list(
        session.scalars(
            select(model)
            .where(model.id.in_(list(ids)), model.deleted_at.is_(None))
            .order_by(model.id)
        )
    )


_CASE_COLUMNS = [
    Column(name)
    for name in ("reference", "title", "status", "restricted", "summary", "opened", "closed")
]


def export_investigation(session: Session, actor: Actor, case_id: object, *, fmt: str) -> Exported:
    """An investigation the actor may see: a table of the case (reference, title, status...),
    its seizures, persons, companies and conveyances now (an item merged into another record
    gives the survivor; deleted records are left out), and the links among those records
    (seizure to person, company or conveyance, with the role) as the export's links.

    Raises `NotFoundError` (no such case, or a restricted case of another team: as on its
    page), `PermissionDeniedError`, `ValidationError` (format, more than `MAX_ROWS` records).
    Audited like every export, with the case as the source. The case's tasks, notes and
    messages, hits and pictures (metadata) follow as tables of their own, each as its reader
    sees it on the case page (`ncen.exports.casefile`); FollowTheMoney carries the records
    and links only.
    """
    require(actor, Action.EXPORT_RECORDS)
    require(actor, Action.READ_RECORDS)
    check_format(fmt)
    case = load_case(session, actor, case_id)
    views = case_items(session, case)
    records: dict[str, list[RecordMixin]] = {}
    for record_type in RECORD_TYPES:
        ids = [v.record_id for v in views if v.item.record_type.value == record_type]
        if ids:
            records[record_type] = _live(session, record_type, ids)
    if sum(len(found) for found in records.values()) > MAX_ROWS:
        raise _too_many(MAX_ROWS)
    exported = _audited(
        session, actor, f"{case.reference} {case.title}", records, fmt=fmt,
        source={"source": "investigation", "investigation_id": str(case.id),
                "reference": case.reference},
    )  # fmt: skip
    row: list[Value] = [
        case.reference, case.title, case.status.value, "yes" if case.restricted else "no",
        case.summary, case.created_at, case.closed_at,
    ]  # fmt: skip
    exported.tables.insert(0, Table("investigation", _CASE_COLUMNS, [row]))
    exported.tables += case_tables(session, actor, case, views)
    held = {(kind, r.id) for kind, found in records.items() for r in found}
    seizures = [r.id for r in records.get("seizure", [])]
    for kind, pairs in (linked_records(session, seizures) if seizures else {}).items():
        exported.edges += [
            (f"seizure:{link.seizure_id}", link.role, f"{kind}:{target.id}")
            for link, target in pairs
            if (kind, target.id) in held
        ]
    return exported

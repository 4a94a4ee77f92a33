"""The spreadsheet import's bulk path (`ncen.imports.batching` over `ncen.bulk`) on real
PostgreSQL: the same records, history, audit and alerts as the per-record path, whole rows or
nothing, idempotent, the audit chain intact, watch alerts, search keys, and the database's
last word (a reference taken within the file) refusing only its row."""

from __future__ import annotations

import random
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ncen.accounts.actor import Actor
from ncen.accounts.models import Role
from ncen.audit import AuditEvent, flush_events, pending_mark, verify_chain
from ncen.bulk import build_seizure
from ncen.errors import ValidationError
from ncen.history import RecordVersion
from ncen.imports.mapping import Mapping, load_mapping
from ncen.imports.readers import read_table
from ncen.imports.rows import plan_row
from ncen.imports.running import Mode, run_import
from ncen.imports.storing import Recognised, RowRefusedError, prefetch, store_row
from ncen.persons.models import Person
from ncen.search.persons import search_persons
from ncen.search.query import PersonQuery
from ncen.seizures.models import Seizure
from ncen.seizures.services import record_seizure, references_checked
from ncen.targeting.models import Hit
from ncen.targeting.profiles import create_profile, set_status
from ncen.watch.models import Alert, WatchKind
from ncen.watch.services import add_watch
from tests.bulk_support import normalised_run
from tests.conftest import make_actor
from tests.factories import seizure_data
from tests.import_support import HEADER, MAPPING, csv_text, xlsx_bytes

NAMES = ["Иван Петров", "Anna Smith", "Olga Sokolova", "Timur Kim", "Nurlan Abenov"]
COMPANIES = ["ООО Ромашка", "Trading One", "Silk Road LLC"]


def _rows(count: int, seed: int = 5) -> list[list[str]]:
    """Cases in the layout of `tests.import_support.HEADER`: couriers and companies recur."""
    rng = random.Random(seed)
    rows = []
    for i in range(count):
        person = i % len(NAMES)
        company = rng.randrange(len(COMPANIES) + 1)
        rows.append(
            [
                f"B-{i}",
                f"{1 + i % 28:02d}.0{1 + i % 9}.21",
                rng.choice(("Automobile", "Truck")),
                rng.choice(("Heroin", "Cigarettes")),
                f"{rng.randrange(1, 900)},5",
                NAMES[person],
                f"P{person:07d}",
                "RU",
                "15.06.1980",
                COMPANIES[company - 1] if company else "",
                f"77-{company}" if company else "",
                f"A{i % 7:03d}BC",
                f"Case {i}",
            ]
        )
    return rows


def _file(rows: list[list[str]]) -> bytes:
    return csv_text(rows).encode("utf-8")


def _mapping(source: str) -> Mapping:
    return load_mapping(MAPPING.replace("source: legacy-cases", f"source: {source}"))


def _per_record_import(
    session: Session, actor: Actor, data: bytes, mapping: Mapping, source: str
) -> list[RowRefusedError]:
    """The per-record path: each row through the record services in its own SAVEPOINT (what
    `run_import` did before the bulk path; `store_row` still serves updates)."""
    table = read_table(data, "cases.csv")
    plans = [plan_row(mapping, table, row) for row in table.rows]
    seen = Recognised()
    prefetch(session, plans, source, seen)
    refused = []
    for plan in plans:
        try:
            store_row(session, actor, plan, source, seen)
        except RowRefusedError as exc:
            refused.append(exc)
    return refused


def _key_of(source: str) -> Any:
    def key(record: Any) -> str | None:
        return record.source_id if record.source == source else None

    return key


def test_bulk_and_per_record_paths_write_the_same(session: Session, supervisor: Actor) -> None:
    analyst = make_actor(session, Role.ANALYST)
    add_watch(session, analyst, WatchKind.NAME, value="Olga Sokolova", threshold=0.9)
    add_watch(session, analyst, WatchKind.IDENTIFIER, value="A003BC")
    rows = _rows(40)
    rows[7][3] = "Unobtainium"  # refused: the row's new records must not be stored either
    data = _file(rows)
    report = run_import(
        session, supervisor, data, "cases.csv", _mapping("bulk"), mode=Mode.GOOD_ROWS
    )
    assert report.committed
    assert [p.row for p in report.problems] == [3 + 7]
    assert [p.column for p in report.problems] == ["Goods"]
    refused = _per_record_import(session, supervisor, data, _mapping("single"), "single")
    assert [p.row for r in refused for p in r.problems] == [3 + 7]
    bulk = normalised_run(session, _key_of("bulk"), drop=("bulk",))
    single = normalised_run(session, _key_of("single"), drop=("single",))
    assert bulk["stored"] == single["stored"]
    assert bulk["history"] == single["history"]
    assert bulk["events"] == single["events"]
    assert bulk["alerts"] == single["alerts"]
    assert len(bulk["stored"]) == 39 + 5 + 3 + 7
    assert "seizure:B-7" not in bulk["stored"]
    assert any(a[0].startswith("person:") for a in bulk["alerts"])
    assert any(a[0].startswith("conveyance:") for a in bulk["alerts"])
    # A seizure with links: created (version 1), then linked (version 2), as the services do.
    assert [h[:2] for h in bulk["history"]["seizure:B-0"]] == [[1, "create"], [2, "link"]]


def test_same_file_again_writes_nothing_and_updates_make_versions(
    session: Session, supervisor: Actor
) -> None:
    rows = _rows(30)
    run_import(session, supervisor, _file(rows), "cases.csv", _mapping("again"))
    flush_events(session)
    count = lambda model: session.execute(select(func.count()).select_from(model)).scalar_one()  # noqa: E731
    before = (count(Seizure), count(Person), count(RecordVersion), count(AuditEvent))
    again = run_import(session, supervisor, _file(rows), "cases.csv", _mapping("again"))
    assert again.changed == 0
    assert again.unchanged["seizure"] == 30
    flush_events(session)
    after = (count(Seizure), count(Person), count(RecordVersion), count(AuditEvent))
    assert after[:3] == before[:3]
    assert after[3] == before[3] + 1  # the import.run event only
    rows[4][12] = "Found under the seat"
    updated = run_import(session, supervisor, _file(rows), "cases.csv", _mapping("again"))
    assert updated.updated == {"seizure": 1}
    seizure = session.execute(select(Seizure).where(Seizure.source_id == "B-4")).scalar_one()
    assert seizure.narrative == "Found under the seat"
    versions = (
        session.execute(
            select(RecordVersion)
            .where(RecordVersion.record_id == seizure.id)
            .order_by(RecordVersion.id)
        )
        .scalars()
        .all()
    )
    assert [v.kind.value for v in versions] == ["create", "link", "update"]
    assert versions[-1].changes["narrative"] == ["Case 4", "Found under the seat"]


def test_all_or_nothing_with_a_bad_row_leaves_nothing(session: Session, supervisor: Actor) -> None:
    rows = _rows(25)
    rows[20][1] = "01.01.1900"  # a placeholder date
    mark = pending_mark(session)
    before = session.execute(select(func.count()).select_from(RecordVersion)).scalar_one()
    report = run_import(session, supervisor, _file(rows), "cases.csv", _mapping("aon"))
    assert not report.committed
    assert [(p.row, p.column) for p in report.problems] == [(3 + 20, "Date")]
    assert session.execute(select(func.count()).select_from(Seizure)).scalar_one() == 0
    assert session.execute(select(func.count()).select_from(Person)).scalar_one() == 0
    assert session.execute(select(func.count()).select_from(RecordVersion)).scalar_one() == before
    assert pending_mark(session) == mark


def test_a_reference_taken_within_the_file_refuses_only_its_row(
    session: Session, supervisor: Actor
) -> None:
    """The services check a reference against stored seizures; two new rows of one batch
    giving the same one pass that check, and the database's unique key has the last word: the
    batch is redone row by row and only the second row is refused."""
    mapping = load_mapping(
        MAPPING.replace("source: legacy-cases", "source: refs").replace(
            "    narrative: Notes\n", "    narrative: Notes\n    reference: Notes\n"
        )
    )
    rows = _rows(12)
    rows[9][12] = "Case 3"  # the reference of row 3 again
    report = run_import(session, supervisor, _file(rows), "c.csv", mapping, mode=Mode.GOOD_ROWS)
    assert report.committed
    assert [p.row for p in report.problems] == [3 + 9]
    assert report.rows_stored == 11
    stored = session.execute(select(Seizure.source_id).where(Seizure.source == "refs")).scalars()
    assert sorted(stored) == sorted(f"B-{i}" for i in range(12) if i != 9)


def test_large_import_keeps_the_audit_chain_and_is_searchable(
    session: Session, supervisor: Actor
) -> None:
    rows = _rows(120)  # over 200 audit events in one transaction: written with COPY
    report = run_import(
        session, supervisor, xlsx_bytes([HEADER, *rows]), "cases.xlsx", _mapping("big")
    )
    assert report.committed
    assert flush_events(session) > 200
    assert verify_chain(session) > 200
    hits = search_persons(session, supervisor, PersonQuery("Olga Sokolova")).hits
    olga = session.execute(
        select(Person).where(
            Person.source == "big", Person.source_id == "document:passport:P0000002"
        )
    ).scalar_one()
    assert hits
    assert hits[0].person_id == olga.id


@pytest.mark.parametrize("mode", [Mode.GOOD_ROWS, Mode.ALL_OR_NOTHING])
def test_alerts_are_raised_for_imported_records(
    session: Session, supervisor: Actor, mode: Mode
) -> None:
    analyst = make_actor(session, Role.ANALYST)
    add_watch(session, analyst, WatchKind.NAME, value="Timur Kim", threshold=0.9)
    run_import(session, supervisor, _file(_rows(10)), "cases.csv", _mapping("alerts"), mode=mode)
    alerts = session.execute(select(Alert).where(Alert.owner_id == analyst.user_id)).scalars().all()
    assert {a.event for a in alerts} == {"create"}
    assert len(alerts) == 1  # Timur Kim is one person, met in two rows


def test_references_checked_at_once_give_each_reference_to_one_seizure(
    session: Session, supervisor: Actor
) -> None:
    record_seizure(session, supervisor, seizure_data(reference="TAKEN-1"))
    with references_checked(session, ["TAKEN-1", "FREE-1"]):
        with pytest.raises(ValidationError) as taken:
            build_seizure(session, supervisor, seizure_data(reference="TAKEN-1"))
        assert "reference" in taken.value.errors
        first = build_seizure(session, supervisor, seizure_data(reference="FREE-1"))
        assert first.reference == "FREE-1"
        with pytest.raises(ValidationError) as again:
            build_seizure(session, supervisor, seizure_data(reference="FREE-1"))
        assert "reference" in again.value.errors
    # Outside the block, the service asks the database again.
    assert build_seizure(session, supervisor, seizure_data(reference="FREE-1")).reference


@pytest.mark.parametrize("mode", [Mode.GOOD_ROWS, Mode.ALL_OR_NOTHING])
def test_imported_seizures_are_evaluated_against_the_active_risk_profiles(
    session: Session, supervisor: Actor, mode: Mode
) -> None:
    """The bulk path's after-write checks raise risk-profile hits, as `commit_change` does for
    one record: each matching imported seizure once, explained; the others none."""
    analyst = make_actor(session, Role.ANALYST)
    profile = create_profile(
        session,
        analyst,
        {"name": "bulk tobacco", "expression": 'commodity_group == "tobacco"', "score": "60"},
    )
    set_status(
        session, analyst, profile.id, "active", expected_version=profile.version, confirm=True
    )
    rows = _rows(12)
    run_import(session, supervisor, _file(rows), "cases.csv", _mapping("profiles"), mode=mode)
    imported = {
        s.source_id: s.id
        for s in session.execute(select(Seizure).where(Seizure.source == "profiles")).scalars()
    }
    tobacco = {row[0] for row in rows if row[3] == "Cigarettes"}
    assert tobacco  # the file holds both kinds
    assert len(tobacco) < len(rows)
    hits = session.execute(select(Hit)).scalars().all()
    hit_seizures = {hit.seizure_id for hit in hits}
    assert len(hits) == len(hit_seizures)  # one hit per seizure and profile version
    expected = {seizure_id for source_id, seizure_id in imported.items() if source_id in tobacco}
    assert hit_seizures == expected
    assert all(h.explanation[0]["values"] == ["tobacco"] for h in hits)

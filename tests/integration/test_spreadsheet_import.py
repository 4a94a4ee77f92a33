"""Spreadsheet import through `ncen.imports.running.run_import` on real PostgreSQL: awkward
files, both modes, idempotence, whole-or-nothing rows, recognition within a file."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ncen.accounts.actor import Actor
from ncen.audit import AuditEvent, flush_events
from ncen.companies.models import Company
from ncen.conveyances.models import Conveyance
from ncen.errors import PermissionDeniedError
from ncen.history import RecordVersion
from ncen.imports.mapping import MappingError, load_mapping
from ncen.imports.readers import UnreadableFileError
from ncen.imports.report import report_csv
from ncen.imports.running import Mode, run_import
from ncen.persons.models import Person
from ncen.seizures.models import Seizure, SeizurePerson
from tests.import_support import BAD_ROWS, GOOD_ROWS, MAPPING, awkward_csv, csv_text, xlsx_bytes

MAP = load_mapping(MAPPING)


def _count(session: Session, model: object) -> int:
    return session.execute(select(func.count()).select_from(model)).scalar_one()  # type: ignore[arg-type]


def _counts(session: Session) -> tuple[int, ...]:
    return tuple(_count(session, m) for m in (Seizure, Person, Company, Conveyance, SeizurePerson))


def test_good_rows_stores_the_good_and_reports_the_bad(session: Session, supervisor: Actor) -> None:
    report = run_import(session, supervisor, awkward_csv(), "cases.csv", MAP, mode=Mode.GOOD_ROWS)
    assert report.committed, report.problems
    assert report.rows == len(GOOD_ROWS) + 1 + len(BAD_ROWS)
    # Three cases; the duplicated first row is the same case, unchanged.
    assert report.created["seizure"] == 3
    assert report.unchanged.get("seizure") == 1
    # Ivan Petrov (two spellings, one passport) is one person; Anna Smith the other.
    assert report.created["person"] == 2
    assert report.created["conveyance"] == 1
    blamed = {(p.row, p.column) for p in report.problems}
    first_bad = 3 + len(GOOD_ROWS) + 1  # title row, header, good rows, duplicate
    for i, (_row, column) in enumerate(BAD_ROWS):
        assert (first_bad + i, column) in blamed, report.problems
    seizure = session.execute(select(Seizure).where(Seizure.source_id == "A-1")).scalar_one()
    assert seizure.source == "legacy-cases"
    assert seizure.transport_mode == "road"
    assert seizure.items[0].commodity_group == "drugs"
    assert str(seizure.items[0].quantity) == "1234.500"
    assert seizure.narrative == "Found in\nthe spare tyre"
    assert seizure.occurred_at.year == 2021
    assert seizure.occurred_at.month == 2
    anna = session.execute(
        select(Person).join(Person.names).where(Person.names.any(full_name="Anna Smith"))
    ).scalar_one()
    assert sorted(n.country for n in anna.nationalities) == ["GB", "IE"]
    text = report_csv(report.problems)
    assert text.startswith("row,column,reason\r\n")
    assert "Unobtainium" in text


def test_same_file_again_changes_nothing(session: Session, supervisor: Actor) -> None:
    data = awkward_csv()
    run_import(session, supervisor, data, "cases.csv", MAP, mode=Mode.GOOD_ROWS)
    before = (_counts(session), _count(session, RecordVersion))
    again = run_import(session, supervisor, data, "cases.csv", MAP, mode=Mode.GOOD_ROWS)
    assert again.changed == 0
    assert not again.created
    assert not again.updated
    assert (_counts(session), _count(session, RecordVersion)) == before


def test_updated_file_updates_with_history(session: Session, supervisor: Actor) -> None:
    run_import(session, supervisor, awkward_csv(bad=False), "cases.csv", MAP)
    rows = [list(r) for r in GOOD_ROWS]
    rows[0][12] = "Found under the seat"
    report = run_import(session, supervisor, csv_text(rows).encode("cp1251"), "cases.csv", MAP)
    assert report.updated == {"seizure": 1}
    seizure = session.execute(select(Seizure).where(Seizure.source_id == "A-1")).scalar_one()
    assert seizure.narrative == "Found under the seat"
    versions = session.execute(
        select(func.count()).where(RecordVersion.record_id == seizure.id)
    ).scalar_one()
    assert versions >= 2


def test_all_or_nothing_writes_nothing_when_a_row_is_bad(
    session: Session, supervisor: Actor
) -> None:
    before = _counts(session)
    report = run_import(session, supervisor, awkward_csv(), "cases.csv", MAP)
    assert not report.committed
    assert report.rows_stored == 0
    assert report.refused_rows == len(BAD_ROWS)
    assert _counts(session) == before
    flush_events(session)
    assert (
        session.execute(
            select(func.count()).where(AuditEvent.action == "seizure.create")
        ).scalar_one()
        == 0
    )


def test_dry_run_writes_nothing_and_previews(session: Session, supervisor: Actor) -> None:
    before = _counts(session)
    report = run_import(session, supervisor, awkward_csv(bad=False), "c.csv", MAP, dry_run=True)
    assert report.rows_stored == len(GOOD_ROWS) + 1
    assert not report.committed
    assert report.created["seizure"] == 3
    kinds = [kind for kind, _role, _data in report.preview[0].records]
    assert kinds == ["seizure", "person", "company", "conveyance"]
    assert _counts(session) == before


def test_a_refused_link_leaves_no_half_row(session: Session, supervisor: Actor) -> None:
    # The person is valid but the company row names no company name: the person and the
    # seizure of that row must not be stored either.
    rows = [
        [
            "B-1",
            "03.02.21",
            "Automobile",
            "Heroin",
            "1",
            "Solo Person",
            "",
            "",
            "",
            "",
            "99-1",
            "",
            "",
        ]
    ]
    before = _counts(session)
    report = run_import(
        session, supervisor, csv_text(rows).encode(), "b.csv", MAP, mode=Mode.GOOD_ROWS
    )
    assert report.refused_rows == 1
    assert report.rows_stored == 0
    assert any("Company" in p.column for p in report.problems), report.problems
    assert _counts(session) == before


def test_xlsx_with_excel_serial_dates(session: Session, supervisor: Actor) -> None:
    mapping = load_mapping(
        "record: person\nsource: reg\nperson:\n  id: ID\n  fields:\n"
        "    full_name: Name\n    birth_date: DOB\n    gender: Sex\n"
    )
    data = xlsx_bytes(
        [["Persons register"], ["ID", "Name", "DOB", "Sex"], [7, "Olga K", 29221, "female"]]
    )
    report = run_import(session, supervisor, data, "reg.xlsx", mapping)
    assert report.created == {"person": 1}, report.problems
    olga = session.execute(select(Person).where(Person.source_id == "7")).scalar_one()
    assert (olga.birth_year, olga.birth_month, olga.birth_day) == (1980, 1, 1)
    assert olga.gender == "F"


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"PK\x03\x04garbage", "x.xlsx", "not an XLSX"),
        (b"\x00\x01\x02binary", "x.csv", "binary"),
        (b"", "x.csv", "empty"),
        (b'a;b\n"1;2\n', "x.csv", "quoting"),
    ],
)
def test_unreadable_files_are_refused(
    session: Session, supervisor: Actor, data: bytes, name: str, message: str
) -> None:
    with pytest.raises(UnreadableFileError, match=message):
        run_import(session, supervisor, data, name, MAP)


def test_mapping_naming_missing_columns_is_refused(session: Session, supervisor: Actor) -> None:
    data = csv_text(GOOD_ROWS).encode().replace(b"Truck plate", b"Plate")
    with pytest.raises(MappingError, match="Truck plate"):
        run_import(session, supervisor, data, "c.csv", MAP)


def test_only_supervisors_import(session: Session, investigator: Actor) -> None:
    with pytest.raises(PermissionDeniedError):
        run_import(session, investigator, awkward_csv(), "c.csv", MAP)


def test_a_row_links_its_records_in_one_change(session: Session, supervisor: Actor) -> None:
    run_import(session, supervisor, awkward_csv(bad=False), "cases.csv", MAP)
    seizure = session.execute(select(Seizure).where(Seizure.source_id == "A-1")).scalar_one()
    # Created (1), then its person, company and conveyance linked in one change (2).
    assert seizure.version == 2
    links = session.execute(
        select(func.count())
        .select_from(SeizurePerson)
        .where(SeizurePerson.seizure_id == seizure.id)
    ).scalar_one()
    assert links == 1


def test_formulas_are_refused_and_neutralised_cells_restored(
    session: Session, supervisor: Actor
) -> None:
    rows = [list(GOOD_ROWS[0]), list(GOOD_ROWS[1])]
    rows[0][12] = '=HYPERLINK("http://x","click")'
    rows[1][12] = "'-minus sign kept by the export"
    report = run_import(
        session, supervisor, csv_text(rows).encode(), "f.csv", MAP, mode=Mode.GOOD_ROWS
    )
    assert [(p.row, p.column) for p in report.problems] == [(3, "Notes")]
    assert "formula" in report.problems[0].reason
    seizure = session.execute(select(Seizure).where(Seizure.source_id == "A-2")).scalar_one()
    assert seizure.narrative == "-minus sign kept by the export"

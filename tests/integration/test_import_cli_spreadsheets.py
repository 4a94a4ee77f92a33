"""``ncen import seizures FILE --mapping M.yaml``: modes, dry run, the report file, and
nothing written when the file or the mapping is bad."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from ncen.seizures.models import Seizure
from tests.cli_support import cli_database, run_cli
from tests.import_support import BAD_ROWS, MAPPING, awkward_csv


@pytest.fixture
def node(empty_database: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Engine]:
    engine = cli_database(empty_database, tmp_path, monkeypatch, "ncen_import_sheets")
    yield engine
    engine.dispose()


def _seizures(engine: Engine) -> int:
    with Session(engine) as session:
        return session.execute(select(func.count()).select_from(Seizure)).scalar_one()


def test_cli_modes_dry_run_and_report(node: Engine, tmp_path: Path) -> None:
    sheet, mapping, report = tmp_path / "cases.csv", tmp_path / "m.yaml", tmp_path / "out.csv"
    sheet.write_bytes(awkward_csv())
    mapping.write_text(MAPPING, encoding="utf-8")
    args = ("import", "seizures", str(sheet), "--mapping", str(mapping))

    code, out, err = run_cli(*args, "--dry-run", "--mode", "good-rows")
    assert code == 0, err
    assert "would import 4 of 8 rows" in out
    assert _seizures(node) == 0

    code, out, err = run_cli(*args, "--report", str(report))
    assert code == 1
    assert "refused: nothing imported" in out
    assert "Unobtainium" in err
    assert _seizures(node) == 0

    code, out, err = run_cli(*args, "--mode", "good-rows", "--report", str(report))
    assert code == 0, err
    assert "imported 4 of 8 rows (4 refused)" in out
    assert _seizures(node) == 3
    with report.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert {r["column"] for r in rows} == {column for _row, column in BAD_ROWS}

    code, out, err = run_cli(*args, "--mode", "good-rows")
    assert "created 0, updated 0" in out
    assert _seizures(node) == 3


def test_cli_refuses_bad_files_and_mappings(node: Engine, tmp_path: Path) -> None:
    sheet, mapping = tmp_path / "cases.xlsx", tmp_path / "m.yaml"
    sheet.write_bytes(b"PK\x03\x04 not really a workbook")
    mapping.write_text(MAPPING, encoding="utf-8")
    code, _out, err = run_cli("import", "seizures", str(sheet), "--mapping", str(mapping))
    assert code == 1
    assert "not an XLSX" in err
    mapping.write_text("record: person\nperson: {fields: {full_name: Offender}}\n")
    sheet = tmp_path / "cases.csv"
    sheet.write_bytes(awkward_csv())
    code, _out, err = run_cli("import", "seizures", str(sheet), "--mapping", str(mapping))
    assert code == 1
    assert "this command imports seizures" in err
    mapping.write_text(MAPPING.replace("Truck plate", "Lorry plate"), encoding="utf-8")
    code, _out, err = run_cli("import", "seizures", str(sheet), "--mapping", str(mapping))
    assert code == 1
    assert "Lorry plate" in err
    assert _seizures(node) == 0

"""``ncen import persons --source``: importing the same file twice changes nothing."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ncen.persons.models import Person
from tests.cli_support import cli_database, run_cli


@pytest.fixture
def node(empty_database, tmp_path, monkeypatch):
    engine = cli_database(empty_database, tmp_path, monkeypatch, "ncen_import_sources")
    yield engine
    engine.dispose()


def test_the_same_file_twice_changes_nothing_and_an_edit_updates(node, tmp_path):
    rows = [
        {"source_id": 1, "names": [{"full_name": "Anna Schmidt", "script": "Latn"}]},
        {"source_id": 2, "names": [{"full_name": "王磊", "script": "Hans"}], "gender": "M"},
    ]
    path = tmp_path / "legacy.jsonl"
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8")
    code, out, err = run_cli("import", "persons", str(path), "--source", "legacy")
    assert code == 0, err
    assert "imported 2 persons" in out
    assert "(2 new, 0 updated, 0 unchanged)" in out
    code, out, err = run_cli("import", "persons", str(path), "--source", "legacy")
    assert code == 0, err
    assert "(0 new, 0 updated, 2 unchanged)" in out
    rows[0]["birth_year"] = 1990
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8")
    code, out, err = run_cli("import", "persons", str(path), "--source", "legacy")
    assert "(0 new, 1 updated, 1 unchanged)" in out
    with Session(node) as session:
        assert session.execute(select(func.count()).select_from(Person)).scalar_one() == 2
    code, _, err = run_cli("import", "persons", str(path))
    assert code == 1
    assert "line 1: source_id: needs a source" in err

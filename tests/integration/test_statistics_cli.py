"""``ncen stats seizures --by commodity,month --json`` and ``ncen stats refresh``, in-process
against a committed database migrated to head."""

from __future__ import annotations

import json

import pytest
from sqlalchemy.orm import Session

from ncen.accounts.actor import Actor
from ncen.seizures.services import delete_seizure, record_seizure
from tests.cli_support import cli_database, run_cli
from tests.factories import seizure_data


@pytest.fixture
def node(empty_database, tmp_path, monkeypatch):
    engine = cli_database(empty_database, tmp_path, monkeypatch, "ncen_stats_cli")
    yield engine
    engine.dispose()


def test_stats_by_commodity_and_month_as_json(node):
    system = Actor.system("test")
    with Session(node) as session, session.begin():
        for day, group in (
            ("2026-01-05", "tobacco"),
            ("2026-01-20", "drugs"),
            ("2026-02-02", "drugs"),
        ):
            item = {"commodity_group": group, "quantity": "2", "unit": "kg"}
            record_seizure(
                session, system, seizure_data(occurred_at=f"{day}T10:00:00+00:00", items=[item])
            )
        gone = record_seizure(
            session, system, seizure_data(occurred_at="2026-01-07T10:00:00+00:00")
        )
        delete_seizure(session, system, gone.id, gone.version)

    code, out, err = run_cli("stats", "seizures", "--by", "commodity,month", "--json")
    assert code == 0, err
    document = json.loads(out)
    assert document["by"] == ["commodity", "month"]
    assert document["total_seizures"] == 3
    assert document["pending_changes"] == 0
    cells = {(r["commodity"]["code"], r["month"]["code"]): r["seizures"] for r in document["rows"]}
    assert cells == {("drugs", "2026-01"): 1, ("drugs", "2026-02"): 1, ("tobacco", "2026-01"): 1}
    jan = next(
        r
        for r in document["rows"]
        if r["month"]["code"] == "2026-01" and r["commodity"]["code"] == "drugs"
    )
    assert jan["list_filters"]["date_from"] == "2026-01-01"
    assert jan["list_filters"]["facets"] == "commodity:drugs"

    code, out, err = run_cli(
        "stats", "seizures", "--by", "commodity", "--commodity", "drugs", "--json"
    )
    assert code == 0, err
    document = json.loads(out)
    assert document["rows"][0]["commodity"]["label"].startswith("Drugs")
    assert document["rows"][0]["quantities"] == {"kg": "4"}

    code, out, err = run_cli("stats", "seizures", "--by", "colour")
    assert code == 1
    assert "not a dimension" in err
    code, out, err = run_cli("stats", "seizures", "--by", "month", "--from", "2026-99-01")
    assert code == 1
    assert "from" in err

    code, out, err = run_cli("stats", "refresh")
    assert code == 0, err
    assert "refreshed the statistics of 0 seizures" in out

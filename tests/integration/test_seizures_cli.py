"""``ncen seizures list``: real references with the web list's filters, audited like it."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from ncen.audit import AuditEvent
from ncen.seizures.models import Seizure, SeizureItem
from tests.cli_support import cli_database, run_cli


@pytest.fixture
def node(empty_database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Engine]:
    engine = cli_database(empty_database, tmp_path, monkeypatch, "ncen_seizures_cli")
    code, out, err = run_cli("demo", "--persons", "60", "--seizures", "80")
    assert code == 0, out + err
    yield engine
    engine.dispose()


def _listed(*args: str) -> list[dict[str, object]]:
    code, out, err = run_cli("seizures", "list", "--json", *args)
    assert code == 0, out + err
    document = json.loads(out)
    assert document["count"] == len(document["seizures"])
    return list(document["seizures"])


def test_seizures_list_filters_and_is_audited(node: Engine) -> None:
    validated = _listed("--status", "validated", "--limit", "5")
    assert len(validated) == 5
    assert {row["status"] for row in validated} == {"validated"}
    dates = [str(row["occurred_at"]) for row in validated]
    assert dates == sorted(dates, reverse=True)  # newest first
    with Session(node) as session:
        real = set(session.execute(select(Seizure.reference)).scalars())
        drugs = set(
            session.execute(
                select(Seizure.reference)
                .join(SeizureItem, SeizureItem.seizure_id == Seizure.id)
                .where(SeizureItem.commodity_group == "drugs", Seizure.deleted_at.is_(None))
            ).scalars()
        )
        in_2025 = set(
            session.execute(
                select(Seizure.reference).where(
                    Seizure.occurred_at >= datetime(2025, 1, 1, tzinfo=UTC),
                    Seizure.occurred_at < datetime(2026, 1, 1, tzinfo=UTC),
                    Seizure.deleted_at.is_(None),
                )
            ).scalars()
        )
    assert {row["reference"] for row in validated} <= real
    listed = _listed("--commodity", "drugs", "--limit", "10000")
    assert {row["reference"] for row in listed} == drugs
    listed = _listed("--from", "2025-01-01", "--to", "2025-12-31", "--limit", "10000")
    assert {row["reference"] for row in listed} == in_2025
    received = _listed("--origin", "received")
    assert received
    assert all(row["origin_node"] for row in received)
    # The planted ring's seizure is always there, whatever the generated years.
    code, out, _ = run_cli("seizures", "list", "--office", "KORDAI", "--limit", "100")
    assert code == 0
    assert "DEMO-A-10" in out
    with Session(node) as session:
        events = (
            session.execute(select(AuditEvent).where(AuditEvent.action == "seizure.list"))
            .scalars()
            .all()
        )
    assert len(events) == 5
    assert {e.actor_name for e in events} == {"[cli]"}
    assert any(e.details.get("office_code") == "KORDAI" for e in events)


def test_seizures_list_refuses_bad_input(node: Engine) -> None:
    code, out, err = run_cli("seizures", "list", "--status", "lost")
    assert code == 2
    code, out, err = run_cli("seizures", "list", "--office", "KOR\u202eDAI")
    assert code == 1
    assert "error" in (out + err).lower()

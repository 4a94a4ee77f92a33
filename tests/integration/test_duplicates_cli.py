"""``ncen duplicates scan``: fills the stored queue, then examines only what changed."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from ncen.accounts.actor import Actor
from ncen.merging.queue import queued_pairs
from ncen.persons.services import create_person
from tests.cli_support import cli_database, run_cli
from tests.factories import person_data


@pytest.fixture
def node(empty_database, tmp_path, monkeypatch):
    engine = cli_database(empty_database, tmp_path, monkeypatch, "ncen_duplicates_cli")
    yield engine
    engine.dispose()


def test_scan_fills_the_queue_and_resumes(node):
    with Session(node) as session, session.begin():
        system = Actor.system("test")
        create_person(session, system, person_data())
        create_person(session, system, person_data(names=[{"full_name": "Mukhamad Aliyev"}]))
    code, out, err = run_cli("duplicates", "scan", "--type", "person")
    assert code == 0, err
    assert "person: 2 records examined" in out
    with Session(node) as session:
        pairs, total = queued_pairs(session, "person")
    assert total == 1
    assert pairs[0].score >= 0.85
    code, out, _ = run_cli("duplicates", "scan")
    assert "person: 0 records examined" in out
    assert "company: 0 records examined" in out
    code, out, _ = run_cli("duplicates", "scan", "--type", "person", "--full", "--limit", "1")
    assert code == 0
    assert "person: 1 records examined" in out

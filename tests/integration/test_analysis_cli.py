"""``ncen analyse associates|path|centrality``, run in-process against a committed database."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from dataclasses import replace

import pytest
from sqlalchemy import Engine, func, select, text
from sqlalchemy.orm import Session

from ncen.accounts.actor import Actor
from ncen.analysis.centrality_job import refresh_if_stale, start_centrality_refresher
from ncen.analysis.centrality_store import CENTRALITY_LOCK
from ncen.analysis.centralitymodels import CentralityRun
from ncen.audit import AuditEvent
from ncen.settings import load_settings
from tests.cli_support import cli_database, run_cli
from tests.graph_support import Ring, plant_ring


@pytest.fixture
def node(empty_database, tmp_path, monkeypatch) -> Iterator[tuple[Engine, Ring]]:
    engine = cli_database(empty_database, tmp_path, monkeypatch, "ncen_analyse_cli")
    with Session(engine) as session, session.begin():
        ring = plant_ring(session, Actor.system("test"))
    yield engine, ring
    engine.dispose()


def test_associates_json_by_seizure_reference_and_by_key(node):
    engine, ring = node
    code, out, err = run_cli("analyse", "associates", str(ring.a), "--json")
    assert code == 0, err
    document = json.loads(out)
    keys = [row["key"] for row in document["associates"]]
    assert document["record"] == str(ring.a)
    assert str(ring.company) in keys
    assert str(ring.b) in keys
    assert str(ring.deleted) not in keys
    b = next(row for row in document["associates"] if row["key"] == str(ring.b))
    assert b["evidence"] == ["same phone +77015551234"]
    code, out, _ = run_cli("analyse", "associates", str(ring.truck.id))
    assert code == 0
    assert "Bolat Nurlanov" in out
    with Session(engine) as session:
        actions = set(session.execute(select(AuditEvent.action)).scalars())
    assert "analysis.associates" in actions
    _bad_references_are_one_line_errors(ring)


def test_path_and_centrality_text_and_json(node):
    _, ring = node
    code, out, err = run_cli("analyse", "path", str(ring.a), ring.references["s3"], "--json")
    assert code == 0, err
    document = json.loads(out)
    assert document["complete"] is True
    assert document["paths"], document["message"]
    first = document["paths"][0]
    assert first["nodes"][0]["key"] == str(ring.a)
    assert first["nodes"][-1]["key"] == str(ring.s3)
    assert all(edge["evidence"] for edge in first["edges"])
    code, out, _ = run_cli("analyse", "path", str(ring.a), str(ring.isolated), "--max-hops", "3")
    assert code == 0
    assert "no path of at most 3 hops" in out
    code, out, err = run_cli("analyse", "centrality", "--top", "3", "--json")
    assert code == 0, err
    document = json.loads(out)
    assert document["count"] == 3
    assert document["top"][0]["key"] == str(ring.company)
    assert {"degree", "betweenness", "closeness", "eigenvector", "component", "community"} <= set(
        document["top"][0]
    )
    code, out, _ = run_cli("analyse", "centrality", "--seizures-from", "2000-01-01")
    assert code == 0
    assert "degree" in out


def test_centrality_store_prints_and_stores_the_run(node):
    engine, ring = node
    code, out, err = run_cli("analyse", "centrality", "--top", "3", "--store", "--json")
    assert code == 0, err
    document = json.loads(out)
    assert document["top"][0]["key"] == str(ring.company)
    assert document["count"] == 3
    assert document["run"]["nodes"] >= 9
    assert document["run"]["seconds"] >= 0
    with Session(engine) as session:
        stored = session.execute(select(CentralityRun)).scalars().all()
        actions = set(session.execute(select(AuditEvent.action)).scalars())
    assert [str(r.id) for r in stored] == [document["run"]["id"]]
    assert stored[0].requested_by == "[cli]"
    assert len(stored[0].top) > 3  # stored with a margin for later deletions
    assert {"analysis.centrality.computed", "analysis.centrality"} <= actions
    code, out, err = run_cli("analyse", "centrality", "--store")
    assert code == 0, err
    assert "stored run" in out
    assert "MiB" in out
    with engine.connect() as other, other.begin():
        other.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": CENTRALITY_LOCK})
        code, _, err = run_cli("analyse", "centrality", "--store")
    assert code == 1
    assert "already running" in err


def test_the_background_refresher_computes_only_a_stale_run(node):
    engine, _ = node
    settings = replace(load_settings({}), centrality_hours=24)

    def runs() -> int:
        with Session(engine) as session:
            return session.execute(select(func.count()).select_from(CentralityRun)).scalar_one()

    assert start_centrality_refresher(engine, replace(settings, centrality_hours=0)) is None
    started = start_centrality_refresher(engine, settings)
    assert started is not None
    deadline = time.monotonic() + 60
    while runs() == 0:  # no run stored yet: the thread computes one at start
        assert time.monotonic() < deadline, "the background thread stored no run"
        time.sleep(0.1)
    started[1].set()
    started[0].join(timeout=60)
    assert not started[0].is_alive()
    assert refresh_if_stale(engine, settings) is False  # fresh: not recomputed
    assert refresh_if_stale(engine, replace(settings, centrality_hours=10**9)) is False
    assert runs() == 1
    with Session(engine) as session:
        stored = session.execute(select(CentralityRun)).scalar_one()
    assert stored.requested_by == "[centrality]"


def _bad_references_are_one_line_errors(ring: Ring) -> None:
    code, _, err = run_cli("analyse", "associates", "NO-SUCH-CASE")
    assert code == 1
    assert "does not exist" in err
    code, _, err = run_cli("analyse", "associates", ring.references["s1"])
    assert code == 1
    assert "a seizure has participants" in err
    code, _, err = run_cli("analyse", "path", "person:nope", str(ring.a))
    assert code == 1
    assert "not a UUID" in err

"""The demo plants active risk profiles for the demo analyst and its seizures hit them, so a
newcomer finds explained hits in the queue at once."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from ncen.accounts.models import Role
from ncen.demo.load import DemoPlan, load_demo
from ncen.targeting.models import Hit, ProfileStatus, RiskProfile
from ncen.targeting.profiles import effective_status, review_due
from tests.cli_support import cli_database
from tests.factories import create_user


@pytest.fixture
def node(empty_database: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Engine]:
    engine = cli_database(empty_database, tmp_path, monkeypatch, "ncen_targeting_demo")
    yield engine
    engine.dispose()


def test_demo_profiles_hit_the_demo_seizures(node: Engine) -> None:
    with Session(node) as session, session.begin():
        create_user(session, Role.ANALYST, username="analyst")
    counts = load_demo(node, DemoPlan(persons=300, seizures=600, seed=3))
    assert counts["profiles"] == 3
    assert counts["hits"] > 0
    with Session(node) as session, session.begin():
        profiles = list(session.execute(select(RiskProfile)).scalars())
        assert {effective_status(p) for p in profiles} == {ProfileStatus.ACTIVE}
        assert [p.name for p in profiles if review_due(p)] == ["Night-time tobacco at Khorgos"]
        hits = session.execute(select(func.count()).select_from(Hit)).scalar_one()
        assert hits == counts["hits"]
        explained = session.execute(select(Hit.explanation).limit(1)).scalar_one()
        assert explained[0]["values"]

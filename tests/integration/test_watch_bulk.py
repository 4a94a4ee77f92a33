"""Watch-list alerts for records that bypass the services: the demo COPY loader, and the
``ncen watch check`` command for alerting saved searches (on a committed database)."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ncen.accounts.actor import Actor
from ncen.accounts.models import Role
from ncen.demo.cast import PERSONS
from ncen.demo.duplicates import KINDS, PAIRS_PER_KIND, duplicate_id
from ncen.demo.load import DemoPlan, load_demo
from ncen.demo.rings import planted_id
from ncen.persons.models import PersonName
from ncen.watch.models import Alert, WatchKind
from ncen.watch.services import add_watch
from tests.cli_support import cli_database
from tests.factories import create_user
from web.cli import cli


@pytest.fixture
def node(empty_database, tmp_path, monkeypatch):
    engine = cli_database(empty_database, tmp_path, monkeypatch, "ncen_watch_bulk")
    yield engine
    engine.dispose()


def test_demo_load_raises_alerts_for_matching_watches(node):
    plan = DemoPlan(persons=200, seizures=20, seed=7)
    load_demo(node, plan)
    with Session(node) as session, session.begin():
        # A generated person's name (the planted networks are loaded once, not drawn again).
        # ... and not one of the planted true duplicates (also loaded once).
        planted = [planted_id(f"person:{p.key}") for p in PERSONS] + [
            duplicate_id(number, side)
            for number in range(len(KINDS) * PAIRS_PER_KIND)
            for side in "ab"
        ]
        name = session.execute(
            select(PersonName.full_name)
            .where(PersonName.script == "Latn", PersonName.person_id.not_in(planted))
            .limit(1)
        ).scalar_one()
        analyst = Actor.of(create_user(session, Role.ANALYST))
        add_watch(session, analyst, WatchKind.NAME, value=name, threshold=0.95)
    # The same seed draws the same names again (seizure references would clash: none).
    counts = load_demo(node, DemoPlan(persons=200, seizures=0, companies=0, conveyances=0, seed=7))
    assert counts["alerts"] >= 1
    with Session(node) as session:
        alerts = session.execute(select(Alert)).scalars().all()
        assert {a.event for a in alerts} == {"bulk_import"}
        assert all(a.score >= 0.95 for a in alerts)


def test_watch_check_command(node):
    result = CliRunner().invoke(cli, ["watch", "check"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "saved searches checked: 0 new alerts" in result.output
    with Session(node) as session:
        assert session.execute(select(func.count()).select_from(Alert)).scalar_one() == 0

"""Two saves racing for one chart name: the second meets the unique constraint, not a 500.

Needs two committing sessions, so it runs in a scratch database of its own. The first save
flushes and holds its transaction open; the second (in a thread) passes the name check, which
cannot see the uncommitted row, and waits on the unique index until the first commits.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from ncen import migrate
from ncen.accounts.actor import Actor
from ncen.accounts.models import Role
from ncen.analysis.charts import DUPLICATE_NAME, list_charts, save_chart
from ncen.db import make_engine
from ncen.dbroles import APP_ROLE
from ncen.errors import ValidationError
from tests.factories import create_user
from tests.graph_support import plant_ring


@pytest.fixture
def scratch(empty_database: Callable[[str], Any]) -> Iterator[Engine]:
    db = empty_database("ncen_chart_race")
    owner = make_engine(db.owner)
    migrate.upgrade(owner, app_role=APP_ROLE)
    owner.dispose()
    engine = make_engine(db.app)
    yield engine
    engine.dispose()


def test_second_of_two_racing_saves_is_refused_cleanly(scratch: Engine) -> None:
    with Session(scratch) as session, session.begin():
        ring = plant_ring(session, Actor.system("test"))
        analyst = Actor.of(create_user(session, Role.ANALYST))
    nodes = [str(ring.a), str(ring.company)]
    outcome: list[BaseException | None] = []

    def second() -> None:
        try:
            with Session(scratch) as other, other.begin():
                save_chart(other, analyst, name="Race", nodes=nodes)
            outcome.append(None)
        except BaseException as exc:  # noqa: BLE001 - handed to the test thread to assert on
            outcome.append(exc)

    with Session(scratch) as first, first.begin():
        save_chart(first, analyst, name="Race", nodes=nodes)
        thread = threading.Thread(target=second)
        thread.start()
        thread.join(timeout=1.0)  # it waits on the unique index for this transaction
        assert thread.is_alive()
    thread.join(timeout=30)
    assert len(outcome) == 1
    assert isinstance(outcome[0], ValidationError)
    assert outcome[0].errors == {"name": DUPLICATE_NAME}
    with Session(scratch) as session, session.begin():
        assert [chart.name for chart in list_charts(session, analyst)] == ["Race"]

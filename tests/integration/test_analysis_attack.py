"""Costs and leaks found by the review of issue 9's analysis services, on PostgreSQL."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import event
from sqlalchemy.orm import Session

from ncen.accounts.actor import Actor
from ncen.analysis import timeline as timeline_module
from ncen.analysis.entities import NodeKey
from ncen.analysis.timeline import build_timeline
from ncen.companies.services import create_company
from ncen.seizures.services import update_seizure
from tests.factories import company_data, seizure_data
from tests.graph_support import _link, _seizure


def test_timeline_reads_no_more_rows_than_it_can_show(
    session: Session, supervisor: Actor, analyst: Actor, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A hub company in many seizures, or a record edited many times: the timeline keeps the
    newest `MAX_EVENTS`, so no statement may fetch more than that (plus one to know it cut);
    before, each query read every link and every version of the records asked for."""
    company = NodeKey("company", create_company(session, supervisor, company_data()).id)
    seizures = [_seizure(session, supervisor, days)[0] for days in range(10, 18)]
    for seizure in seizures:
        _link(session, seizure, company, "importer")
    first = seizures[0]
    for _ in range(5):  # five more versions of one seizure
        version = session.execute(
            timeline_module.select(timeline_module.Seizure.version).where(
                timeline_module.Seizure.id == first.id
            )
        ).scalar_one()
        update_seizure(session, supervisor, first.id, version, seizure_data())
    session.flush()

    everything = build_timeline(session, analyst, [company, first]).events
    assert len(everything) > 8
    monkeypatch.setattr(timeline_module, "MAX_EVENTS", 3)
    fetched: list[int] = []

    def count(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        if statement.lstrip().upper().startswith("SELECT"):
            fetched.append(cursor.rowcount)

    bind = session.connection()
    event.listen(bind, "after_cursor_execute", count)
    try:
        shown = build_timeline(session, analyst, [company, first])
    finally:
        event.remove(bind, "after_cursor_execute", count)
    assert shown.truncated
    assert shown.events == everything[-3:]  # the newest, as before
    assert max(fetched) <= 4, fetched

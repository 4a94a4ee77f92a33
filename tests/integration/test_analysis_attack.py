"""Costs and leaks found by the review of issue 9's analysis services, on PostgreSQL."""

from __future__ import annotations

import random
from typing import Any

import networkx
import pytest
from sqlalchemy import event
from sqlalchemy.orm import Session

from ncen.accounts.actor import Actor
from ncen.analysis import timeline as timeline_module
from ncen.analysis.entities import NodeKey
from ncen.analysis.paths import find_paths
from ncen.analysis.timeline import build_timeline
from ncen.companies.services import create_company
from ncen.persons.services import create_person
from ncen.seizures.services import update_seizure
from tests.factories import company_data, person_data, seizure_data
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


def test_shortest_paths_agree_with_networkx_on_a_random_graph(
    session: Session, supervisor: Actor, analyst: Actor
) -> None:
    """Every pair of 30 persons in 25 seizures (random participation, no shared identifiers):
    the bidirectional search finds a path exactly when networkx does, of the same length, and
    every shortest path (there are at most 20 here), each simple and from a to b."""
    rng = random.Random(13)
    persons = [
        NodeKey(
            "person",
            create_person(
                session,
                supervisor,
                person_data(
                    names=[{"full_name": f"Person {i}", "kind": "primary"}],
                    addresses=[], contacts=[], documents=[],
                ),
            ).id,
        )
        for i in range(30)
    ]  # fmt: skip
    seizures = [_seizure(session, supervisor, rng.randrange(1, 900))[0] for _ in range(25)]
    graph: networkx.Graph[NodeKey] = networkx.Graph()
    graph.add_nodes_from(persons + seizures)
    for seizure in seizures:
        for person in rng.sample(persons, rng.choice([1, 2, 2, 3, 4])):
            _link(session, seizure, person, "driver")
            graph.add_edge(person, seizure)
    session.flush()
    for i, a in enumerate(persons):
        for b in persons[i + 1 :]:
            search = find_paths(session, analyst, a, b, max_hops=6, limit=20)
            assert search.complete
            try:
                expected = list(networkx.all_shortest_paths(graph, a, b))
            except networkx.NetworkXNoPath:
                expected = []
            if expected and len(expected[0]) - 1 > 6:
                expected = []
            found = [[node.key for node in path.nodes] for path in search.paths]
            assert sorted(map(tuple, found)) == sorted(map(tuple, expected))

"""Saved charts: save, list, reopen with what changed, stale saves, owner-only, bad input."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from ncen.accounts.actor import Actor
from ncen.accounts.models import Role
from ncen.analysis import charts
from ncen.audit import flush_events
from ncen.audit.events import AuditEvent
from ncen.companies.services import link_person_to_company
from ncen.errors import ConflictError, NotFoundError, PermissionDeniedError, ValidationError
from ncen.persons.services import create_person, delete_person, update_person
from ncen.seizures.services import link_entity
from tests import factories
from tests.conftest import make_actor
from tests.integration.analysis.network_data import Network, plant


@pytest.fixture
def network(session: Session, investigator: Actor) -> Network:
    return plant(session, investigator)


def _save(
    session: Session, actor: Actor, network: Network, *names: str, name: str = "Ring"
) -> charts.AnalysisChart:
    keys = [str(network.key(n)) for n in names]
    return charts.save_chart(
        session,
        actor,
        name=name,
        nodes=keys,
        layout={keys[0]: {"x": 10, "y": -5.5, "pinned": True}},
    )


def test_save_list_and_reopen_unchanged(session: Session, analyst: Actor, network: Network) -> None:
    chart = _save(session, analyst, network, "person", "seizure", "company")
    assert chart.version == 1
    assert [c.name for c in charts.list_charts(session, analyst)] == ["Ring"]
    opened = charts.open_chart(session, analyst, chart.id)
    assert {str(n.key) for n in opened.state.nodes} == set(chart.nodes)
    # The two participation edges among the saved nodes are there, and nothing changed.
    assert {(e.kind) for e in opened.state.edges} == {"participation"}
    assert len(opened.state.edges) == 2
    assert not opened.changes.any
    assert opened.chart.layout[chart.nodes[0]] == {"x": 10.0, "y": -5.5, "pinned": True}


def test_reopen_reports_changes(
    session: Session, investigator: Actor, supervisor: Actor, analyst: Actor, network: Network
) -> None:
    chart = _save(session, analyst, network, "person", "company", "seizure", "other")
    person = network.person
    # A record changed, a new edge among the saved nodes, a new neighbour, a node deleted.
    update_person(session, investigator, person.id, person.version,
                  factories.person_data(description="seen again"))  # fmt: skip
    link_person_to_company(session, investigator, person_id=person.id,
                           company_id=network.company.id, role="director")  # fmt: skip
    newcomer = factories.person_data(names=[{"full_name": "New Courier", "kind": "primary"}],
                                     documents=[], contacts=[])  # fmt: skip
    extra = create_person(session, investigator, newcomer)
    seizure = network.seizure
    session.refresh(seizure)
    link_entity(session, investigator, seizure.id, seizure.version, kind="person",
                target_id=extra.id, role="courier")  # fmt: skip
    other = network.other
    session.refresh(other)
    delete_person(session, supervisor, other.id, other.version)
    session.flush()

    changes = charts.open_chart(session, analyst, chart.id).changes
    assert changes.any
    assert changes.gone == [str(network.key("other"))]
    assert str(network.key("person")) in changes.changed
    assert (
        str(network.key("person")),
        str(network.key("company")),
        "employment",
    ) in changes.new_edges
    assert changes.new_neighbours.get(str(network.key("seizure"))) == 1
    assert changes.lost_edges == []


def test_update_bumps_version_and_refuses_stale(
    session: Session, analyst: Actor, network: Network
) -> None:
    chart = _save(session, analyst, network, "person", "seizure")
    updated = charts.update_chart(session, analyst, chart.id, version=1, name="Ring v2",
                                  nodes=[*chart.nodes, str(network.key("company"))])  # fmt: skip
    assert (updated.version, updated.name, len(updated.nodes)) == (2, "Ring v2", 3)
    with pytest.raises(ConflictError):
        charts.update_chart(
            session, analyst, chart.id, version=1, name="Old tab", nodes=chart.nodes
        )
    with pytest.raises(ValidationError):
        charts.update_chart(session, analyst, chart.id, version="two", name="x", nodes=chart.nodes)


def test_other_users_get_not_found(session: Session, analyst: Actor, network: Network) -> None:
    chart = _save(session, analyst, network, "person")
    colleague = make_actor(session, Role.ANALYST)
    for call in (
        lambda: charts.open_chart(session, colleague, chart.id),
        lambda: charts.update_chart(
            session, colleague, chart.id, version=1, name="x", nodes=chart.nodes
        ),
        lambda: charts.delete_chart(session, colleague, chart.id),
        lambda: charts.chart_keys(session, colleague, chart.id),
        lambda: charts.open_chart(session, analyst, uuid.uuid4()),
        lambda: charts.open_chart(session, analyst, "not-a-uuid"),
    ):
        with pytest.raises(NotFoundError):
            call()
    assert charts.list_charts(session, colleague) == []
    charts.delete_chart(session, analyst, chart.id)
    assert charts.list_charts(session, analyst) == []


def test_roles_without_link_analysis_are_refused(session: Session, network: Network) -> None:
    officer = make_actor(session, Role.EXCHANGE_OFFICER)
    with pytest.raises(PermissionDeniedError):
        _save(session, officer, network, "person")
    with pytest.raises(PermissionDeniedError):
        charts.list_charts(session, officer)


@pytest.mark.parametrize(
    ("name", "nodes", "layout", "field"),
    [
        ("", ["person"], None, "name"),
        ("x" * 121, ["person"], None, "name"),
        ("bad\x00name", ["person"], None, "name"),
        ("evil\u202eexe", ["person"], None, "name"),
        ("no nodes", [], None, "nodes"),
        ("bad key", ["person", "planet:1"], None, "nodes.1"),
        ("bad id", ["person:not-a-uuid"], None, "nodes.0"),
        ("missing", [f"person:{uuid.uuid4()}"], None, "nodes.0"),
        ("too many", [f"person:{uuid.uuid4()}" for _ in range(201)], None, "nodes"),
        ("layout", ["person"], {"person": {"x": float("nan"), "y": 1}}, "layout"),
        ("layout2", ["person"], {"company:" + str(uuid.uuid4()): {"x": 1, "y": 1}}, "layout"),
        ("layout3", ["person"], [1, 2], "layout"),
    ],
)
def test_bad_input_is_refused(  # noqa: PLR0917 - fixtures and parameters
    session: Session, analyst: Actor, network: Network, name: str, nodes: list[str],
    layout: object, field: str,
) -> None:  # fmt: skip
    person = str(network.key("person"))
    keys = [person if n == "person" else n for n in nodes]
    if isinstance(layout, dict):
        layout = {person if k == "person" else k: v for k, v in layout.items()}
    with pytest.raises(ValidationError) as caught:
        charts.save_chart(session, analyst, name=name, nodes=keys, layout=layout)
    assert field in caught.value.errors


def test_deleted_record_cannot_be_saved_and_names_are_unique(
    session: Session, supervisor: Actor, analyst: Actor, network: Network
) -> None:
    _save(session, analyst, network, "person")
    with pytest.raises(ValidationError) as caught:
        _save(session, analyst, network, "company")
    assert "name" in caught.value.errors
    other = network.other
    delete_person(session, supervisor, other.id, other.version)
    with pytest.raises(ValidationError) as caught:
        _save(session, analyst, network, "other", name="Gone")
    assert "nodes.0" in caught.value.errors


def test_writes_and_reads_are_audited(session: Session, analyst: Actor, network: Network) -> None:
    chart = _save(session, analyst, network, "person", "seizure")
    charts.open_chart(session, analyst, chart.id)
    charts.delete_chart(session, analyst, chart.id)
    flush_events(session)
    actions = (
        session.execute(
            select(AuditEvent.action)
            .where(AuditEvent.record_id == str(chart.id))
            .order_by(AuditEvent.id)
        )
        .scalars()
        .all()
    )
    assert actions == ["analysis_chart.create", "analysis_chart.read", "analysis_chart.delete"]

"""Timelines: events of records in time order, partial dates kept partial, audit, visibility."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from ncen.accounts.actor import Actor
from ncen.accounts.models import Role
from ncen.analysis.graph import NodeKey
from ncen.analysis.timeline import PartialDate, Precision, TimelineEvent, build_timeline
from ncen.audit import flush_events
from ncen.audit.events import AuditEvent
from ncen.errors import PermissionDeniedError, ValidationError
from ncen.persons.services import delete_person
from tests.conftest import make_actor
from tests.integration.analysis.network_data import Network, plant


@pytest.fixture
def network(session: Session, investigator: Actor) -> Network:
    return plant(session, investigator)


def test_partial_dates_span_what_they_mean() -> None:
    year = PartialDate(2019)
    assert (year.label(), year.precision) == ("2019", Precision.YEAR)
    assert (year.start(), year.end()) == (
        datetime(2019, 1, 1, tzinfo=UTC),
        datetime(2020, 1, 1, tzinfo=UTC),
    )
    december = PartialDate(2019, 12)
    assert (december.label(), december.end()) == ("2019-12", datetime(2020, 1, 1, tzinfo=UTC))
    day = PartialDate(2020, 2, 29)
    assert (day.label(), day.end()) == ("2020-02-29", datetime(2020, 3, 1, tzinfo=UTC))


def test_person_timeline_in_order_with_partial_birth(
    session: Session, analyst: Actor, network: Network
) -> None:
    person = network.key("person")
    timeline = build_timeline(session, analyst, [person])
    assert [str(g.key) for g in timeline.groups] == [str(person)]
    starts = [event.start for event in timeline.events]
    assert starts == sorted(starts)
    kinds = [event.kind for event in timeline.events]
    assert kinds[0] == "birth"  # 1984 comes first
    birth = timeline.events[0]
    # Only the year is known: a year, not the first of January.
    assert birth.when == PartialDate(1984)
    assert birth.precision is Precision.YEAR
    seizure = next(e for e in timeline.events if e.kind == "seizure")
    assert seizure.label.startswith("driver in ")
    assert seizure.start == datetime(2025, 2, 1, 10, tzinfo=UTC)
    document = next(e for e in timeline.events if e.kind == "document")
    assert document.when == PartialDate(2031, 5, 17)
    assert "expires" in document.label
    assert timeline.events[-1] is document
    assert "change" in kinds  # the creation, from the history


def test_chart_timeline_groups_records_and_keeps_extra_events(
    session: Session, analyst: Actor, network: Network
) -> None:
    keys = [network.key("other"), network.key("seizure")]
    stranger = NodeKey("person", network.person.id)
    extra = [
        TimelineEvent(str(keys[1]), "sent", "sent to XX-NODE", datetime(2025, 3, 1, tzinfo=UTC)),
        TimelineEvent(
            str(stranger), "sent", "not on this timeline", datetime(2025, 3, 1, tzinfo=UTC)
        ),
    ]
    timeline = build_timeline(session, analyst, keys, extra_events=extra)
    assert [g.key for g in timeline.groups] == keys
    groups = {event.group for event in timeline.events}
    assert groups == {str(k) for k in keys}
    labels = [event.label for event in timeline.events]
    assert "sent to XX-NODE" in labels
    assert "not on this timeline" not in labels
    other_birth = next(e for e in timeline.events if e.kind == "birth")
    assert other_birth.when == PartialDate(1990, 3)


def test_deleted_records_are_left_out(
    session: Session, supervisor: Actor, analyst: Actor, network: Network
) -> None:
    other = network.other
    delete_person(session, supervisor, other.id, other.version)
    timeline = build_timeline(session, analyst, [network.key("other"), network.key("second")])
    assert [g.key for g in timeline.groups] == [network.key("second")]
    # Nothing of the deleted courier leaks in: every event is the seizure's.
    assert all(e.group == str(network.key("second")) for e in timeline.events)


def test_audited_and_bounded(session: Session, analyst: Actor, network: Network) -> None:
    build_timeline(session, analyst, [network.key("person")])
    flush_events(session)
    event = (
        session.execute(
            select(AuditEvent)
            .where(AuditEvent.action == "timeline.read")
            .order_by(AuditEvent.id.desc())
        )
        .scalars()
        .first()
    )
    assert event is not None
    assert event.actor_id == analyst.user_id
    assert event.details["records"] == [str(network.key("person"))]
    with pytest.raises(ValidationError):
        build_timeline(session, analyst, [network.key("person")] * 201)
    with pytest.raises(PermissionDeniedError):
        build_timeline(session, make_actor(session, Role.EXCHANGE_OFFICER), [network.key("person")])

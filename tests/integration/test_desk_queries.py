"""The desk queries (`ncen.analysis.desk`, `exchange.services.desk`) on real PostgreSQL: the rights
each panel needs, what "returned" means, received seizures kept off the validation queue, and the
panel size bounds."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy.orm import Session

from exchange.services import desk as exchange_desk
from ncen.accounts.actor import Actor
from ncen.accounts.models import Role
from ncen.analysis import desk
from ncen.errors import PermissionDeniedError, ValidationError
from ncen.policy import Action
from ncen.records import Provenance
from ncen.seizures.foreign import import_foreign_seizure
from ncen.seizures.services import (
    record_seizure,
    return_seizure,
    submit_seizure,
    update_seizure,
)
from ncen.seizures.snapshots import snapshot
from tests.conftest import make_actor
from tests.factories import seizure_data


def test_each_panel_needs_its_action(
    session: Session, investigator: Actor, analyst: Actor, supervisor: Actor
) -> None:
    with pytest.raises(PermissionDeniedError):
        desk.seizure_panel(
            session, analyst, "drafts", desk.my_drafts_queue(analyst), action=Action.CREATE_RECORDS
        )
    with pytest.raises(PermissionDeniedError):
        desk.seizure_panel(
            session,
            investigator,
            "awaiting",
            desk.awaiting_validation_queue(),
            action=Action.VALIDATE_SEIZURE,
        )
    with pytest.raises(PermissionDeniedError):
        desk.returned_to_me(session, analyst)
    with pytest.raises(PermissionDeniedError):
        desk.new_alerts(session, investigator)
    admin = make_actor(session, Role.ADMINISTRATOR)
    with pytest.raises(PermissionDeniedError):
        desk.saved_search_seizures(session, admin)
    for panel in (
        exchange_desk.latest_received,
        exchange_desk.failed_deliveries,
        exchange_desk.open_rfis,
    ):
        with pytest.raises(PermissionDeniedError):
            panel(session, supervisor)


def test_panel_size_is_bounded(session: Session, investigator: Actor) -> None:
    for size in (0, -1, desk.MAX_PANEL_SIZE + 1):
        with pytest.raises(ValidationError):
            desk.returned_to_me(session, investigator, size=size)
    assert desk.returned_to_me(session, investigator, size=desk.MAX_PANEL_SIZE).items == []


def test_returned_means_sent_back_and_not_resubmitted(
    session: Session, investigator: Actor, supervisor: Actor
) -> None:
    fresh = record_seizure(session, investigator, seizure_data())
    edited = record_seizure(session, investigator, seizure_data())
    update_seizure(session, investigator, edited.id, 1, snapshot(session, edited))
    bounced = record_seizure(session, investigator, seizure_data())
    submit_seizure(session, investigator, bounced.id, bounced.version)
    return_seizure(session, supervisor, bounced.id, bounced.version)
    submit_seizure(session, investigator, bounced.id, bounced.version)
    return_seizure(session, supervisor, bounced.id, bounced.version)  # twice: listed once
    fixed = record_seizure(session, investigator, seizure_data())
    submit_seizure(session, investigator, fixed.id, fixed.version)
    return_seizure(session, supervisor, fixed.id, fixed.version)
    submit_seizure(session, investigator, fixed.id, fixed.version)  # resubmitted

    panel = desk.returned_to_me(session, investigator)
    assert [r.seizure.id for r in panel.items] == [bounced.id]
    assert panel.items[0].returned_by == supervisor.username
    assert not panel.more
    assert fresh.id not in {r.seizure.id for r in panel.items}


def test_received_seizures_wait_for_no_one_here(
    session: Session, investigator: Actor, supervisor: Actor
) -> None:
    officer = make_actor(session, Role.EXCHANGE_OFFICER)
    national = record_seizure(session, investigator, seizure_data())
    submit_seizure(session, investigator, national.id, national.version)
    received = import_foreign_seizure(
        session,
        officer,
        {**seizure_data(), "reference": "FR-1", "status": "submitted"},
        Provenance("fr-ncen", "s-1", uuid.uuid4()),
    )
    panel = desk.seizure_panel(
        session,
        supervisor,
        "awaiting",
        desk.awaiting_validation_queue(),
        action=Action.VALIDATE_SEIZURE,
    )
    shown = {s.id for s in panel.items}
    assert national.id in shown
    assert received.id not in shown


def test_more_says_whether_the_list_goes_on(session: Session, investigator: Actor) -> None:
    for _ in range(3):
        record_seizure(session, investigator, seizure_data())
    queue = desk.my_drafts_queue(investigator)
    two = desk.seizure_panel(
        session, investigator, "drafts", queue, action=Action.CREATE_RECORDS, size=2
    )
    three = desk.seizure_panel(
        session, investigator, "drafts", queue, action=Action.CREATE_RECORDS, size=3
    )
    assert (len(two.items), two.more) == (2, True)
    assert (len(three.items), three.more) == (3, False)

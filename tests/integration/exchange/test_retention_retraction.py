"""A retention deletion of a record sent to a peer queues a signed retraction for that peer, and
the peer applies it (issue 12, item 19). Two nodes set up from the command line; the bundles
travel as files from the sender's outbox."""

from __future__ import annotations

import json
import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from exchange.netmodels import Delivery, DeliveryState, ExchangeTerms, Tombstone
from exchange.network.inbox import accept_bundle
from exchange.network.node import load_node
from ncen.accounts.actor import Actor
from ncen.accounts.models import Role
from ncen.persons.models import Person
from ncen.retention.services import delete_record
from ncen.settings import Settings
from tests.factories import create_user
from web.retention.propagation import RETRACTION_REASON, propagate_deletion

LEGAL = ("--legal-basis", "Naples II, art. 9", "--purpose", "joint investigation")


def _carry(sender, receiver, bundle_id, usb: Path) -> None:
    """Copy a queued bundle from the sender's outbox to the medium and give it to the
    receiver's inbox (which applies messages such as retractions), as a file delivery."""
    path = usb / f"{bundle_id}.ncb"
    shutil.copy(sender.instance / "exchange" / "outbox" / f"{bundle_id}.ncb", path)
    settings = Settings(
        instance_path=receiver.instance, node_id=receiver.node_id, node_country=receiver.country
    )
    receipt = accept_bundle(
        sessionmaker(bind=receiver.engine),
        load_node(settings, {}),
        path,
        channel="file",
        now=datetime.now(UTC).replace(microsecond=0),
    )
    assert "accepted" in str(receipt), receipt


def test_deleting_a_sent_person_retracts_it_from_the_peer(make_node, usb):
    fr = make_node("fr-ncen", "FR")
    de = make_node("de-ncen", "DE")
    fr.add_peer(de, usb)
    de.add_peer(fr, usb)
    reference = fr.record_case()
    fr.ok("exchange", "send", "--to", "de-ncen", "--seizure", reference, *LEGAL)
    with fr.session() as session:
        first = session.execute(select(Delivery.bundle_id)).scalar_one()
    _carry(fr, de, first, usb)
    assert de.count(Person, foreign=True) == 1

    person_id = fr.created["person"]
    today = datetime.now(UTC).date()
    with Session(fr.engine) as session, session.begin():
        session.execute(
            update(Person).where(Person.id == person_id).values(review_due=today - timedelta(1))
        )
    due = json.loads(fr.ok("retention", "due", "--json"))
    assert [(r["record_type"], r["id"]) for r in due["records"]] == [("person", str(person_id))]

    node = load_node(Settings(instance_path=fr.instance, node_id="fr-ncen", node_country="FR"), {})
    with Session(fr.engine) as session, session.begin():
        supervisor = Actor.of(create_user(session, Role.SUPERVISOR))
        deletion = delete_record(
            session,
            supervisor,
            "person",
            person_id,
            {"reason": "no longer needed", "confirm": "yes"},
            today=today,
        )
        queued = propagate_deletion(
            session,
            supervisor,
            deletion,
            lambda: node,
            now=datetime.now(UTC).replace(microsecond=0),
        )
    assert queued is not None
    assert [peer for peer, _ in queued.recipients] == ["de-ncen"]
    with fr.session() as session:
        delivery = session.execute(
            select(Delivery).where(Delivery.bundle_id == queued.bundle_id)
        ).scalar_one()
        assert (delivery.peer_node_id, delivery.state) == ("de-ncen", DeliveryState.QUEUED)
        terms = session.get(ExchangeTerms, queued.bundle_id)
        assert terms is not None
        assert terms.kind == "retraction"

    _carry(fr, de, queued.bundle_id, usb)
    with de.session() as session:
        received = session.execute(
            select(Person).where(Person.origin_node == "fr-ncen")
        ).scalar_one()
        assert received.deleted_at is not None
        assert received.names == []
        tomb = session.execute(
            select(Tombstone).where(Tombstone.record_type == "persons")
        ).scalar_one()
        assert tomb.origin_id == str(person_id)
        assert tomb.reason == RETRACTION_REASON

"""Issue 10, sharing profiles across nodes: fr sends a risk profile to de as a signed bundle;
de adopts it, de's own seizure matches it, de's analyst confirms the hit, de returns feedback,
and the counts show on fr's profile statistics. Then the refusals: a tampered profile (an
unknown member), a profile with an unknown field or code, a handling code outside the
agreement, feedback from a peer that was never sent the profile. Bundles travel as files
through the receivers' real inbox (`accept_bundle`), which answers a signed receipt."""

from __future__ import annotations

import shutil
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from exchange.crypto.bundle import RecordSet
from exchange.crypto.canonical import canonical_json
from exchange.netmodels import InboxEntry, InboxOutcome
from exchange.network.inbox import accept_bundle
from exchange.network.node import NodeContext, load_node
from exchange.network.outbox import _seal_and_queue
from exchange.network.protocol import new_message
from exchange.profilemodels import ForeignProfile, ProfileFeedback
from exchange.records.profileschema import PROFILE_SCHEMA, PROFILE_SET
from exchange.services.profile_feedback import peer_feedback, send_feedback
from exchange.services.profiles import adopt_profile, send_profile
from exchange.services.trust import get_peer
from ncen.accounts.actor import Actor
from ncen.accounts.models import Role
from ncen.audit.events import AuditEvent
from ncen.settings import Settings
from ncen.targeting.hits import decide_hit
from ncen.targeting.models import Hit
from ncen.targeting.profiles import create_profile, set_status
from tests.factories import create_user

EXPRESSION = 'commodity_group == "tobacco" && departure_country == "CN"'
LEGAL = "Naples II, art. 9"


def _now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


def _node(cli: Any) -> NodeContext:
    settings = Settings(instance_path=cli.instance, node_id=cli.node_id, node_country=cli.country)
    return load_node(settings, {})


def _carry(sender: Any, receiver: Any, bundle_id: uuid.UUID, usb: Path) -> None:
    """Copy a queued bundle from the sender's outbox to the medium and give it to the
    receiver's inbox, which answers a signed receipt either way."""
    path = usb / f"{bundle_id}.ncb"
    shutil.copy(sender.instance / "exchange" / "outbox" / f"{bundle_id}.ncb", path)
    accept_bundle(
        sessionmaker(bind=receiver.engine), _node(receiver), path, channel="file", now=_now()
    )


def _outcome(receiver: Any, bundle_id: uuid.UUID) -> tuple[InboxOutcome, str]:
    with Session(receiver.engine) as session:
        entry = session.execute(
            select(InboxEntry).where(InboxEntry.bundle_id == bundle_id)
        ).scalar_one()
        return entry.outcome, str(entry.detail or "")


@pytest.fixture
def pair(make_node, usb):
    fr = make_node("fr-ncen", "FR")
    de = make_node("de-ncen", "DE")
    fr.add_peer(de, usb)
    de.add_peer(fr, usb)
    return fr, de


def _profile(cli: Any, name: str, expression: str = EXPRESSION) -> tuple[uuid.UUID, Actor]:
    with Session(cli.engine) as session, session.begin():
        analyst = Actor.of(create_user(session, Role.ANALYST))
        profile = create_profile(
            session,
            analyst,
            {"name": name, "purpose": "Counterfeit cigarettes from China", "expression": expression,
             "lane": "high", "score": "70"},
        )  # fmt: skip
        return profile.id, analyst


def _send(cli: Any, profile_id: uuid.UUID, code: str = "H1") -> uuid.UUID:
    with Session(cli.engine) as session, session.begin():
        officer = Actor.of(create_user(session, Role.EXCHANGE_OFFICER))
        queued = send_profile(
            session, officer, _node(cli), profile_id=profile_id, recipients=["de-ncen"],
            handling_code=code, legal_basis=LEGAL, purpose="risk warning", now=_now(),
        )  # fmt: skip
        return queued.bundle_id


def test_a_profile_sent_is_adopted_matched_confirmed_and_its_feedback_returns(pair, usb):
    fr, de = pair
    profile_id, _ = _profile(fr, "Counterfeit cigarettes from China")
    bundle = _send(fr, profile_id)
    _carry(fr, de, bundle, usb)
    assert _outcome(de, bundle)[0] is InboxOutcome.ACCEPTED

    with Session(de.engine) as session, session.begin():
        foreign = session.execute(select(ForeignProfile)).scalar_one()
        assert (foreign.origin_node, foreign.origin_profile_id, foreign.origin_version) == (
            "fr-ncen",
            profile_id,
            1,
        )
        assert foreign.expression == EXPRESSION
        assert foreign.handling_code == "H1"
        analyst = Actor.of(create_user(session, Role.ANALYST))
        local = adopt_profile(session, analyst, foreign.id)
        assert local.status.value == "draft"
        assert "Adopted from fr-ncen" in local.current_version.note
        set_status(session, analyst, local.id, "active", expected_version=local.version)
        local_id, analyst_user, foreign_id = local.id, analyst, foreign.id

    de.record_case()  # a tobacco seizure from CN, recorded at de: evaluated in its transaction
    with Session(de.engine) as session, session.begin():
        hit = session.execute(select(Hit).where(Hit.profile_id == local_id)).scalar_one()
        assert hit.explanation  # which criteria matched, with which values
        decide_hit(session, analyst_user, hit.id, "confirmed")
    with Session(de.engine) as session, session.begin():
        officer = Actor.of(create_user(session, Role.EXCHANGE_OFFICER))
        feedback = send_feedback(
            session, officer, _node(de), foreign_id=foreign_id, legal_basis=LEGAL, now=_now()
        )
    _carry(de, fr, feedback.bundle_id, usb)
    assert _outcome(fr, feedback.bundle_id)[0] is InboxOutcome.ACCEPTED
    with Session(fr.engine) as session:
        rows = peer_feedback(session, profile_id)
        assert [(r.peer_node_id, r.version_number, r.hits, r.confirmed, r.dismissed)
                for r in rows] == [("de-ncen", 1, 1, 1, 0)]  # fmt: skip
        events = set(session.execute(select(AuditEvent.action)).scalars())
        assert {"exchange.profile.send", "exchange.profile.feedback_received"} <= events
    with Session(de.engine) as session:
        events = set(session.execute(select(AuditEvent.action)).scalars())
        assert {"exchange.profile.receive", "targeting.profile.adopt"} <= events
        assert {"exchange.profile.feedback"} <= events


def _forge(sender: Any, kind: str, body: dict[str, Any], value: Any, code: str) -> uuid.UUID:
    """Seal and queue, signed by ``sender``'s real key, a message with an arbitrary profile
    record set (``value`` None: none): what a tampering or buggy peer could send."""
    attached = [] if value is None else [RecordSet(PROFILE_SET, canonical_json(value))]
    with Session(sender.engine) as session, session.begin():
        node = _node(sender)
        queued = _seal_and_queue(
            session,
            Actor.system("forger"),
            node,
            peers=[get_peer(session, "de-ncen" if sender.node_id == "fr-ncen" else "fr-ncen")],
            message=new_message(kind, legal_basis=LEGAL, purpose="risk warning", body=body),
            exported=None,
            now=_now(),
            lifetime=timedelta(days=7),
            attached=attached,
            handling_codes=[code],
        )
        return queued.bundle_id


def _value(**changes: Any) -> dict[str, Any]:
    profile = {
        "id": str(uuid.uuid4()), "version": 1, "name": "Forged", "purpose": "",
        "expression": EXPRESSION, "lane": "high", "score": 70, "starts_on": None,
        "ends_on": None, "handling_code": "H1",
    }  # fmt: skip
    profile.update(changes)
    return {"schema": PROFILE_SCHEMA, "profile": profile}


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ({**_value(), "run": "import os"}, "unknown members ['run']"),
        (_value(extra="x"), "unknown members ['extra']"),
        (_value(expression='shell == "rm -rf /"'), "unknown field"),
        (_value(expression='commodity_group == "plutonium"'), "unknown code “plutonium”"),
        (_value(expression='__import__("os").system("id")'), "profile refused"),
        (_value(expression='conveyance.plate in lookup("watched")'), "lookup lists"),
        (_value(lane="urgent"), "profile.lane"),
        (_value(score=1000), "profile.score"),
    ],
)
def test_a_bad_received_profile_is_refused_whole_with_its_reason(pair, usb, value, reason):
    fr, de = pair
    body = {"profile_id": value["profile"]["id"], "version": 1}
    bundle = _forge(fr, "profile", body, value, "H1")
    _carry(fr, de, bundle, usb)
    outcome, detail = _outcome(de, bundle)
    assert outcome is InboxOutcome.REJECTED
    assert reason in detail, detail
    with Session(de.engine) as session:
        assert session.execute(select(func.count()).select_from(ForeignProfile)).scalar_one() == 0


def test_handling_code_outside_the_receivers_agreement_is_refused(make_node, usb):
    fr = make_node("fr-ncen", "FR")
    de = make_node("de-ncen", "DE")
    fr.add_peer(de, usb)
    de.add_peer(fr, usb, "--handling", "H0,H1")  # de accepts nothing above H1 from fr
    profile_id, _ = _profile(fr, "Cigarettes H2")
    bundle = _send(fr, profile_id, "H2")
    _carry(fr, de, bundle, usb)
    outcome, detail = _outcome(de, bundle)
    assert outcome is InboxOutcome.REJECTED
    assert "handling code H2 is not in the agreement" in detail


def test_a_profile_message_must_carry_the_profile_it_names(pair, usb):
    fr, de = pair
    value = _value()
    bundle = _forge(fr, "profile", {"profile_id": str(uuid.uuid4()), "version": 1}, value, "H1")
    _carry(fr, de, bundle, usb)
    assert "names another profile" in _outcome(de, bundle)[1]
    bundle = _forge(fr, "profile", {"profile_id": value["profile"]["id"], "version": 1}, None, "H1")
    _carry(fr, de, bundle, usb)
    assert "exactly one profile record set" in _outcome(de, bundle)[1]


def test_feedback_on_a_profile_never_sent_to_that_peer_is_refused(pair, usb):
    fr, de = pair
    profile_id, _ = _profile(fr, "Never sent")
    body = {"profile_id": str(profile_id), "version": 1, "hits": 3, "confirmed": 1, "dismissed": 1}
    bundle = _forge(de, "profile-feedback", body, None, "H0")
    _carry(de, fr, bundle, usb)
    outcome, detail = _outcome(fr, bundle)
    assert outcome is InboxOutcome.REJECTED
    assert "did not send to this peer" in detail
    with Session(fr.engine) as session:
        assert session.execute(select(func.count()).select_from(ProfileFeedback)).scalar_one() == 0

"""``ncen targeting profiles send|received|adopt|feedback``: the console mirror of the sharing
pages, run as two nodes (fr sends, de adopts and returns feedback) whose bundles travel as files
through the real inboxes; and the refusals a console user meets (a bad id, an unknown owner, a
peer that is not one, feedback before adoption)."""

from __future__ import annotations

import json
import uuid

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from exchange.netmodels import InboxOutcome
from exchange.services.profile_feedback import peer_feedback
from ncen.accounts.actor import Actor
from ncen.accounts.models import Role
from ncen.targeting.models import Hit, ProfileStatus, RiskProfile
from ncen.targeting.profiles import set_status
from tests.factories import create_user
from tests.integration.exchange.test_profile_sharing import LEGAL, _carry, _outcome, _profile


@pytest.fixture
def pair(make_node, usb):  # type: ignore[no-untyped-def]
    fr, de = make_node("fr-ncen", "FR"), make_node("de-ncen", "DE")
    fr.add_peer(de, usb)
    de.add_peer(fr, usb)
    return fr, de


def test_send_adopt_and_feedback_from_the_console(pair, usb):  # type: ignore[no-untyped-def]
    fr, de = pair
    profile_id, _ = _profile(fr, "Counterfeit cigarettes from China")
    sent = json.loads(fr.ok(
        "targeting", "profiles", "send", str(profile_id), "--peer", "de-ncen",
        "--handling", "h1", "--legal-basis", LEGAL, "--purpose", "risk warning", "--json",
    ))  # fmt: skip
    assert [r["peer"] for r in sent["recipients"]] == ["de-ncen"]
    bundle = uuid.UUID(sent["bundle_id"])
    _carry(fr, de, bundle, usb)
    assert _outcome(de, bundle)[0] is InboxOutcome.ACCEPTED

    [received] = json.loads(de.ok("targeting", "profiles", "received", "--json"))["received"]
    assert (received["origin_node"], received["handling_code"]) == ("fr-ncen", "H1")
    assert received["adopted_profile_id"] is None
    early = de.run("targeting", "profiles", "feedback", received["id"], "--legal-basis", LEGAL)
    assert early.exit_code == 1
    assert "adopt the profile first" in early.output
    with Session(de.engine) as session, session.begin():
        dana = Actor.of(create_user(session, Role.ANALYST, username="dana"))
    unknown = de.run("targeting", "profiles", "adopt", received["id"], "--owner", "nobody")
    assert unknown.exit_code == 1
    assert "no user named nobody" in unknown.output
    adopted = json.loads(de.ok(
        "targeting", "profiles", "adopt", received["id"], "--owner", "dana", "--json",
    ))  # fmt: skip
    assert adopted["status"] == "draft"
    again = de.run("targeting", "profiles", "adopt", received["id"], "--owner", "dana")
    assert again.exit_code == 1
    assert "adopted already" in again.output
    [listed] = json.loads(de.ok("targeting", "profiles", "received", "--json"))["received"]
    assert listed["adopted_profile_id"] == adopted["id"]

    with Session(de.engine) as session, session.begin():
        local = session.get(RiskProfile, uuid.UUID(adopted["id"]))
        assert local is not None
        assert local.owner_id == dana.user_id
        set_status(session, dana, local.id, "active", expected_version=1)
        assert local.status is ProfileStatus.ACTIVE
        local_id = local.id
    de.record_case()  # a tobacco seizure from CN: one hit on the adopted copy
    with Session(de.engine) as session:
        assert session.execute(select(Hit).where(Hit.profile_id == local_id)).scalar_one()
    feedback = json.loads(de.ok(
        "targeting", "profiles", "feedback", received["id"], "--legal-basis", LEGAL, "--json",
    ))  # fmt: skip
    _carry(de, fr, uuid.UUID(feedback["bundle_id"]), usb)
    with Session(fr.engine) as session:
        assert [(r.peer_node_id, r.hits) for r in peer_feedback(session, profile_id)] == [
            ("de-ncen", 1)
        ]


def test_console_refusals(pair):  # type: ignore[no-untyped-def]
    fr, _de = pair
    profile_id, _ = _profile(fr, "Refused")
    bad_id = fr.run("targeting", "profiles", "send", "not-an-id", "--peer", "de-ncen",
                    "--handling", "H1", "--legal-basis", LEGAL, "--purpose", "p")  # fmt: skip
    assert bad_id.exit_code == 2
    assert "is not an id" in bad_id.output
    stranger = fr.run("targeting", "profiles", "send", str(profile_id), "--peer", "xx-ncen",
                      "--handling", "H1", "--legal-basis", LEGAL, "--purpose", "p")  # fmt: skip
    assert stranger.exit_code == 1
    assert "error" in stranger.output
    missing = fr.run("targeting", "profiles", "adopt", str(uuid.uuid4()), "--owner", "x")
    assert missing.exit_code == 1
    assert fr.ok("targeting", "profiles", "received").strip() == "no profile received"

"""Issue 10 in the browser's terms (Flask's test client): from a hit to a case file, foreign
profiles and their adoption, the exchange officer's profile page (refusals with their reasons),
and the feedback on a profile's statistics. Audit of each act."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from exchange.crypto.keydir import NodeKeys
from exchange.netmodels import Delivery
from exchange.profilemodels import ForeignProfile, ProfileFeedback, ProfileShare
from ncen.accounts.actor import Actor
from ncen.accounts.models import Role, User
from ncen.audit import AuditEvent, flush_events
from ncen.db import utcnow
from ncen.errors import ValidationError
from ncen.investigations.models import Investigation, InvestigationItem, ItemType
from ncen.seizures.services import link_entity
from ncen.targeting.models import Hit, RiskProfile
from ncen.targeting.profiles import create_profile, set_status
from tests.functional.conftest import post_form, sign_in
from tests.functional.test_exchange_pages import NOW, _peer
from tests.web_support import make_record, make_user, tx

TOBACCO = 'commodity_group == "tobacco" && departure_country == "CN"'


def _active_profile(db: Session, analyst: User, name: str, expression: str = TOBACCO) -> uuid.UUID:
    with tx(db):
        actor = Actor.of(analyst)
        profile = create_profile(
            db, actor, {"name": name, "expression": expression, "lane": "high", "score": "70"}
        )
        set_status(db, actor, profile.id, "active", expected_version=profile.version)
        return profile.id


def _hit_with_records(db: Session, analyst: User) -> tuple[uuid.UUID, dict[str, uuid.UUID]]:
    investigator = make_user(db, Role.INVESTIGATOR)
    profile_id = _active_profile(db, analyst, "Cigarettes from China")
    seizure = make_record(db, investigator, "seizure")
    person = make_record(db, investigator, "person")
    company = make_record(db, investigator, "company")
    with tx(db):
        actor = Actor.of(investigator)
        link_entity(db, actor, seizure.id, seizure.version, kind="person", target_id=person.id,
                    role="courier")  # fmt: skip
        link_entity(db, actor, seizure.id, seizure.version, kind="company",
                    target_id=company.id, role="importer")  # fmt: skip
        hit_id = db.execute(select(Hit.id).where(Hit.profile_id == profile_id)).scalar_one()
    return hit_id, {"seizure": seizure.id, "person": person.id, "company": company.id}


def _switch(client: FlaskClient, user: User) -> None:
    post_form(client, "/auth/sign-out", {})
    assert sign_in(client, user).status_code == 302


def test_open_investigation_from_a_hit_carries_its_records_and_the_assignee_sees_it(
    client: FlaskClient, db: Session
) -> None:
    analyst = make_user(db, Role.ANALYST)
    assignee = make_user(db, Role.INVESTIGATOR)
    outsider = make_user(db, Role.INVESTIGATOR)
    hit_id, records = _hit_with_records(db, analyst)
    sign_in(client, analyst)
    page = client.get(f"/targeting/hits/{hit_id}")
    assert 'id="open-case-form"' in page.text
    refused = post_form(client, f"/targeting/hits/{hit_id}/investigation", {"title": "\u202eevil"})
    assert refused.status_code == 400
    opened = post_form(
        client,
        f"/targeting/hits/{hit_id}/investigation",
        {"title": "Cigarettes from China", "members": str(assignee.id), "restricted": "1"},
    )
    assert opened.status_code == 302
    with tx(db):
        case = db.execute(select(Investigation)).scalar_one()
        assert (case.source, case.source_ref, case.restricted) == ("hit", str(hit_id), True)
        items = set(
            db.execute(
                select(InvestigationItem.record_type, InvestigationItem.record_id).where(
                    InvestigationItem.investigation_id == case.id
                )
            ).all()
        )
        flush_events(db)
        actions = set(db.execute(select(AuditEvent.action)).scalars())
    assert items == {
        (ItemType.HIT, hit_id),
        (ItemType.SEIZURE, records["seizure"]),
        (ItemType.PERSON, records["person"]),
        (ItemType.COMPANY, records["company"]),
    }
    assert "investigation.opened" in actions
    shown = client.get(opened.location)
    assert f"/targeting/hits/{hit_id}" in shown.text  # the hit item links to the hit
    _switch(client, assignee)
    home = client.get("/home")
    assert case.reference in home.text
    _switch(client, outsider)  # restricted: another investigator does not see it
    assert case.reference not in client.get("/home").text
    assert client.get(f"/investigations/{case.id}").status_code == 404


def test_add_a_hit_to_an_investigation_and_a_hidden_hit_is_not_revealed(
    client: FlaskClient, db: Session
) -> None:
    analyst = make_user(db, Role.ANALYST)
    hit_id, _ = _hit_with_records(db, analyst)
    from ncen.investigations.services import open_case

    with tx(db):
        case = open_case(db, Actor.of(analyst), title="Running case")
    sign_in(client, analyst)
    added = post_form(
        client, f"/targeting/hits/{hit_id}/add-to-investigation", {"case_id": str(case.id)}
    )
    assert added.status_code == 302
    again = post_form(
        client, f"/targeting/hits/{hit_id}/add-to-investigation", {"case_id": str(case.id)},
        follow_redirects=True,
    )  # fmt: skip
    assert "0 records added" in again.text
    with tx(db):
        count = db.execute(
            select(func.count()).where(InvestigationItem.investigation_id == case.id)
        ).scalar_one()
    assert count == 4
    # An investigator who was not assigned the hit cannot open a case from it: 404, as missing.
    other = make_user(db, Role.INVESTIGATOR)
    _switch(client, other)
    response = client.post(
        f"/targeting/hits/{hit_id}/investigation",
        data={"title": "Fishing", "csrf_token": _token(client)},
    )
    assert response.status_code == 404
    bad = client.post(
        f"/targeting/hits/{hit_id}/add-to-investigation",
        data={"case_id": "not-a-uuid", "csrf_token": _token(client)},
    )
    assert bad.status_code == 404  # the hit is checked first: never revealed
    # Nor through the generic case forms, by the hit's id: it counts as missing.
    with tx(db):
        from ncen.investigations.items import add_items

        own = open_case(db, Actor.of(other), title="Mine")
        for attempt in (
            lambda: open_case(db, Actor.of(other), title="x", items=[("hit", hit_id)]),
            lambda: add_items(db, Actor.of(other), own.id, [("hit", hit_id)]),
        ):
            with pytest.raises(ValidationError, match="does not exist"):
                attempt()


def _token(client: FlaskClient) -> str:
    import re

    page = client.get("/home")
    found = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert found is not None
    return found.group(1)


def _foreign(db: Session, **changes: object) -> uuid.UUID:
    row = ForeignProfile(
        id=uuid.uuid4(), origin_node="de-ncen", origin_profile_id=uuid.uuid4(), origin_version=3,
        name="Zoll: cigarettes", purpose="From the German node", expression=TOBACCO, lane="high",
        score=65, handling_code="H1", bundle_id=uuid.uuid4(), received_at=utcnow(),
    )  # fmt: skip
    for key, value in changes.items():
        setattr(row, key, value)
    with tx(db):
        db.add(row)
    return row.id


def test_an_analyst_reads_and_adopts_a_foreign_profile(client: FlaskClient, db: Session) -> None:
    analyst = make_user(db, Role.ANALYST)
    foreign_id = _foreign(db)
    sign_in(client, analyst)
    listing = client.get("/targeting/foreign")
    assert "Zoll: cigarettes" in listing.text
    page = client.get(f"/targeting/foreign/{foreign_id}")
    assert "de-ncen" in page.text
    assert "v3" in page.text
    adopted = post_form(client, f"/targeting/foreign/{foreign_id}/adopt", {"name": ""})
    assert adopted.status_code == 302
    with tx(db):
        profile = db.execute(
            select(RiskProfile).where(RiskProfile.name == "Zoll: cigarettes (de-ncen)")
        ).scalar_one()
        assert profile.status.value == "draft"
        assert profile.owner_id == analyst.id
        provenance = str(profile.id)
    shown = client.get(f"/targeting/{provenance}")
    assert "Adopted from de-ncen" in shown.text
    twice = post_form(client, f"/targeting/foreign/{foreign_id}/adopt", {"name": "Other"})
    assert twice.status_code == 400
    assert "adopted already" in twice.text
    assert client.get(f"/targeting/foreign/{uuid.uuid4()}").status_code == 404
    assert client.get("/targeting/foreign/not-a-uuid").status_code == 404


def test_the_officer_sends_a_profile_and_the_policy_refuses_with_reasons(
    make_app: Callable[..., Flask], tmp_path: Path, db: Session
) -> None:
    NodeKeys.of_instance(tmp_path, passphrase=None).init("xx-test", now=NOW, allow_plain=True)
    client = make_app().test_client()
    _peer(db, "de-ncen", codes="H0,H1")
    analyst = make_user(db, Role.ANALYST)
    officer = make_user(db, Role.EXCHANGE_OFFICER)
    good = _active_profile(db, analyst, "Cigarettes to share")
    with tx(db):
        from ncen.targeting.lookup import add_entries, create_list

        plates = create_list(db, Actor.of(analyst), name="watched", kind="plate")
        add_entries(db, Actor.of(analyst), plates.id, "KZ123AB")
    plates_rule = 'conveyance.plate in lookup("watched") && commodity_group == "tobacco"'
    listed = _active_profile(db, analyst, "Plates", plates_rule)
    sign_in(client, officer)
    form = {"legal_basis": "Naples II", "purpose": "risk warning", "peers": "de-ncen"}
    wrong_code = post_form(
        client, "/exchange/profiles", {**form, "profile_id": str(good), "handling_code": "H2"}
    )
    assert wrong_code.status_code == 400
    assert "agreement does not cover H2" in wrong_code.text
    lists = post_form(
        client, "/exchange/profiles", {**form, "profile_id": str(listed), "handling_code": "H1"}
    )
    assert lists.status_code == 400
    assert "lookup lists" in lists.text
    junk = {**form, "profile_id": "x", "handling_code": "H9"}
    assert post_form(client, "/exchange/profiles", junk).status_code == 400
    sent = post_form(
        client, "/exchange/profiles", {**form, "profile_id": str(good), "handling_code": "H1"}
    )
    assert sent.status_code == 302
    with tx(db):
        shares = db.execute(select(ProfileShare.peer_node_id, ProfileShare.handling_code)).all()
        deliveries = db.execute(select(func.count()).select_from(Delivery)).scalar_one()
        flush_events(db)
        actions = set(db.execute(select(AuditEvent.action)).scalars())
        db.add(
            ProfileFeedback(
                profile_id=good, peer_node_id="de-ncen", version_number=1, hits=7, confirmed=4,
                dismissed=2, reported_at=utcnow(), bundle_id=uuid.uuid4(),
            )
        )  # fmt: skip
    assert shares == [("de-ncen", "H1")]
    assert deliveries == 1
    assert "exchange.profile.send" in actions
    _switch(client, analyst)
    stats = client.get(f"/targeting/{good}")
    assert 'id="profile-feedback"' in stats.text
    assert "de-ncen" in stats.text
    # The analyst cannot send; the officer cannot adopt.
    assert client.get("/exchange/profiles").status_code == 403
    _switch(client, officer)
    assert client.get("/targeting/foreign").status_code == 403


def test_sending_policy_h2_goes_back_to_its_originator_only_and_h3_needs_confirmation(
    db: Session,
) -> None:
    from exchange.services.profiles import adopt_profile, sending_violations
    from exchange.services.trust import get_peer

    _peer(db, "de-ncen")
    _peer(db, "it-ncen")
    analyst = make_user(db, Role.ANALYST)
    foreign_id = _foreign(db, handling_code="H2")
    national_id = _active_profile(db, analyst, "National H3")
    with tx(db):
        local = adopt_profile(db, Actor.of(analyst), foreign_id)
        de, it = get_peer(db, "de-ncen"), get_peer(db, "it-ncen")
        onward = sending_violations(db, local, [de, it], "H1", h3_confirmed=False)
        back = sending_violations(db, local, [de], "H1", h3_confirmed=False)
        national = db.get(RiskProfile, national_id)
        assert national is not None
        unconfirmed = sending_violations(db, national, [it], "H3", h3_confirmed=False)
        confirmed = sending_violations(db, national, [it], "H3", h3_confirmed=True)
        unknown = sending_violations(db, national, [it], "H7", h3_confirmed=True)
    assert onward == [
        "to it-ncen: adopted from an H2 profile of de-ncen, no onward transmission without "
        "the originator's consent"
    ]
    assert back == []
    assert unconfirmed == ["H3: confirm that the restrictions allow these recipients"]
    assert confirmed == []
    assert unknown == ["unknown handling code 'H7'"]

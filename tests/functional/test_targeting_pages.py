"""Targeting pages: the editor shows errors at their place and keeps the input, the form-based
editor writes text, a back-test shows its counts, activation, a hit with its explanation,
triage, lookup lists, and the review flag on the profile list."""

from __future__ import annotations

import re
from datetime import timedelta

from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from ncen.accounts.actor import Actor
from ncen.accounts.models import Role
from ncen.db import utcnow
from ncen.seizures.services import record_seizure
from ncen.targeting.models import Hit, RiskProfile
from tests.factories import seizure_data
from tests.functional.conftest import post_form, sign_in
from tests.web_support import make_user, tx

TOBACCO = 'commodity_group == "tobacco" && departure_country == "CN"'


def _profile_id(db: Session, name: str) -> str:
    with tx(db):
        return str(db.execute(select(RiskProfile.id).where(RiskProfile.name == name)).scalar_one())


def test_editor_errors_point_at_the_place_and_keep_the_input(
    client: FlaskClient, db: Session
) -> None:
    analyst = make_user(db, Role.ANALYST)
    sign_in(client, analyst)
    text = 'commodity_group == "tobacco" &&\n  persn.age < 3'
    response = post_form(
        client, "/targeting/new", {"name": "Typo", "expression": text, "action": "save"}
    )
    assert response.status_code == 400
    assert "line 2, column 3: unknown field “persn.age”" in response.text
    assert "persn.age &lt; 3" in response.text  # the text is kept
    bidi = post_form(
        client,
        "/targeting/new",
        {"name": "B", "expression": 'office == "X"\u202e', "action": "test"},
    )
    assert bidi.status_code == 400
    assert "U+202E" in bidi.text


def test_form_builder_backtest_save_activate_and_triage(client: FlaskClient, db: Session) -> None:
    analyst = make_user(db, Role.ANALYST)
    investigator = make_user(db, Role.INVESTIGATOR)
    with tx(db):
        record_seizure(db, Actor.of(investigator), seizure_data())
    sign_in(client, analyst)
    built = post_form(
        client,
        "/targeting/new",
        {"commodity_group": "tobacco", "departure_country": "CN", "quantity_min": "100",
         "action": "build"},
    )  # fmt: skip
    assert built.status_code == 200
    assert "commodity_group == &#34;tobacco&#34;" in built.text
    assert "quantity &gt;= 100" in built.text
    tested = post_form(
        client, "/targeting/new", {"name": "Tobacco from China", "expression": TOBACCO,
                                   "action": "test"},
    )  # fmt: skip
    assert tested.status_code == 200
    assert 'id="bt-hits">1<' in tested.text or re.search(r'id="bt-hits">\d', tested.text)
    assert "A sample of hits" in tested.text
    saved = post_form(
        client, "/targeting/new",
        {"name": "Tobacco from China", "expression": TOBACCO, "action": "save", "lane": "high",
         "score": "90"},
    )  # fmt: skip
    assert saved.status_code == 302
    profile_id = _profile_id(db, "Tobacco from China")
    page = client.get(f"/targeting/{profile_id}")
    version = re.search(r'name="version" value="(\d+)"', page.text)
    assert version is not None
    # Every seizure in this database is tobacco from China: activation asks for confirmation.
    refused = post_form(
        client, f"/targeting/{profile_id}/status", {"status": "active", "version": version[1]}
    )
    assert refused.status_code == 400
    assert "every seizure" in refused.text or "confirm" in refused.text
    with tx(db):
        record_seizure(db, Actor.of(investigator), seizure_data(departure_country="TR"))
    activated = post_form(
        client,
        f"/targeting/{profile_id}/status",
        {"status": "active", "version": version[1], "confirm": "1"},
    )
    assert activated.status_code == 302
    with tx(db):
        seizure = record_seizure(db, Actor.of(investigator), seizure_data())
        hit_id = db.execute(select(Hit.id).where(Hit.seizure_id == seizure.id)).scalar_one()
    queue = client.get("/targeting/hits?sort=date")
    assert seizure.reference in queue.text
    shown = client.get(f"/targeting/hits/{hit_id}")
    assert "commodity_group == &#34;tobacco&#34;" in shown.text
    assert ">CN<" in shown.text
    refused_dismissal = post_form(
        client, f"/targeting/hits/{hit_id}/decide", {"decision": "dismissed"}
    )
    assert refused_dismissal.status_code == 400
    assert "say why" in refused_dismissal.text
    confirmed = post_form(client, f"/targeting/hits/{hit_id}/decide", {"decision": "confirmed"})
    assert confirmed.status_code == 302
    assigned = post_form(
        client, f"/targeting/hits/{hit_id}/assign", {"assignee": str(investigator.id)}
    )
    assert assigned.status_code == 302
    stats = client.get(f"/targeting/{profile_id}")
    assert "100%" in stats.text  # one confirmed, none dismissed
    # The investigator sees the hit assigned to them, and no profile pages.
    post_form(client, "/auth/sign-out", {})
    sign_in(client, investigator)
    assert seizure.reference in client.get("/targeting/hits").text
    assert client.get("/targeting").status_code == 403


def test_compare_versions_and_lookup_lists(client: FlaskClient, db: Session) -> None:
    analyst = make_user(db, Role.ANALYST)
    sign_in(client, analyst)
    made = post_form(client, "/targeting/lists", {"name": "boxes", "kind": "container"})
    assert made.status_code == 302
    list_url = made.location
    added = post_form(client, list_url, {"values": "csqu 305438-3, MSCU1234565"})
    assert added.status_code == 302
    assert "CSQU3054383" in client.get(list_url).text
    bad = post_form(client, list_url, {"values": "\u202e"})
    assert bad.status_code == 400
    post_form(client, "/targeting/new", {"name": "Boxes", "expression": TOBACCO, "action": "save"})
    profile_id = _profile_id(db, "Boxes")
    edit = client.get(f"/targeting/{profile_id}/edit")
    version = re.search(r'name="version" value="(\d+)"', edit.text)
    assert version is not None
    second = TOBACCO + '\n&& conveyance.container in lookup("boxes")'
    saved = post_form(
        client,
        f"/targeting/{profile_id}/edit",
        {"name": "Boxes", "expression": second, "action": "save", "version": version[1]},
    )
    assert saved.status_code == 302
    compared = client.get(f"/targeting/{profile_id}/compare?a=1&b=2")
    assert compared.status_code == 200
    assert "diff-added" in compared.text
    assert client.get(f"/targeting/{profile_id}/compare?a=1&b=9").status_code == 404
    assert client.get(f"/targeting/{profile_id}/backtest?version=2").status_code == 200


def test_review_due_is_flagged_on_the_list(client: FlaskClient, db: Session) -> None:
    analyst = make_user(db, Role.ANALYST)
    sign_in(client, analyst)
    yesterday = (utcnow().date() - timedelta(days=1)).isoformat()
    post_form(
        client,
        "/targeting/new",
        {"name": "Old", "expression": TOBACCO, "action": "save", "review_on": yesterday},
    )
    assert "review due" in client.get("/targeting").text


def test_home_page_shows_new_hits_and_reviews_due(client: FlaskClient, db: Session) -> None:
    analyst = make_user(db, Role.ANALYST)
    investigator = make_user(db, Role.INVESTIGATOR)
    sign_in(client, analyst)
    yesterday = (utcnow().date() - timedelta(days=1)).isoformat()
    post_form(
        client,
        "/targeting/new",
        {"name": "Due", "expression": TOBACCO, "action": "save", "review_on": yesterday},
    )
    with tx(db):
        profile = db.execute(select(RiskProfile).where(RiskProfile.name == "Due")).scalar_one()
        from ncen.targeting.models import ProfileStatus

        profile.status = ProfileStatus.ACTIVE
        profile.updated_at = utcnow()
    with tx(db):
        record_seizure(db, Actor.of(investigator), seizure_data())
    home = client.get("/home")
    assert 'id="desk-profile-reviews"' in home.text
    assert "1 new risk profile hit" in home.text


def test_bad_input_gets_a_clear_answer_never_a_500(client: FlaskClient, db: Session) -> None:
    analyst = make_user(db, Role.ANALYST)
    sign_in(client, analyst)
    post_form(client, "/targeting/new", {"name": "Bad", "expression": TOBACCO, "action": "save"})
    profile_id = _profile_id(db, "Bad")
    for url, status in (
        ("/targeting/hits?profile=not-a-uuid", 400),
        ("/targeting/hits?status=bogus", 400),
        ("/targeting/hits?sort=%00", 400),
        (f"/targeting/{profile_id}/compare?a=x", 400),
        (f"/targeting/{profile_id}/compare?a=1&b=7", 404),
        (f"/targeting/{profile_id}/backtest?version=abc", 404),
        (f"/targeting/{profile_id}/backtest?start=2026-13-40", 400),
        ("/targeting/hits/00000000-0000-0000-0000-000000000000", 404),
        ("/targeting/lists/00000000-0000-0000-0000-000000000000", 404),
    ):
        assert client.get(url).status_code == status, url
    for data in (
        {"name": "N\x00", "expression": TOBACCO, "score": "99999999999999999999999"},
        {"name": "Huge", "expression": "quantity > 1e999999"},
        {"name": "Bidi", "expression": TOBACCO + "\u2066"},
        {"name": "Bytes", "expression": 'office == b"\\xff"'},
    ):
        response = post_form(client, "/targeting/new", {**data, "action": "save"})
        assert response.status_code == 400, data
    built = post_form(client, "/targeting/new", {"quantity_min": "1e999", "action": "build"})
    assert built.status_code == 400
    assert "enter a number" in built.text

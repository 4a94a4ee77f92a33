"""Complete read audit, "who looked up whom" (issue 12, item 5).

Every page that shows nominal data writes one audit event naming what was shown: the edit
forms, the merge-decisions ledger, the exchange officer's preview, and the search pages, which
record the query typed and the ids of the records on the page shown (one event per page). A
failed sign-in for an unknown user name stores a keyed hash of the name, never the name.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ncen.accounts.actor import Actor
from ncen.accounts.models import Role
from ncen.audit import AuditEvent
from ncen.merging.models import Decision
from ncen.merging.services import decide
from ncen.persons.services import create_person
from ncen.seizures.services import link_entity, record_seizure
from tests.factories import person_data, seizure_data
from tests.functional.conftest import post_form, sign_in
from tests.functional.test_exchange_pages import _peer, keyed_app  # noqa: F401 (fixture)
from tests.web_support import make_record, make_user, tx

KIND = {
    "persons": "person",
    "companies": "company",
    "conveyances": "conveyance",
    "seizures": "seizure",
}


def _last_id(db: Session) -> int:
    with tx(db):
        return int(db.execute(select(func.coalesce(func.max(AuditEvent.id), 0))).scalar_one())


def _events_since(db: Session, last: int) -> list[AuditEvent]:
    with tx(db):
        return list(
            db.execute(select(AuditEvent).where(AuditEvent.id > last).order_by(AuditEvent.id))
            .scalars()
            .all()
        )


@pytest.mark.parametrize("area", sorted(KIND))
def test_edit_page_is_audited_as_a_read(
    area: str, client: FlaskClient, db: Session, signed_in: Callable[..., Any]
) -> None:
    record = make_record(db, make_user(db, Role.INVESTIGATOR), KIND[area])
    user = signed_in(Role.SUPERVISOR)
    before = _last_id(db)
    assert client.get(f"/{area}/{record.id}/edit").status_code == 200
    reads = [e for e in _events_since(db, before) if e.actor_id == user.id]
    assert [(e.action, e.record_id, e.details.get("view")) for e in reads] == [
        (f"{KIND[area]}.read", str(record.id), "edit")
    ]


def test_merge_decisions_page_is_audited(
    client: FlaskClient, db: Session, signed_in: Callable[..., Any]
) -> None:
    author = make_user(db, Role.INVESTIGATOR)
    first = make_record(db, author, "person")
    second = make_record(db, author, "person")
    with tx(db):
        decide(
            db,
            Actor.system("test"),
            "person",
            first.id,
            second.id,
            decision=Decision.NOT_SAME,
            score=0.9,
            evidence={"note": "different fathers"},
        )
    user = signed_in(Role.ANALYST)
    before = _last_id(db)
    page = client.get("/duplicates/decisions")
    assert page.status_code == 200
    assert "Алиев" in page.text  # the ledger shows names
    (event,) = [e for e in _events_since(db, before) if e.actor_id == user.id]
    assert event.action == "merge.list"
    assert event.details["view"] == "decisions"
    assert {str(first.id), str(second.id)} <= set(event.details["shown"])


def test_exchange_preview_is_audited(
    keyed_app: Flask,  # noqa: F811 (the fixture imported above)
    db: Session,
) -> None:
    client = keyed_app.test_client()
    _peer(db, "de-ncen", nominal=True)
    with tx(db):
        actor = Actor.system("test")
        seizure = record_seizure(db, actor, seizure_data(office_code=None))
        person = create_person(db, actor, person_data())
        link_entity(
            db,
            actor,
            seizure.id,
            seizure.version,
            kind="person",
            target_id=person.id,
            role="courier",
        )
        reference = seizure.reference
    officer = make_user(db, Role.EXCHANGE_OFFICER)
    assert sign_in(client, officer).status_code == 302
    before = _last_id(db)
    preview = post_form(
        client,
        "/exchange/send",
        {
            "references": reference,
            "legal_basis": "Naples II, art. 9",
            "purpose": "joint investigation",
            "action": "preview",
            "to": "de-ncen",
        },
    )
    assert preview.status_code == 200
    assert "Алиев" in preview.text  # the record sets shown hold the person
    reads = [e for e in _events_since(db, before) if e.actor_id == officer.id]
    assert [e.action for e in reads] == ["seizure.list"]
    assert reads[0].details["view"] == "exchange_preview"
    assert reads[0].details["references"] == [reference]
    assert reads[0].details["recipients"] == ["de-ncen"]
    assert reads[0].details["shown"] == {"seizure": [str(seizure.id)], "person": [str(person.id)]}


@pytest.fixture
def person(db: Session) -> Any:
    return make_record(db, make_user(db, Role.INVESTIGATOR), "person")


def test_one_box_writes_one_event_with_the_query_and_the_records_shown(
    client: FlaskClient, db: Session, signed_in: Callable[..., Any], person: Any
) -> None:
    user = signed_in(Role.ANALYST)
    before = _last_id(db)
    page = client.get("/search?q=Mukhammad+Aliev")
    assert page.status_code == 200
    assert f"/persons/{person.id}" in page.text
    events = [e for e in _events_since(db, before) if e.actor_id == user.id]
    assert [e.action for e in events] == ["search.box"]
    details = events[0].details
    assert details["query"] == {"q": "Mukhammad Aliev"}
    assert details["shown"]["person"] == [str(person.id)]


@pytest.mark.parametrize(
    ("url", "action", "kind"),
    [
        ("/search/persons?q=Mukhammad+Aliev&birth_year_from=1980", "search.persons", "person"),
        ("/search/seizures?q=cigarettes", "search.seizures", "seizure"),
    ],
)
def test_advanced_search_records_query_and_page_shown(  # noqa: PLR0917 (pytest passes fixtures)
    url: str,
    action: str,
    kind: str,
    client: FlaskClient,
    db: Session,
    signed_in: Callable[..., Any],
    person: Any,
) -> None:
    seizure = make_record(
        db, make_user(db, Role.INVESTIGATOR), "seizure", narrative="Cigarettes behind tiles."
    )
    expected = str(person.id) if kind == "person" else str(seizure.id)
    user = signed_in(Role.ANALYST)
    before = _last_id(db)
    assert client.get(url).status_code == 200
    events = [e for e in _events_since(db, before) if e.actor_id == user.id]
    assert [e.action for e in events] == [action]
    details = events[0].details
    assert details["query"]["q"] in {"Mukhammad Aliev", "cigarettes"}
    assert details["shown"] == {kind: [expected]}
    assert details["page"] == 1


def test_unknown_user_name_is_stored_as_a_keyed_hash(app: Flask, db: Session) -> None:
    client = app.test_client()
    typed = "Tr0ub4dor&3-my-password"
    before = _last_id(db)
    response = post_form(client, "/auth/sign-in", {"username": typed, "password": "whatever"})
    assert response.status_code == 200
    (event,) = _events_since(db, before)
    assert event.action == "auth.sign_in_failed"
    stored = json.dumps(event.details, ensure_ascii=False).lower()
    assert typed.lower() not in stored
    key = app.config["SECRET_KEY"].encode()
    message = b"ncen sign-in name\x00" + typed.lower().encode()
    digest = hmac.new(key, message, hashlib.sha256).hexdigest()[:32]
    assert event.details["username_hash"] == digest
    # A known user's name is no secret: it stays readable.
    known = make_user(db, Role.ANALYST)
    before = _last_id(db)
    post_form(client, "/auth/sign-in", {"username": known.username, "password": "wrong one"})
    (event,) = _events_since(db, before)
    assert event.details["username"] == known.username

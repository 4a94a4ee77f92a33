"""The home page as a desk (issue 9): each role's panels show that user's waiting items and
nobody else's, never deleted records, link to a full list that starts with the same items, and
say so when empty. Nominal panels are audited, one read event per panel.
"""

from __future__ import annotations

import html
import re
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from exchange.models import SentBundle
from exchange.netmodels import (
    Delivery,
    DeliveryState,
    Direction,
    InboxEntry,
    InboxOutcome,
    InformationRequest,
    RequestState,
)
from ncen.accounts.actor import Actor
from ncen.accounts.models import Role, User
from ncen.audit import AuditEvent
from ncen.persons.services import update_person
from ncen.search.saved import run_saved_search, save_search
from ncen.seizures.models import Seizure
from ncen.seizures.services import (
    delete_seizure,
    return_seizure,
    submit_seizure,
    validate_seizure,
)
from ncen.watch.models import WatchKind
from ncen.watch.services import add_watch, mark_read
from tests.factories import person_data
from tests.functional.conftest import sign_in
from tests.functional.test_exchange_pages import _peer
from tests.web_support import make_record, make_user, tx

REFERENCE = re.compile(r">(SZ-\d{4}-\d+)<")
NOW = datetime.now(UTC)


def panel(page: str, key: str) -> str:
    """The HTML of the desk panel ``key`` (fails if it is not on the page)."""
    match = re.search(rf'<section[^>]*id="desk-{key}".*?</section>', page, re.S)
    assert match, f"no panel {key}"
    return match.group(0)


def references(fragment: str) -> list[str]:
    return REFERENCE.findall(fragment)


def full_list(fragment: str) -> str:
    match = re.search(r'class="desk-full-list" href="([^"]+)"', fragment)
    assert match
    return html.unescape(match.group(1))


def seizure(db: Session, author: User, days_ago: int = 2, **fields: Any) -> Seizure:
    when = (NOW - timedelta(days=days_ago)).isoformat()
    return make_record(db, author, "seizure", occurred_at=when, **fields)  # type: ignore[no-any-return]


def submit(db: Session, author: User, record: Seizure) -> Seizure:
    with tx(db):
        return submit_seizure(db, Actor.of(author), record.id, record.version)


def signed_in_as(client: FlaskClient, user: User) -> None:
    assert sign_in(client, user).status_code == 302


def _desk_reads(db: Session, user: User) -> list[AuditEvent]:
    with tx(db):
        return [
            e
            for e in db.execute(
                select(AuditEvent).where(AuditEvent.actor_id == user.id).order_by(AuditEvent.id)
            )
            .scalars()
            .all()
            if e.details.get("view") == "desk"
        ]


def test_investigator_desk(client: FlaskClient, db: Session) -> None:
    me = make_user(db, Role.INVESTIGATOR)
    other = make_user(db, Role.INVESTIGATOR)
    boss = make_user(db, Role.SUPERVISOR)
    draft = seizure(db, me)
    others_draft = seizure(db, other)
    others_returned = submit(db, other, seizure(db, other))
    waiting = submit(db, me, seizure(db, me))
    returned = submit(db, me, seizure(db, me))
    gone = seizure(db, me)
    with tx(db):
        return_seizure(db, Actor.of(boss), returned.id, returned.version)
        return_seizure(db, Actor.of(boss), others_returned.id, others_returned.version)
        delete_seizure(db, Actor.of(boss), gone.id, gone.version)
    signed_in_as(client, me)

    page = client.get("/home")
    assert page.status_code == 200
    drafts, sent_back, recent = (panel(page.text, k) for k in ("drafts", "returned", "recent"))
    # Last changed first: the returned draft was changed last.
    assert references(drafts) == [returned.reference, draft.reference]
    assert references(sent_back) == [returned.reference]
    assert f"Sent back by {boss.username}" in sent_back
    assert references(recent) == [returned.reference, waiting.reference, draft.reference]
    text = page.text
    for hidden in (others_draft, others_returned, gone):
        assert hidden.reference not in text
    assert 'id="desk-awaiting"' not in text  # not a supervisor
    assert 'id="desk-empty"' not in text

    for fragment in (drafts, sent_back, recent):
        listed = client.get(full_list(fragment))
        assert listed.status_code == 200
        shown = references(listed.text)
        assert shown[: len(references(fragment))] == references(fragment)
        assert others_draft.reference not in shown
        assert gone.reference not in shown
    # Resubmitting a returned draft takes it off the "returned" panel.
    submit(db, me, returned)
    assert references(panel(client.get("/home").text, "returned")) == []

    reads = _desk_reads(db, me)
    assert [(e.action, e.details["panel"]) for e in reads[:3]] == [
        ("seizure.list", "drafts"),
        ("seizure.list", "returned"),
        ("seizure.list", "recent"),
    ]
    assert reads[0].details["shown"] == [str(returned.id), str(draft.id)]


def test_supervisor_desk_lists_submitted_national_seizures_oldest_first(
    client: FlaskClient, db: Session
) -> None:
    first, second = make_user(db, Role.INVESTIGATOR), make_user(db, Role.INVESTIGATOR)
    boss = make_user(db, Role.SUPERVISOR)
    old = submit(db, first, seizure(db, first, days_ago=30))
    new = submit(db, second, seizure(db, second, days_ago=3))
    middle = submit(db, second, seizure(db, second, days_ago=10))
    draft = seizure(db, first, days_ago=40)
    done = submit(db, first, seizure(db, first, days_ago=50))
    gone = submit(db, first, seizure(db, first, days_ago=60))
    with tx(db):
        validate_seizure(db, Actor.of(boss), done.id, done.version)
        delete_seizure(db, Actor.of(boss), gone.id, gone.version)
    signed_in_as(client, boss)

    page = client.get("/home").text
    awaiting = panel(page, "awaiting")
    assert references(awaiting) == [old.reference, middle.reference, new.reference]
    for hidden in (draft, done, gone):
        assert hidden.reference not in page
    assert 'id="desk-drafts"' not in page  # the investigator's panels are not a supervisor's
    listed = references(client.get(full_list(awaiting)).text)
    assert listed == [old.reference, middle.reference, new.reference]
    # Then the casework panels every role that works on cases has (issue 10).
    assert [e.details["panel"] for e in _desk_reads(db, boss)] == ["awaiting", "cases", "tasks"]


def test_analyst_desk_shows_new_alerts_and_saved_search_results(
    client: FlaskClient, db: Session
) -> None:
    analyst = make_user(db, Role.ANALYST)
    rival = make_user(db, Role.ANALYST)
    author = make_user(db, Role.INVESTIGATOR)
    boss = make_user(db, Role.SUPERVISOR)
    watched = make_record(db, author, "person")
    doomed = seizure(db, author, narrative="Zebrawood crates with a false floor.")
    found = seizure(db, author, days_ago=1, narrative="Zebrawood logs, hollowed out.")
    old_find = seizure(db, author, days_ago=20, narrative="Zebrawood veneer sheets.")
    seizure(db, author, narrative="Nothing to see.")
    with tx(db):
        for who in (analyst, rival):
            add_watch(
                db, Actor.of(who), WatchKind.RECORD, record_type="person", record_id=watched.id
            )
        add_watch(
            db, Actor.of(analyst), WatchKind.RECORD, record_type="seizure", record_id=doomed.id
        )
        update_person(
            db, Actor.of(author), watched.id, expected_version=1, data=person_data(birth_year=1981)
        )
    with tx(db):
        doomed = db.get(Seizure, doomed.id)  # type: ignore[assignment]
        submit_seizure(db, Actor.of(author), doomed.id, doomed.version)  # an alert on doomed
    with tx(db):
        saved = save_search(
            db, Actor.of(analyst), name="Zebrawood", kind="seizures", params={"q": "zebrawood"}
        )
        run_saved_search(db, Actor.of(analyst), saved.id)
        save_search(db, Actor.of(rival), name="Rival", kind="seizures", params={"q": "nothing"})
    with tx(db):
        doomed = db.get(Seizure, doomed.id)  # type: ignore[assignment]
        delete_seizure(db, Actor.of(boss), doomed.id, doomed.version)
    signed_in_as(client, analyst)

    page = client.get("/home").text
    alerts = panel(page, "alerts")
    assert alerts.count('class="list-group-item desk-item"') == 1  # the deleted seizure's: hidden
    assert f"/persons/{watched.id}" in alerts
    assert f"/seizures/{doomed.id}" not in page
    listed = client.get(full_list(alerts)).text
    assert f"/persons/{watched.id}" in listed
    assert f"/seizures/{doomed.id}" not in listed

    results = panel(page, "saved")
    assert references(results) == [found.reference, old_find.reference]  # newest first
    assert doomed.reference not in results
    assert "Rival" not in results
    assert full_list(results) == "/search/saved"
    search = re.search(r'href="([^"]+)" class="desk-search"', results)
    assert search
    assert found.reference in client.get(html.unescape(search.group(1))).text

    with tx(db):
        mark_read(db, Actor.of(analyst))
    page = client.get("/home").text
    assert "No new alerts." in panel(page, "alerts")
    assert [e.details["panel"] for e in _desk_reads(db, analyst)][:2] == [
        "alerts",
        "saved_searches",
    ]


def test_exchange_officer_desk(client: FlaskClient, db: Session) -> None:
    officer = make_user(db, Role.EXCHANGE_OFFICER)
    _peer(db)
    bundles = [uuid.uuid4() for _ in range(4)]
    with tx(db):
        for bundle_id in bundles:
            db.add(
                SentBundle(
                    bundle_id=bundle_id, created=NOW, expires=NOW + timedelta(days=7),
                    recipients=[], handling_codes=["H0"], header_sha256="0" * 64, sealed_by="x",
                )
            )  # fmt: skip
        db.flush()
        states = (
            (DeliveryState.REJECTED, None),
            (DeliveryState.QUEUED, "ConnectionRefusedError: peer down"),
            (DeliveryState.QUEUED, None),
            (DeliveryState.ACCEPTED, None),
        )
        for number, (bundle_id, (state, error)) in enumerate(zip(bundles, states, strict=True)):
            db.add(
                Delivery(
                    id=uuid.uuid4(), bundle_id=bundle_id, peer_node_id="de-ncen",
                    sequence=number + 1, state=state, size=10, sha256="0" * 64,
                    expires=NOW + timedelta(days=7),
                    attempts=1, last_error=error, created_at=NOW - timedelta(minutes=number),
                )
            )  # fmt: skip
        received = uuid.uuid4()
        db.add(
            InboxEntry(
                id=uuid.uuid4(), bundle_id=received, sender_node_id="de-ncen", sequence=1,
                received_at=NOW, size=10, sha256="0" * 64, channel="push",
                outcome=InboxOutcome.ACCEPTED,
            )
        )  # fmt: skip
        for subject, state in (
            ("Who owns truck KZ 123", RequestState.OPEN),
            ("Old", RequestState.ANSWERED),
        ):
            db.add(
                InformationRequest(
                    id=uuid.uuid4(), direction=Direction.RECEIVED, peer_node_id="de-ncen",
                    subject=subject, question="?", legal_basis="MAA", state=state,
                    created_by="de-ncen",
                )
            )  # fmt: skip
    signed_in_as(client, officer)

    page = client.get("/home").text
    inbox, failures, rfis = (panel(page, k) for k in ("inbox", "failures", "rfis"))
    assert str(received)[:12] in inbox
    shown = [str(b)[:12] for b in bundles if str(b)[:12] in failures]
    assert shown == [str(bundles[0])[:12], str(bundles[1])[:12]]  # refused, failing retries
    assert "peer down" in failures
    assert "Who owns truck KZ 123" in rfis
    assert "<strong>Old</strong>" not in rfis
    for fragment, expected in ((inbox, [str(received)[:12]]), (failures, shown)):
        listed = client.get(full_list(fragment))
        assert listed.status_code == 200
        assert all(item in listed.text for item in expected)
    assert str(bundles[3])[:12] not in client.get(full_list(failures)).text
    open_list = client.get(full_list(rfis)).text
    assert "Who owns truck KZ 123" in open_list
    assert "<strong>Old</strong>" not in open_list
    assert "<strong>Old</strong>" in client.get("/exchange/rfis").text
    assert _desk_reads(db, officer) == []  # no nominal panel


def test_an_empty_desk_says_so(client: FlaskClient, db: Session) -> None:
    newcomer = make_user(db, Role.INVESTIGATOR, Role.ANALYST)
    signed_in_as(client, newcomer)
    page = client.get("/home").text
    assert 'id="desk-empty"' in page
    assert "Nothing waits for you now." in page
    for key, message in (
        ("drafts", "You have no drafts."),
        ("returned", "No seizure of yours was sent back."),
        ("recent", "You have not recorded any seizure yet."),
        ("alerts", "No new alerts."),
        ("saved", "Your saved seizure searches have found nothing yet"),
        ("cases", "You are on no open investigation."),
        ("tasks", "No task waits for you."),
    ):
        assert message in panel(page, key)  # both roles' panels


def test_oversight_roles_keep_their_links_and_read_nothing(
    client: FlaskClient, db: Session
) -> None:
    admin = make_user(db, Role.ADMINISTRATOR)
    make_record(db, make_user(db, Role.INVESTIGATOR), "seizure")
    signed_in_as(client, admin)
    page = client.get("/home").text
    assert 'id="desk"' not in page
    assert 'id="desk-empty"' not in page
    assert 'href="/admin/users"' in page
    assert _desk_reads(db, admin) == []


def test_list_filters_of_the_desk_refuse_nothing_odd(
    client: FlaskClient, db: Session, signed_in: Callable[..., User]
) -> None:
    signed_in(Role.SUPERVISOR)
    for query in ("mine=%00", "returned=zzz&mine=", "returned=1&status=validated"):
        assert client.get(f"/seizures?{query}").status_code == 200
    assert client.get("/exchange/rfis?state=%00").status_code == 403  # not an exchange officer

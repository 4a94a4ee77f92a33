"""The exchange area in the test client: the peer endpoint's limits and signed rejections, and
the exchange officer pages (preview refuses what the policy refuses; sending queues a bundle)."""

from __future__ import annotations

import io
import sys
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from exchange.crypto.bundle import Recipient, seal_bundle
from exchange.crypto.canonical import parse_canonical
from exchange.crypto.keydir import NodeKeys
from exchange.crypto.keys import generate_identity
from exchange.crypto.keysets import publish_keyset
from exchange.netmodels import (
    Delivery,
    DeliveryState,
    DistributionLevel,
    InboxEntry,
)
from exchange.network.outbox import set_distribution
from exchange.network.protocol import make_pull_request
from exchange.network.receiving import receive_bundle
from exchange.records.export import export_seizures
from exchange.records.recordschema import RECORDS_SCHEMA
from exchange.services.trust import Agreement, add_peer
from ncen.accounts.actor import Actor
from ncen.accounts.models import Role
from ncen.audit import AuditEvent
from ncen.persons.services import create_person
from ncen.pictures.store import PictureStore
from ncen.seizures.models import Seizure
from ncen.seizures.services import (
    link_entity,
    record_seizure,
    submit_seizure,
    validate_seizure,
)
from ncen.settings import Settings
from tests.factories import person_data, seizure_data
from tests.functional.conftest import post_form, sign_in
from tests.web_support import make_user, tx

# The tests' clock, set per test: signed pull requests must be fresh when the server checks them,
# however long after collection the test runs.
NOW = datetime.now(UTC).replace(microsecond=0)


@pytest.fixture(autouse=True)
def _clock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys.modules[__name__], "NOW", datetime.now(UTC).replace(microsecond=0))


@pytest.fixture
def keyed_app(make_app: Callable[..., Flask], tmp_path: Path) -> Flask:
    """An app whose node (xx-test) has exchange keys."""
    NodeKeys.of_instance(tmp_path, passphrase=None).init("xx-test", now=NOW, allow_plain=True)
    return make_app()


def _peer(
    db: Session, node_id: str = "de-ncen", *, nominal: bool = True, codes: str = "H0,H1,H2,H3"
) -> None:
    identity = generate_identity(
        node_id, not_before=NOW - timedelta(days=1), not_after=NOW + timedelta(days=30)
    )
    with tx(db):
        add_peer(
            db,
            Actor.system("test"),
            node_id=node_id,
            country="DE",
            endpoint="http://127.0.0.1:9/exchange",
            keyset=publish_keyset(identity, signer=identity.signing, serial=1, issued=NOW),
            agreement=Agreement(nominal, frozenset(codes.split(","))),
            own_node_id="xx-test",
        )
    return identity  # type: ignore[return-value]


def test_endpoint_keeps_nothing_and_signs_nothing_for_garbage(
    keyed_app: Flask, db: Session, caplog: pytest.LogCaptureFixture
) -> None:
    client = keyed_app.test_client()
    for junk in (b"not a bundle" * 10, b"NCENBNDL\x00\x01\x07zz-ncen" + bytes(200)):
        response = client.post(
            "/exchange/v1/bundles", data=junk, content_type="application/vnd.ncen.bundle"
        )
        assert response.status_code in {400, 403}
        assert b"signature" not in response.data  # no signed receipt
    with tx(db):
        assert db.execute(select(InboxEntry)).first() is None
    refusals = [r for r in caplog.records if "unverifiable input" in r.getMessage()]
    assert [
        ("[format]" in r.getMessage(), "[unknown-sender]" in r.getMessage()) for r in refusals
    ] == [
        (True, False),
        (False, True),
    ]


def test_endpoint_limits_bodies(keyed_app: Flask, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NCEN_EXCHANGE_MAX_BUNDLE_MB", "1")
    client = keyed_app.test_client()
    big = client.post("/exchange/v1/bundles", data=b"x" * (1024 * 1024 + 1))
    assert big.status_code == 413
    assert client.post("/exchange/v1/bundles", data=b"").status_code in {400, 411}
    assert client.post("/exchange/v1/pull", data=b"{}").status_code == 400
    assert client.post("/exchange/v1/pull", data=b"x" * (65 * 1024)).status_code == 413


def test_pull_refuses_an_unknown_node(keyed_app: Flask, db: Session) -> None:
    stranger = generate_identity(
        "zz-ncen", not_before=NOW - timedelta(days=1), not_after=NOW + timedelta(days=3)
    )
    request = make_pull_request(
        stranger.signing, node_id="zz-ncen", peer_node_id="xx-test", want="list", now=NOW
    )
    response = keyed_app.test_client().post("/exchange/v1/pull", data=request.to_bytes())
    assert response.status_code == 403


def test_pull_lists_what_is_queued_for_a_registered_peer(keyed_app: Flask, db: Session) -> None:
    peer = _peer(db)
    request = make_pull_request(
        peer.signing, node_id="de-ncen", peer_node_id="xx-test", want="list", now=NOW
    )  # type: ignore[attr-defined]
    client = keyed_app.test_client()
    response = client.post("/exchange/v1/pull", data=request.to_bytes())
    assert response.status_code == 200
    assert parse_canonical(response.data) == {"bundles": [], "receipts": []}
    again = client.post("/exchange/v1/pull", data=request.to_bytes())
    assert again.status_code == 403  # the same nonce twice


def test_a_pull_request_replayed_to_another_worker_is_refused(
    keyed_app: Flask, make_app: Callable[..., Flask], db: Session
) -> None:
    """Under gunicorn each worker process has its own app: the nonces of pull requests must be
    shared (PostgreSQL), or a replay sent to another worker would be answered."""
    peer = _peer(db)
    request = make_pull_request(
        peer.signing, node_id="de-ncen", peer_node_id="xx-test", want="list", now=NOW
    )  # type: ignore[attr-defined]
    first = keyed_app.test_client().post("/exchange/v1/pull", data=request.to_bytes())
    assert first.status_code == 200
    other_worker = make_app()
    replay = other_worker.test_client().post("/exchange/v1/pull", data=request.to_bytes())
    assert replay.status_code == 403


def _sendable_case(db: Session, **data: object) -> str:
    """A validated seizure marked for all peers, with a linked person; returns its reference."""
    with tx(db):
        actor = Actor.system("test")
        seizure = record_seizure(db, actor, seizure_data(office_code=None, **data))
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
        submit_seizure(db, actor, seizure.id, seizure.version)
        validate_seizure(db, actor, seizure.id, seizure.version)
        set_distribution(db, actor, seizure.reference, DistributionLevel.ALL_PEERS)
        return seizure.reference


def test_h3_is_sent_only_with_the_officers_confirmation_for_each_recipient(
    keyed_app: Flask, db: Session
) -> None:
    client: FlaskClient = keyed_app.test_client()
    _peer(db, "de-ncen")
    _peer(db, "it-ncen")
    reference = _sendable_case(
        db, handling_code="H3", handling_restrictions="Only for the JIT ALPHA prosecutors"
    )
    officer = make_user(db, Role.EXCHANGE_OFFICER)
    assert sign_in(client, officer).status_code == 302
    form = {
        "references": reference,
        "legal_basis": "Naples II, art. 9",
        "purpose": "joint investigation",
        "to": ["de-ncen", "it-ncen"],
    }
    preview = post_form(client, "/exchange/send", {**form, "action": "preview"})
    assert preview.status_code == 200
    # One confirmation per recipient, showing the restrictions to be confirmed.
    assert 'name="confirm_h3" value="de-ncen"' in preview.text
    assert 'name="confirm_h3" value="it-ncen"' in preview.text
    assert "Only for the JIT ALPHA prosecutors" in preview.text

    unconfirmed = post_form(client, "/exchange/send", {**form, "action": "send"})
    assert unconfirmed.status_code == 400
    assert "confirmation" in unconfirmed.text
    half = post_form(client, "/exchange/send", {**form, "action": "send", "confirm_h3": "de-ncen"})
    assert half.status_code == 400
    assert "to it-ncen: H3 records" in half.text
    assert 'value="de-ncen" id="h3-de-ncen" checked' in half.text  # the input is kept
    with tx(db):
        assert db.execute(select(Delivery)).scalars().all() == []

    sent = post_form(
        client,
        "/exchange/send",
        {**form, "action": "send", "confirm_h3": ["de-ncen", "it-ncen"]},
    )
    assert sent.status_code == 302
    with tx(db):
        peers = sorted(d.peer_node_id for d in db.execute(select(Delivery)).scalars())
        confirmations = (
            db.execute(select(AuditEvent).where(AuditEvent.action == "exchange.h3_confirmation"))
            .scalars()
            .all()
        )
    assert peers == ["de-ncen", "it-ncen"]
    assert sorted(c.details["peer"] for c in confirmations) == ["de-ncen", "it-ncen"]
    assert {c.actor_name for c in confirmations} == {officer.username}
    assert {c.details["legal_basis"] for c in confirmations} == {"Naples II, art. 9"}


def test_officer_previews_then_sends_and_the_policy_refuses_nominal_data(
    keyed_app: Flask, db: Session, signed_in: Callable[..., object]
) -> None:
    client: FlaskClient = keyed_app.test_client()
    _peer(db, "de-ncen", nominal=True)
    _peer(db, "it-ncen", nominal=False)
    reference = _sendable_case(db)
    officer = make_user(db, Role.EXCHANGE_OFFICER)
    assert sign_in(client, officer).status_code == 302
    assert "de-ncen" in client.get("/exchange/").text
    form = {
        "references": reference,
        "legal_basis": "Naples II, art. 9",
        "purpose": "joint investigation",
        "action": "preview",
    }
    preview = post_form(client, "/exchange/send", {**form, "to": "de-ncen"})
    assert preview.status_code == 200
    assert "Who will receive what" in preview.text
    assert "allowed" in preview.text
    assert "Seal and send" in preview.text

    refused = post_form(client, "/exchange/send", {**form, "to": "it-ncen"})
    assert "agreement does not cover nominal data (persons)" in refused.text
    assert "Seal and send" not in refused.text
    forced = post_form(client, "/exchange/send", {**form, "to": "it-ncen", "action": "send"})
    assert forced.status_code == 400
    assert "sharing policy refuses" in forced.text

    missing = post_form(
        client, "/exchange/send", {"references": reference, "to": "de-ncen", "action": "preview"}
    )
    assert missing.status_code == 400
    assert "State the legal basis of this exchange." in missing.text
    assert reference in missing.text  # input kept

    sent = post_form(client, "/exchange/send", {**form, "to": "de-ncen", "action": "send"})
    assert sent.status_code == 302
    page = client.get(sent.location)
    assert "queued" in page.text
    assert "Naples II, art. 9" in page.text
    with tx(db):
        delivery = db.execute(select(Delivery)).scalar_one()
    assert delivery.state is DeliveryState.QUEUED
    assert delivery.peer_node_id == "de-ncen"
    assert client.get("/exchange/outbox").status_code == 200
    assert client.get("/exchange/peers/de-ncen").status_code == 200
    for path in ("/exchange/inbox", "/exchange/updates", "/exchange/rfis", "/exchange/hit-checks",
                 "/exchange/cen-export", "/exchange/keys"):  # fmt: skip
        assert client.get(path).status_code == 200, path


def test_a_bundle_opened_from_a_file_is_in_the_inbox_page(
    keyed_app: Flask, db: Session, tmp_path: Path
) -> None:
    """What `ncen exchange open` does with a file (`receive_bundle`), then the officer's inbox:
    the bundle's id, its sender and the channel "file"."""
    peer = _peer(db, "de-ncen")
    # de-ncen's records: a case of this database exported under de-ncen's name (its foreign
    # copies are keyed by origin node and id, so they are new records here).
    reference = _sendable_case(db)
    store = PictureStore(tmp_path / "pictures")
    with tx(db):
        exported = export_seizures(db, store, [reference], own_node_id="de-ncen")
    own = NodeKeys.of_instance(tmp_path, passphrase=None).load("xx-test")
    sink = io.BytesIO()
    header = seal_bundle(
        sink,
        sender=peer,  # type: ignore[arg-type]
        recipients=[Recipient("xx-test", own.current_encryption_key.public, 1)],
        record_sets=exported.record_sets,
        attachments=exported.attachments,
        handling_codes=exported.handling_codes,
        records_schema=RECORDS_SCHEMA,
        created=NOW,
        expires=NOW + timedelta(days=7),
    )
    work = tmp_path / "work"
    work.mkdir()
    with tx(db):
        receive_bundle(
            db,
            Actor.system("exchange-cli"),
            io.BytesIO(sink.getvalue()),
            identity=own,
            store=store,
            upload_limits=Settings(),
            work_dir=work,
            now=NOW + timedelta(minutes=1),
        )
    with tx(db):
        assert db.execute(select(Seizure).where(Seizure.origin_node == "de-ncen")).scalar_one()

    client: FlaskClient = keyed_app.test_client()
    assert sign_in(client, make_user(db, Role.EXCHANGE_OFFICER)).status_code == 302
    page = client.get("/exchange/inbox")
    assert page.status_code == 200
    bundle_id = str(header.bundle_id)
    [row] = [row for row in page.text.split("<tr>") if bundle_id in row]
    assert f'href="/exchange/inbox/{bundle_id}"' in row
    assert "<td>de-ncen</td>" in row
    assert "<td>file</td>" in row
    assert "accepted" in row

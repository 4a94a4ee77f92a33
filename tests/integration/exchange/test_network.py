"""Three real nodes on loopback, each a separate ``ncen serve --with-worker`` process with its own
database, instance folder and keys: delivery under SIGKILL of either side, refused keys, H2
never forwarded (sender and receiver checks), retractions, hit checks and RFIs."""

from __future__ import annotations

import shutil
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest
from served_nodes import ServedNode, wait_for
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from exchange.crypto.bundle import Recipient, RecordSet, seal_bundle
from exchange.crypto.canonical import canonical_json
from exchange.crypto.keydir import NodeKeys
from exchange.models import ReceivedBundle
from exchange.netmodels import (
    Delivery,
    DeliveryState,
    HitCheck,
    HitResult,
    InboxEntry,
    InboxOutcome,
    InformationRequest,
    RequestState,
    Tombstone,
)
from exchange.network.ledger import peer_ledger, reconcile
from exchange.network.protocol import MESSAGE_SET, new_message, parse_receipt
from exchange.network.transport import HttpTransport
from exchange.records.export import export_seizures
from exchange.records.recordschema import RECORDS_SCHEMA
from exchange.services.trust import encryption_key_for, get_peer
from ncen.persons.models import Person
from ncen.pictures.store import PictureStore
from ncen.seizures.models import Seizure
from ncen.settings import Settings

pytestmark = pytest.mark.slow
LEGAL = ("--legal-basis", "Naples II, art. 9", "--purpose", "joint investigation")


@pytest.fixture
def keyfolder(tmp_path: Path) -> Path:
    folder = tmp_path / "public-keys"
    folder.mkdir()
    return folder


@pytest.fixture
def network(make_served: Callable[..., ServedNode], keyfolder: Path) -> SimpleNamespace:
    """fr, de and it, each pinning the two others."""
    fr, de, it = (
        make_served("fr-ncen", "FR"),
        make_served("de-ncen", "DE"),
        make_served("it-ncen", "IT"),
    )
    for a in (fr, de, it):
        for b in (fr, de, it):
            if a is not b:
                a.register(b, keyfolder)
    return SimpleNamespace(fr=fr, de=de, it=it)


def send(node: ServedNode, to: str, *references: str) -> str:
    args = [a for r in references for a in ("--seizure", r)]
    out = node.ok("exchange", "send", "--to", to, *args, *LEGAL)
    return out.split()[2]


def test_sigkill_of_receiver_then_sender_imports_every_bundle_exactly_once(network):
    fr, de = network.fr, network.de
    # Enough bundles that the receiver is killed in the middle of them: imports got faster
    # (one audit lock per transaction), and with 8, then 16, they could all be through before
    # the kill.
    references = [fr.record_case(seed=i) for i in range(32)]
    bundles = [send(fr, "de-ncen", reference) for reference in references]
    de.start()
    fr.start()
    wait_for(lambda: fr.deliveries(DeliveryState.ACCEPTED) >= 1, 60, "first deliveries")
    de.kill()  # in the middle of the deliveries
    assert fr.deliveries(DeliveryState.ACCEPTED) < len(bundles)
    de.start()
    wait_for(
        lambda: fr.deliveries(DeliveryState.ACCEPTED) > len(bundles) // 2,
        90,
        "deliveries after restart",
    )
    fr.kill()
    extra = [send(fr, "de-ncen", fr.record_case(seed=100 + i)) for i in range(2)]
    fr.start()
    total = len(bundles) + len(extra)
    wait_for(lambda: fr.deliveries(DeliveryState.ACCEPTED) == total, 90, "every delivery")

    assert de.count(Seizure, foreign=True) == total
    assert de.count(Person, foreign=True) == total
    imported = de.accepted_inbox()
    assert sorted(imported) == sorted(set(imported))
    assert len(imported) == total
    with Session(de.engine) as session:
        assert (
            session.execute(select(func.count()).select_from(ReceivedBundle)).scalar_one() == total
        )
    with Session(fr.engine) as ours, Session(de.engine) as theirs:
        sent = peer_ledger(ours, "de-ncen")
        received = peer_ledger(theirs, "fr-ncen")
    assert reconcile(sent.acknowledged, received.imported).agree
    assert {str(b) for b in sent.acknowledged} == set(bundles + extra)
    assert "audit trail verified" in de.ok("audit", "verify")


def test_wrong_and_revoked_keys_are_refused(network, keyfolder):
    fr, de = network.fr, network.de
    reference = fr.record_case()
    # fr seals a bundle with its current key, then rotates and revokes that key before delivery.
    send(fr, "de-ncen", reference)
    fr.ok("keys", "rotate")
    keys = NodeKeys.of_instance(fr.instance, passphrase=None)
    statements = keys.keyset_statements()
    from exchange.crypto.keysets import parse_keyset

    first = parse_keyset(statements[0]).signing_key.key_id
    fr.ok("keys", "revoke", first, "--reason", "compromised")
    rotation = fr.instance / "keys" / "keyset-0002.json"
    revocation = fr.instance / "keys" / f"revocation-{first}.json"
    de.ok("peers", "update-keys", "fr-ncen", rotation)
    de.ok("peers", "update-keys", "fr-ncen", revocation)
    de.start()
    fr.start()
    # A revoked key proves nothing about who signed: de keeps nothing and signs no receipt
    # (issue 12, item 8); fr's delivery stays queued and its ledger shows why.
    wait_for(lambda: "HTTP 403" in _last_errors(fr), 60, "revoked-key refusal")
    wait_for(lambda: "[revoked-key]" in de.log(), 10, "refusal logged")
    assert fr.deliveries(DeliveryState.QUEUED) == 1
    assert de.count(Seizure, foreign=True) == 0
    assert _inbox_rows(de) == 0

    # it re-creates its keys: de still pins the old ones, so it's bundles are refused.
    it = network.it
    shutil.rmtree(it.instance / "keys")
    it.ok("keys", "init", "--unencrypted")
    it.start()
    send(it, "de-ncen", it.record_case())
    wait_for(lambda: "HTTP 403" in _last_errors(it), 60, "wrong-key refusal")
    wait_for(lambda: "[unknown-sender]" in de.log(), 10, "refusal logged")
    assert it.deliveries(DeliveryState.QUEUED) == 1
    assert de.count(Seizure, foreign=True) == 0
    assert _inbox_rows(de) == 0


def _last_errors(node: ServedNode) -> str:
    with Session(node.engine) as session:
        errors = session.execute(select(Delivery.last_error)).scalars().all()
    return " | ".join(error or "" for error in errors)


def _inbox_rows(node: ServedNode) -> int:
    with Session(node.engine) as session:
        return int(session.execute(select(func.count()).select_from(InboxEntry)).scalar_one())


def test_h2_received_from_fr_never_reaches_it(network):
    fr, de, it = network.fr, network.de, network.it
    reference = fr.record_case(handling="H2")
    send(fr, "de-ncen", reference)
    for node in (fr, de, it):
        node.start()
    wait_for(lambda: de.count(Seizure, foreign=True) == 1, 60, "H2 case at de")
    with Session(de.engine) as session:
        received = session.execute(
            select(Seizure.reference).where(Seizure.origin_node.is_not(None))
        ).scalar_one()

    # The sender's check: de refuses to seal it for it.
    refused = de.run("exchange", "send", "--to", "it-ncen", "--seizure", received, *LEGAL)
    assert refused.exit_code == 1
    assert "[policy]" in refused.output
    assert "H2" in refused.output

    # The receiver's check: a de that skips its own policy still gets a signed rejection from it.
    identity = NodeKeys.of_instance(de.instance, passphrase=None).load("de-ncen")
    now = datetime.now(UTC).replace(microsecond=0)
    with Session(de.engine) as session:
        store = PictureStore(Settings(instance_path=de.instance).picture_path)
        exported = export_seizures(session, store, [received], own_node_id="de-ncen")
        peer = get_peer(session, "it-ncen")
        key = encryption_key_for(peer, now)
    message = new_message("records", legal_basis="x", purpose="y", body={"distribution": {}})
    path = de.instance / "forged.ncb"
    with path.open("wb") as sink:
        seal_bundle(
            sink,
            sender=identity,
            recipients=[Recipient("it-ncen", key, 900)],
            record_sets=[*exported.record_sets, RecordSet(MESSAGE_SET, canonical_json(message))],
            attachments=exported.attachments,
            handling_codes=exported.handling_codes,
            records_schema=RECORDS_SCHEMA,
            created=now,
            expires=now + timedelta(days=1),
        )
    signed = HttpTransport().post_bundle(it.endpoint, path)
    receipt = parse_receipt(signed)
    assert receipt.outcome == "rejected"
    assert receipt.reason == "refused by the receiver's sharing policy"
    assert it.count(Seizure, foreign=True) == 0
    with Session(it.engine) as session:
        entry = session.execute(select(InboxEntry)).scalar_one()
    assert entry.outcome is InboxOutcome.REJECTED
    assert entry.code == "policy"
    assert "H2" in (entry.detail or "")


def test_retraction_propagates_and_leaves_a_tombstone(network):
    fr, de, it = network.fr, network.de, network.it
    reference = fr.record_case()
    for node in (fr, de, it):
        node.start()
    out = fr.ok(
        "exchange", "send", "--to", "de-ncen", "--to", "it-ncen", "--seizure", reference, *LEGAL
    )
    assert "queued bundle" in out
    wait_for(
        lambda: de.count(Seizure, foreign=True) == 1 and it.count(Seizure, foreign=True) == 1,
        60,
        "case at both",
    )
    from exchange.network.node import load_node
    from exchange.services.retractions import queue_retraction
    from ncen.accounts.actor import Actor

    node = load_node(Settings(instance_path=fr.instance, node_id="fr-ncen", node_country="FR"), {})
    with Session(fr.engine) as session, session.begin():
        queue_retraction(
            session,
            Actor.system("test"),
            node,
            references=[reference],
            reason="recorded in error",
            legal_basis="Naples II",
            now=datetime.now(UTC).replace(microsecond=0),
        )
    for receiver in (de, it):
        wait_for(lambda r=receiver: _tombstones(r) == 4, 60, f"retraction at {receiver.node_id}")
        with Session(receiver.engine) as session:
            seizure = session.execute(
                select(Seizure).where(Seizure.origin_node == "fr-ncen")
            ).scalar_one()
            person = session.execute(
                select(Person).where(Person.origin_node == "fr-ncen")
            ).scalar_one()
            assert seizure.deleted_at is not None
            assert seizure.narrative is None
            assert person.deleted_at is not None
            assert person.names == []
            assert person.documents == []
            tomb = session.execute(
                select(Tombstone).where(Tombstone.record_type == "seizures")
            ).scalar_one()
            assert tomb.reason == "recorded in error"
            assert tomb.label == seizure.reference
        assert "audit trail verified" in receiver.ok("audit", "verify")


def _tombstones(node: ServedNode) -> int:
    with Session(node.engine) as session:
        return int(session.execute(select(func.count()).select_from(Tombstone)).scalar_one())


def test_hit_check_answers_hit_and_an_rfi_gets_its_reply(network):
    fr, de = network.fr, network.de
    fr.record_case()  # fr holds the person's passport "N 1234-5678" and a container
    for node in (fr, de):
        node.start()
    from exchange.network.node import load_node
    from exchange.services.hitcheck import ask_hit_check
    from exchange.services.rfi import reply_rfi, send_rfi
    from ncen.accounts.actor import Actor

    now = datetime.now(UTC).replace(microsecond=0)
    node = load_node(Settings(instance_path=de.instance, node_id="de-ncen", node_country="DE"), {})
    with Session(de.engine) as session, session.begin():
        hit = ask_hit_check(
            session,
            Actor.system("t"),
            node,
            peer_node_id="fr-ncen",
            kind="document",
            value="n1234 5678",
            country=None,
            legal_basis="Naples II",
            now=now,
        )
        miss = ask_hit_check(
            session,
            Actor.system("t"),
            node,
            peer_node_id="fr-ncen",
            kind="document",
            value="X9999999",
            country=None,
            legal_basis="Naples II",
            now=now,
        )
        hit_id, miss_id = hit.id, miss.id
        request = send_rfi(
            session,
            Actor.system("t"),
            node,
            peer_node_id="fr-ncen",
            subject=f"hit check {hit_id}",
            question="Who holds this passport?",
            legal_basis="Naples II",
            now=now,
        )
        rfi_id = request.id

    def results() -> tuple[HitResult, HitResult]:
        with Session(de.engine) as session:
            return session.get(HitCheck, hit_id).result, session.get(HitCheck, miss_id).result

    wait_for(lambda: HitResult.PENDING not in results(), 60, "hit check answers")
    assert results() == (HitResult.HIT, HitResult.NO_HIT)
    wait_for(lambda: _rfi(fr, rfi_id) is not None, 60, "RFI at fr")
    fr_node = load_node(
        Settings(instance_path=fr.instance, node_id="fr-ncen", node_country="FR"), {}
    )
    with Session(fr.engine) as session, session.begin():
        reply_rfi(
            session, Actor.system("t"), fr_node, rfi_id=rfi_id, reply="See our case file.", now=now
        )
    wait_for(lambda: (_rfi(de, rfi_id) or (None,))[0] is RequestState.ANSWERED, 60, "RFI reply")
    assert _rfi(de, rfi_id) == (RequestState.ANSWERED, "See our case file.")
    with Session(fr.engine) as session:
        answered = session.execute(select(HitCheck).where(HitCheck.id == hit_id)).scalar_one()
        assert answered.result is HitResult.HIT
        assert answered.kind == "document"


def _rfi(node: ServedNode, rfi_id: uuid.UUID) -> tuple[RequestState, str | None] | None:
    with Session(node.engine) as session:
        row = session.get(InformationRequest, rfi_id)
        return None if row is None else (row.state, row.reply)


def test_pull_serves_a_node_without_endpoint(make_served, keyfolder):
    """de has no reachable endpoint (NAT): fr queues for it, de pulls and posts its receipt."""
    fr, de = make_served("fr-ncen", "FR"), make_served("de-ncen", "DE")
    fr.ok(
        "peers",
        "add",
        "--node-id",
        "de-ncen",
        "--country",
        "DE",
        "--keyset",
        de.export_keys(keyfolder),
        "--nominal",
        "--yes",
    )
    de.register(fr, keyfolder)
    de.extra_env["NCEN_EXCHANGE_PULL_PEERS"] = "fr-ncen"
    send(fr, "de-ncen", fr.record_case())
    fr.start()
    de.start()
    wait_for(lambda: fr.deliveries(DeliveryState.ACCEPTED) == 1, 60, "pulled delivery")
    assert de.count(Seizure, foreign=True) == 1
    assert len(de.accepted_inbox()) == 1

"""Attacks on the peer endpoints (issue 12, items 8 to 10), against real nodes on loopback.

Each node is a separate ``ncen serve`` process with its own database, instance folder and keys
(`served_nodes.ServedNode`). The attacker is this test: it speaks raw HTTP to the endpoints.

- junk (garbage, or a genuine preamble with a forged signature) writes nothing: no inbox row,
  no audit event, no receipt;
- a ``Content-Length`` beyond the server's body limit is refused before the body is read;
- requests beyond a source's rate are refused with 429 before anything is read;
- a rejection receipt signed by the real peer key, but for other bytes than those sent, does
  not cancel the delivery, and ``/v1/receipts`` answers alike whether a delivery is queued;
- hit checks backdated by a peer count on the receiver's clock, so the daily limit holds.
"""

from __future__ import annotations

import base64
import hashlib
import http.client
import json
import secrets
import shutil
import socket
import uuid
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest
from served_nodes import ServedNode, wait_for
from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from exchange.crypto.keydir import NodeKeys
from exchange.crypto.signing import SignedStatement
from exchange.netmodels import (
    Delivery,
    DeliveryState,
    Direction,
    HitCheck,
    HitResult,
    InboxEntry,
)
from exchange.network.node import load_node
from exchange.network.outbox import queue_message
from exchange.network.protocol import make_receipt, parse_receipt
from ncen.accounts.actor import Actor
from ncen.settings import Settings

pytestmark = pytest.mark.slow
LEGAL = ("--legal-basis", "Naples II, art. 9", "--purpose", "joint investigation")


@pytest.fixture
def nodes(make_served: Callable[..., ServedNode], tmp_path: Path) -> SimpleNamespace:
    """fr (sender) and de (receiver) pinning each other; it is a peer of fr that never runs."""
    folder = tmp_path / "public-keys"
    folder.mkdir()
    fr, de, it = (
        make_served("fr-ncen", "FR"),
        make_served("de-ncen", "DE"),
        make_served("it-ncen", "IT"),
    )
    fr.register(de, folder)
    fr.register(it, folder)
    de.register(fr, folder)
    return SimpleNamespace(fr=fr, de=de, it=it)


def _post(node: ServedNode, path: str, body: bytes, media_type: str) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", node.port, timeout=20)
    try:
        connection.request(
            "POST", f"/exchange{path}", body=body, headers={"Content-Type": media_type}
        )
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def _post_bundle(node: ServedNode, body: bytes) -> tuple[int, bytes]:
    return _post(node, "/v1/bundles", body, "application/vnd.ncen.bundle")


def _post_receipt(node: ServedNode, receipt: SignedStatement) -> tuple[int, bytes]:
    return _post(node, "/v1/receipts", receipt.to_bytes(), "application/json")


def _queued_bundle(fr: ServedNode, *to: str) -> tuple[uuid.UUID, Path]:
    args = [a for peer in to for a in ("--to", peer)]
    out = fr.ok("exchange", "send", *args, "--seizure", fr.record_case(), *LEGAL)
    bundle_id = uuid.UUID(out.split()[2])
    return bundle_id, fr.instance / "exchange" / "outbox" / f"{bundle_id}.ncb"


def _traces(node: ServedNode) -> tuple[int, int]:
    """(inbox rows, exchange audit events) of ``node``."""
    with Session(node.engine) as session:
        inbox = session.execute(select(func.count()).select_from(InboxEntry)).scalar_one()
        events = session.execute(
            text("SELECT count(*) FROM audit_events WHERE action LIKE 'exchange.%'")
        ).scalar_one()
    return int(inbox), int(events)


def _signature_offset(data: bytes) -> int:
    """Where the 64-byte header signature starts (docs/exchange-protocol.md section 7)."""
    n = data[10]
    header_length = int.from_bytes(data[43 + n : 47 + n], "big")
    position = 47 + n + header_length
    count = int.from_bytes(data[position : position + 2], "big")
    position += 2
    for _ in range(count):
        wrapped = int.from_bytes(data[position + 32 : position + 34], "big")
        position += 34 + wrapped
    return position


def test_junk_posts_write_no_row_no_event_and_get_no_receipt(nodes):
    fr, de = nodes.fr, nodes.de
    _, path = _queued_bundle(fr, "de-ncen")
    genuine = path.read_bytes()
    offset = _signature_offset(genuine)
    forged = bytearray(genuine)
    forged[offset : offset + 64] = bytes(64)  # a preamble of fr's with a forged signature
    de.start(worker=False)
    before = _traces(de)

    for junk in (b"hello, this is not a bundle", bytes(forged), genuine[:200]):
        status, body = _post_bundle(de, junk)
        assert status in {400, 403}, (status, body)
        assert b"signature" not in body  # no signed statement: no receipt
    assert _traces(de) == before
    assert "unverifiable" in de.log()  # counted and logged (sampled)


def test_a_content_length_beyond_the_limit_is_refused_before_the_body_is_read(nodes):
    """waitress buffers a whole body before the application sees it, so this holds only with
    the server's own limit: ``ncen serve`` passes `web.exchange.api.server_body_limit` as
    waitress's ``max_request_body_size`` (512 MiB + 1 by default)."""
    de = nodes.de
    de.start(worker=False)
    before = _traces(de)
    with socket.create_connection(("127.0.0.1", de.port), timeout=10) as client:
        client.sendall(
            b"POST /exchange/v1/bundles HTTP/1.1\r\nHost: de\r\n"
            b"Content-Type: application/vnd.ncen.bundle\r\n"
            + f"Content-Length: {600 * 1024 * 1024}\r\n\r\n".encode()
            + b"NCENBNDL"
            + bytes(4096)
        )
        answer = client.recv(4096)  # times out (the test fails) if the server waits for 600 MiB
    assert answer.startswith(b"HTTP/1.1 413"), answer[:100]
    assert _traces(de) == before


def test_a_source_beyond_its_rate_gets_429_and_nothing_is_written(nodes):
    de = nodes.de
    de.extra_env["NCEN_EXCHANGE_PEER_BURST"] = "5"
    de.extra_env["NCEN_EXCHANGE_PEER_RATE_PER_MINUTE"] = "1"
    de.server_args = ("--server", "waitress")  # one process: one bucket, exact counts
    de.start(worker=False)
    before = _traces(de)
    statuses = [_post_bundle(de, b"junk")[0] for _ in range(8)]
    assert statuses[:5] == [400] * 5
    assert statuses[5:] == [429] * 3
    assert _traces(de) == before


def test_a_rejection_receipt_for_other_bytes_does_not_cancel_the_delivery(nodes):
    fr, de = nodes.fr, nodes.de
    bundle_id, path = _queued_bundle(fr, "de-ncen", "it-ncen")
    tampered = bytearray(path.read_bytes())
    tampered[-1] ^= 0xFF  # the signed prefix is genuine, the last section is not
    de.start(worker=False)
    fr.start(worker=False)  # fr's endpoint runs; its deliveries wait

    # The attacker gets de to sign a rejection naming fr's bundle, for bytes fr never sent.
    status, body = _post_bundle(de, bytes(tampered))
    assert status == 200
    forged = SignedStatement.from_json(json.loads(body))
    receipt = parse_receipt(forged)
    assert (receipt.bundle_id, receipt.outcome) == (bundle_id, "rejected")
    assert receipt.received_sha256 != hashlib.sha256(path.read_bytes()).hexdigest()

    # ...and hands it to fr as if de had pulled the bundle: fr answers as for an unknown bundle.
    de_key = NodeKeys.of_instance(de.instance, passphrase=None).load().signing
    now = datetime.now(UTC).replace(microsecond=0)

    def receipt_for(bundle: uuid.UUID, receiver: str) -> SignedStatement:
        return make_receipt(
            de_key, receiver_node_id=receiver, bundle_id=bundle, received_sha256="0" * 64,
            received_size=1, outcome="rejected", reason="rejected", now=now,
        )  # fmt: skip

    assert _post_receipt(fr, forged) == _post_receipt(fr, receipt_for(uuid.uuid4(), "de-ncen"))
    with Session(fr.engine) as session:
        states = session.execute(
            select(Delivery.peer_node_id, Delivery.state).where(Delivery.bundle_id == bundle_id)
        ).all()
    assert sorted(states) == [("de-ncen", DeliveryState.QUEUED), ("it-ncen", DeliveryState.QUEUED)]

    # Whether a delivery to it-ncen is queued is not revealed to a receipt it did not sign.
    queued = _post_receipt(fr, receipt_for(bundle_id, "it-ncen"))
    unknown = _post_receipt(fr, receipt_for(uuid.uuid4(), "it-ncen"))
    assert queued == unknown
    assert fr.deliveries(DeliveryState.QUEUED) == 2


def test_backdated_hit_checks_beyond_the_daily_limit_are_refused(make_served, tmp_path):
    """de (a misbehaving peer) backdates each check by ten more days; fr allows 2 a day."""
    now = datetime.now(UTC).replace(microsecond=0)
    fr, de = make_served("fr-ncen", "FR"), make_served("de-ncen", "DE")
    for node in (fr, de):  # keys made 100 days ago, so backdated bundles are signed in validity
        shutil.rmtree(node.instance / "keys")
        NodeKeys.of_instance(node.instance, passphrase=None).init(
            node.node_id, now=now - timedelta(days=100), allow_plain=True
        )
    folder = tmp_path / "public-keys"
    folder.mkdir()
    fr.register(de, folder)
    de.register(fr, folder)
    fr.extra_env["NCEN_EXCHANGE_HIT_CHECKS_PER_DAY"] = "2"
    asker = load_node(Settings(instance_path=de.instance, node_id="de-ncen", node_country="DE"), {})
    key = base64.b64encode(secrets.token_bytes(32)).decode()
    for days_ago in (80, 70, 60, 50):
        with Session(de.engine) as session, session.begin():
            queue_message(
                session, Actor.system("attacker"), asker, recipients=["fr-ncen"],
                kind="hit-check",
                body={"check_id": str(uuid.uuid4()), "kind": "document",
                      "digest": secrets.token_hex(32), "key": key},
                legal_basis="Naples II", purpose="hit/no-hit check",
                now=now - timedelta(days=days_ago), lifetime=timedelta(days=89),
            )  # fmt: skip
    fr.start()
    de.start()
    wait_for(lambda: de.deliveries(DeliveryState.ACCEPTED) == 4, 60, "the four checks at fr")
    with Session(fr.engine) as session:
        results = Counter(
            session.execute(
                select(HitCheck.result).where(HitCheck.direction == Direction.RECEIVED)
            ).scalars()
        )
    assert results == {HitResult.NO_HIT: 2, HitResult.REFUSED: 2}


def test_the_rate_limit_holds_across_gunicorn_workers(nodes):
    """Found when the default server became gunicorn: each worker kept its own buckets, so a
    source spread over 4 workers got 4 times the node's burst. Each worker now takes its share."""
    de = nodes.de
    de.extra_env["NCEN_EXCHANGE_PEER_BURST"] = "8"
    de.extra_env["NCEN_EXCHANGE_PEER_RATE_PER_MINUTE"] = "1"
    de.server_args = ("--server", "gunicorn", "--workers", "4", "--threads", "1")
    de.start(worker=False)
    before = _traces(de)
    statuses = Counter(_post_bundle(de, b"junk")[0] for _ in range(40))
    assert set(statuses) <= {400, 429}
    assert statuses[400] <= 8  # the node's burst, however the requests were spread
    assert statuses[429] >= 32
    assert _traces(de) == before

"""The outbox with a simulated peer: order per peer under concurrent workers (SKIP LOCKED),
expiry, receipts that do not verify, and the messages' schema."""

from __future__ import annotations

import sys
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from exchange.crypto.keydir import NodeKeys
from exchange.crypto.signing import SignedStatement
from exchange.errors import PolicyError, SchemaError
from exchange.netmodels import Delivery, DeliveryState
from exchange.network.delivery import claim_next, deliver_next
from exchange.network.node import ExchangeConfig, NodeContext
from exchange.network.outbox import queue_records
from exchange.network.protocol import make_receipt, new_message, validate_message
from exchange.network.transport import PermanentTransportError, TransportError
from exchange.services.policy import DistributionRule
from ncen.accounts.actor import Actor
from ncen.settings import Settings

ACTOR = Actor.system("test")
# The tests' clock: a few minutes after the nodes' keys were made. Set per test (not at import:
# a long suite may create the keys minutes after this module was collected).
NOW = datetime.now(UTC)


@pytest.fixture(autouse=True)
def _clock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(
        sys.modules[__name__],
        "NOW",
        datetime.now(UTC).replace(microsecond=0) + timedelta(minutes=5),
    )


class SimulatedPeer:
    """A `Transport` that answers with the peer's own signed receipts (or fails on demand)."""

    def __init__(self, identity, fail: list[Exception] | None = None) -> None:
        self.identity = identity
        self.fail = fail or []
        self.received: list[str] = []
        self.lock = threading.Lock()

    def post_bundle(self, endpoint: str, bundle: Path) -> SignedStatement:
        import hashlib

        if self.fail:
            raise self.fail.pop(0)
        data = bundle.read_bytes()
        from exchange.crypto.bundle import inspect_bundle

        with bundle.open("rb") as handle:
            header = inspect_bundle(handle).header
        with self.lock:
            self.received.append(str(header.bundle_id))
        return make_receipt(
            self.identity.signing,
            receiver_node_id=self.identity.node_id,
            bundle_id=header.bundle_id,
            received_sha256=hashlib.sha256(data).hexdigest(),
            received_size=len(data),
            outcome="accepted",
            reason="imported",
            now=NOW,
        )

    def pull_list(self, endpoint, request):  # pragma: no cover - not used
        raise AssertionError("the outbox tests never pull")

    def pull_bundle(self, endpoint, request, sink, limit):  # pragma: no cover
        raise AssertionError("the outbox tests never pull")

    def post_receipt(self, endpoint, receipt):  # pragma: no cover
        raise AssertionError("the outbox tests never post receipts")


@pytest.fixture
def pair(trio):
    fr, de = trio.fr, trio.de
    settings = Settings(instance_path=fr.instance, node_id="fr-ncen", node_country="FR")
    identity = NodeKeys.of_instance(fr.instance, passphrase=b"correct horse battery staple").load()
    node = NodeContext(identity, settings, ExchangeConfig(retry_base_seconds=10))
    de_identity = NodeKeys.of_instance(de.instance, passphrase=None).load()
    return fr, node, de_identity


def _queue(fr, node, n: int) -> list[str]:
    ids = []
    for seed in range(n):
        reference = fr.record_case(seed=seed)
        with Session(fr.engine) as session, session.begin():
            queued = queue_records(
                session,
                ACTOR,
                node,
                recipients=["de-ncen"],
                references=[reference],
                legal_basis="Naples II",
                purpose="test",
                now=NOW,
            )
        ids.append(str(queued.bundle_id))
    return ids


def test_concurrent_workers_deliver_each_peer_in_sequence_order(pair):
    fr, node, de_identity = pair
    ids = _queue(fr, node, 6)
    peer = SimulatedPeer(de_identity)

    def work() -> None:
        while True:
            with Session(fr.engine) as session, session.begin():
                if deliver_next(session, node, peer, NOW + timedelta(seconds=1)) is None:
                    return

    workers = [threading.Thread(target=work) for _ in range(3)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert peer.received == ids  # sequence order, each exactly once
    with Session(fr.engine) as session:
        states = session.execute(select(Delivery.state)).scalars().all()
    assert states == [DeliveryState.ACCEPTED] * 6


def test_a_locked_head_blocks_the_peers_later_bundles(pair):
    fr, node, _ = pair
    _queue(fr, node, 2)
    with Session(fr.engine) as first, first.begin():
        head = claim_next(first, NOW + timedelta(seconds=1))
        assert head is not None
        assert head.sequence == 1
        with Session(fr.engine) as second, second.begin():
            assert claim_next(second, NOW + timedelta(seconds=1)) is None


def test_failures_back_off_then_succeed_and_permanent_ones_reject(pair):
    fr, node, de_identity = pair
    _queue(fr, node, 2)
    peer = SimulatedPeer(de_identity, [TransportError("refused"), TransportError("reset")])
    moment = NOW + timedelta(seconds=1)
    with Session(fr.engine) as session, session.begin():
        first = deliver_next(session, node, peer, moment)
        assert first is not None
        assert first.state is DeliveryState.QUEUED
        assert first.next_attempt_at == moment + timedelta(seconds=10)
    with Session(fr.engine) as session, session.begin():
        assert deliver_next(session, node, peer, moment + timedelta(seconds=5)) is None  # waiting
    with Session(fr.engine) as session, session.begin():
        second = deliver_next(session, node, peer, moment + timedelta(seconds=11))
        assert second is not None
        assert second.attempts == 2
        assert second.next_attempt_at == moment + timedelta(seconds=31)  # 20 s after attempt 2
    with Session(fr.engine) as session, session.begin():
        third = deliver_next(session, node, peer, moment + timedelta(seconds=40))
        assert third is not None
        assert third.state is DeliveryState.ACCEPTED
        assert third.receipt
    peer.fail = [PermanentTransportError("HTTP 413")]
    with Session(fr.engine) as session, session.begin():
        last = deliver_next(session, node, peer, moment + timedelta(seconds=41))
        assert last is not None
        assert last.state is DeliveryState.REJECTED
        assert last.reason == "transport-permanent"


def test_a_receipt_from_another_key_is_not_accepted_and_expiry_ends_retries(pair, trio):
    fr, node, _ = pair
    _queue(fr, node, 1)
    impostor = NodeKeys.of_instance(trio.it.instance, passphrase=None).load()
    peer = SimulatedPeer(impostor)
    with Session(fr.engine) as session, session.begin():
        delivery = deliver_next(session, node, peer, NOW + timedelta(seconds=1))
        assert delivery is not None
        assert delivery.state is DeliveryState.QUEUED
        assert "not pinned" in (delivery.last_error or "")
    with Session(fr.engine) as session, session.begin():
        expired = deliver_next(session, node, peer, NOW + timedelta(days=31))
        assert expired is not None
        assert expired.state is DeliveryState.EXPIRED


def test_distribution_national_only_and_named_peers(pair):
    fr, node, _ = pair
    reference = fr.record_case()
    from exchange.netmodels import DistributionLevel
    from exchange.network.outbox import set_distribution

    with Session(fr.engine) as session, session.begin():
        set_distribution(session, ACTOR, reference, DistributionLevel.NATIONAL_ONLY)
    with (
        Session(fr.engine) as session,
        session.begin(),
        pytest.raises(PolicyError, match="distribution"),
    ):
        queue_records(
            session,
            ACTOR,
            node,
            recipients=["de-ncen"],
            references=[reference],
            legal_basis="x",
            purpose="y",
            now=NOW,
        )
    with Session(fr.engine) as session, session.begin():
        set_distribution(session, ACTOR, reference, DistributionLevel.NAMED_PEERS, ["it-ncen"])
    with (
        Session(fr.engine) as session,
        session.begin(),
        pytest.raises(PolicyError, match="de-ncen"),
    ):
        queue_records(
            session,
            ACTOR,
            node,
            recipients=["de-ncen", "it-ncen"],
            references=[reference],
            legal_basis="x",
            purpose="y",
            now=NOW,
        )
    assert DistributionRule("named_peers", frozenset({"a"})).allows("a")
    assert not DistributionRule("national_only").allows("a")


def test_messages_are_validated_strictly():
    message = new_message(
        "rfi",
        legal_basis="b",
        purpose="p",
        body={"rfi_id": "0b7e3f0e-8d7c-4a52-9d0c-3f6f0a1b2c3d", "subject": "s", "question": "q"},
    )
    validate_message(message)
    with pytest.raises(SchemaError):
        validate_message({**message, "extra": 1})
    with pytest.raises(SchemaError):
        new_message("rfi", legal_basis=" ", purpose="p", body=message["body"])
    with pytest.raises(SchemaError):
        new_message("retraction", legal_basis="b", purpose="p", body={"records": [], "reason": "r"})
    with pytest.raises(SchemaError):
        new_message(
            "hit-check",
            legal_basis="b",
            purpose="p",
            body={
                "check_id": "0b7e3f0e-8d7c-4a52-9d0c-3f6f0a1b2c3d",
                "kind": "name",
                "digest": "ab",
                "key": None,
            },
        )


def test_backoff_doubles_and_is_capped():
    config = ExchangeConfig(retry_base_seconds=5, retry_max_seconds=60)
    assert [config.backoff(n).total_seconds() for n in (1, 2, 3, 4, 5)] == [5, 10, 20, 40, 60]


def test_hit_digests_meet_across_separators():
    from exchange.services.hitcheck import digest

    key = b"k" * 32
    assert digest(key, "document", "n 1234-5678") == digest(key, "document", "N12345678")
    assert digest(key, "plate", "AB 123", "de") != digest(key, "plate", "AB 123", "FR")
    assert digest(key, "vin", "X") != digest(b"j" * 32, "vin", "X")


class RejectsOtherBytes(SimulatedPeer):
    """A peer (or someone who got it to sign) answering a rejection for bytes never sent."""

    def post_bundle(self, endpoint: str, bundle: Path) -> SignedStatement:
        from exchange.crypto.bundle import inspect_bundle

        with bundle.open("rb") as handle:
            header = inspect_bundle(handle).header
        return make_receipt(
            self.identity.signing,
            receiver_node_id=self.identity.node_id,
            bundle_id=header.bundle_id,
            received_sha256="ab" * 32,
            received_size=5,
            outcome="rejected",
            reason="rejected",
            now=NOW,
        )


def test_a_rejection_for_other_bytes_is_ignored_and_the_delivery_retried(pair):
    fr, node, de_identity = pair
    _queue(fr, node, 1)
    with Session(fr.engine) as session, session.begin():
        delivery = deliver_next(session, node, RejectsOtherBytes(de_identity), NOW)
        assert delivery is not None
        assert delivery.state is DeliveryState.QUEUED
        assert "other bytes" in (delivery.last_error or "")
        assert delivery.receipt is None
    with Session(fr.engine) as session, session.begin():
        retried = deliver_next(session, node, SimulatedPeer(de_identity), NOW + timedelta(hours=1))
        assert retried is not None
        assert retried.state is DeliveryState.ACCEPTED

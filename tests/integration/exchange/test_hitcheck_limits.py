"""The hit/no-hit rate limit counts on the receiver's clock (issue 12, item 10).

A peer chooses the ``created`` time of its bundles and may backdate it by up to the maximum
lifetime (90 days). Counting the checks of the last 24 hours against that time gave a peer
about 90 times the daily limit. Two real nodes (own databases, own keys made 100 days ago so
that backdated bundles are signed within the keys' validity); the receiver imports through
`accept_bundle`, exactly what its endpoint calls.
"""

from __future__ import annotations

import base64
import secrets
import shutil
import uuid
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from exchange.crypto.keydir import NodeKeys
from exchange.netmodels import Direction, HitCheck, HitResult
from exchange.network.inbox import accept_bundle
from exchange.network.node import ExchangeConfig, NodeContext
from exchange.network.outbox import queue_message
from exchange.network.protocol import parse_receipt
from ncen.accounts.actor import Actor
from ncen.settings import Settings


def _backdate_keys(node, past: datetime) -> None:
    shutil.rmtree(node.instance / "keys")
    NodeKeys.of_instance(node.instance, passphrase=None).init(
        node.node_id, now=past, allow_plain=True
    )


def _context(node, config: ExchangeConfig) -> NodeContext:
    settings = Settings(
        instance_path=node.instance, node_id=node.node_id, node_country=node.country
    )
    identity = NodeKeys.of_instance(node.instance, passphrase=None).load()
    return NodeContext(identity, settings, config)


def test_backdated_hit_checks_beyond_the_daily_limit_are_refused(make_node, usb: Path):
    now = datetime.now(UTC).replace(microsecond=0)
    fr, de = make_node("fr-ncen", "FR"), make_node("de-ncen", "DE")
    for node in (fr, de):
        _backdate_keys(node, now - timedelta(days=100))
    fr.add_peer(de, usb)
    de.add_peer(fr, usb)
    asker = _context(de, ExchangeConfig())
    answerer = _context(fr, ExchangeConfig(hit_checks_per_day=2))
    key = base64.b64encode(secrets.token_bytes(32)).decode()

    # de sends four checks within a minute, each claiming to be made ten days after the last.
    bundles = []
    for days_ago in (80, 70, 60, 50):
        with Session(de.engine) as session, session.begin():
            queued = queue_message(
                session,
                Actor.system("attacker"),
                asker,
                recipients=["fr-ncen"],
                kind="hit-check",
                body={
                    "check_id": str(uuid.uuid4()),
                    "kind": "document",
                    "digest": secrets.token_hex(32),
                    "key": key,
                },
                legal_basis="Naples II",
                purpose="hit/no-hit check",
                now=now - timedelta(days=days_ago),
                lifetime=timedelta(days=89),
            )
        bundles.append(asker.bundle_path(queued.bundle_id))

    for path in bundles:
        receipt = accept_bundle(lambda: Session(fr.engine), answerer, path, channel="push", now=now)
        assert parse_receipt(receipt).accepted
    with Session(fr.engine) as session:
        checks = (
            session.execute(select(HitCheck).where(HitCheck.direction == Direction.RECEIVED))
            .scalars()
            .all()
        )
        results = Counter(check.result for check in checks)
        asked = {check.asked_at for check in checks}
    assert results == {HitResult.NO_HIT: 2, HitResult.REFUSED: 2}
    assert asked == {now}  # counted when they arrived, not when the peer says they were made

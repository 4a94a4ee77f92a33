"""The committed golden bundles (tests/assets/exchange) still open with the current code."""

from __future__ import annotations

import hashlib
import io
import json
from datetime import timedelta
from pathlib import Path

import pytest
from exchange_golden import ASSETS, CASES, CREATED, golden_identity, golden_records
from exchange_testkit import MemoryReplayGuard, MemoryTrust, accept_records

from exchange.crypto.bundle import inspect_bundle, open_bundle
from exchange.errors import NotARecipientError

EXPECTED = json.loads((ASSETS / "expected.json").read_text())


@pytest.mark.parametrize("file_name", sorted(CASES))
def test_golden_bundle_opens(file_name: str, tmp_path: Path) -> None:
    sender, recipient, kem = CASES[file_name]
    expected = EXPECTED[file_name]
    trust = MemoryTrust()
    trust.pin(sender, golden_identity(sender).signing)
    data = (ASSETS / file_name).read_bytes()
    inspected = inspect_bundle(io.BytesIO(data), trust=trust)
    assert str(inspected.header.bundle_id) == expected["bundle_id"]
    assert inspected.header.recipients[0].kem.value == kem
    opened = open_bundle(
        io.BytesIO(data),
        my_identity=golden_identity(recipient, kem),
        trust=trust,
        replay_guard=MemoryReplayGuard(),
        now=CREATED + timedelta(hours=1),
        attachment_dir=tmp_path,
        validate_records=accept_records,
    )
    assert opened.record_sets[0].data == golden_records()
    assert hashlib.sha256(opened.record_sets[0].data).hexdigest() == expected["records_sha256"]
    attachment = opened.attachments[0].read_bytes()
    assert hashlib.sha256(attachment).hexdigest() == expected["attachment_sha256"]


def test_golden_bundle_is_not_readable_by_a_third_node(tmp_path: Path) -> None:
    trust = MemoryTrust()
    trust.pin("fr", golden_identity("fr").signing)
    with pytest.raises(NotARecipientError):
        open_bundle(
            io.BytesIO((ASSETS / "golden-v1-x25519.ncb").read_bytes()),
            my_identity=golden_identity("it", "mlkem768-x25519"),
            trust=trust,
            replay_guard=MemoryReplayGuard(),
            now=CREATED + timedelta(hours=1),
            attachment_dir=tmp_path,
            validate_records=accept_records,
        )

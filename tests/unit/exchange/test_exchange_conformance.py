"""The conformance kit (tests/assets/exchange/conformance, docs/exchange-protocol.md section 18):
ncen's own opener gives every expected output and every expected error code, and the generator
reproduces the committed kit byte for byte."""

from __future__ import annotations

import base64
import hashlib
import io
import json
import shutil
import uuid
from pathlib import Path
from typing import Any

import exchange_conformance as kit
import pytest
from exchange_testkit import MemoryReplayGuard, MemoryTrust

from exchange.crypto.bundle import open_bundle
from exchange.crypto.canonical import parse_time
from exchange.crypto.interfaces import PeerTrust, PinnedSigningKey
from exchange.crypto.keys import (
    EncryptionKeyPair,
    KemAlgorithm,
    NodeIdentity,
    SigningKeyPair,
    SigningPublicKey,
)
from exchange.errors import ExchangeError
from exchange.network.protocol import validate_content

CASES = json.loads((kit.KIT / "cases.json").read_text())["cases"]
KEYS = json.loads(kit.KEYS_FILE.read_text())["nodes"]


def _identity(node_id: str) -> NodeIdentity:
    """The node's identity rebuilt from test-keys.json alone (what a foreign team would do)."""
    entry = KEYS[node_id]
    signing = entry["signing_key"]
    return NodeIdentity(
        node_id,
        SigningKeyPair(
            bytes.fromhex(signing["private_hex"]),
            parse_time(signing["not_before"]),
            parse_time(signing["not_after"]),
        ),
        tuple(
            EncryptionKeyPair(
                KemAlgorithm(key["algorithm"]),
                bytes.fromhex(key["private_hex"]),
                parse_time(key["not_before"]),
                parse_time(key["not_after"]),
            )
            for key in entry["encryption_keys"]
        ),
    )


def _trust(state: dict[str, Any]) -> MemoryTrust:
    trust = MemoryTrust()
    for node_id, entry in KEYS.items():
        if node_id in state.get("unpinned", []):
            continue
        signing = entry["signing_key"]
        key = SigningPublicKey.from_raw(base64.b64decode(signing["public_base64"]))
        not_before = parse_time(state.get("pinned_not_before", signing["not_before"]))
        pinned = PinnedSigningKey(key, not_before, parse_time(signing["not_after"]))
        revoked = frozenset(state.get("revoked", [])) & {key.key_id}
        trust.peers[node_id] = PeerTrust(node_id, True, (pinned,), revoked)
    return trust


def _open(case: dict[str, Any], folder: Path) -> Any:
    state = case["state"]
    guard = MemoryReplayGuard(
        {uuid.UUID(value) for value in state.get("seen", [])},
        dict(state.get("last_sequence", {})),
    )
    return open_bundle(
        io.BytesIO((kit.KIT / case["bundle"]).read_bytes()),
        my_identity=_identity(case["open_as"]),
        trust=_trust(state),
        replay_guard=guard,
        now=parse_time(case["now"]),
        attachment_dir=folder,
        validate_records=validate_content,
    )


def test_the_kit_covers_every_bundle_error_code_and_both_kems() -> None:
    codes = {case["error"] for case in CASES if "error" in case}
    assert codes == {
        "size-limit",
        "format",
        "truncated",
        "signature",
        "unknown-sender",
        "revoked-key",
        "key-expired",
        "not-a-recipient",
        "expired",
        "replay",
        "sequence",
        "decryption",
        "digest-mismatch",
        "schema",
    }
    opened_by = {case["open_as"] for case in CASES if "result" in case}
    assert {KEYS[n]["encryption_keys"][0]["algorithm"] for n in opened_by} == {
        "x25519",
        "mlkem768-x25519",
    }


@pytest.mark.parametrize("case", CASES, ids=[case["name"] for case in CASES])
def test_ncen_opens_each_case_as_the_kit_expects(case: dict[str, Any], tmp_path: Path) -> None:
    if "error" in case:
        with pytest.raises(ExchangeError) as raised:
            _open(case, tmp_path)
        assert raised.value.code == case["error"], raised.value
        assert list(tmp_path.iterdir()) == []  # a failed open leaves no decrypted file
        return
    opened = _open(case, tmp_path)
    expected = case["result"]
    assert opened.header.to_bytes() == (kit.KIT / expected["header"]).read_bytes()
    assert opened.recipient.node_id == case["open_as"]
    assert [(r.name, r.data) for r in opened.record_sets] == [
        (entry["name"], (kit.KIT / entry["file"]).read_bytes()) for entry in expected["record_sets"]
    ]
    assert len(opened.attachments) == len(expected["attachments"])
    for attachment, entry in zip(opened.attachments, expected["attachments"], strict=True):
        data = attachment.read_bytes()
        assert (attachment.name, attachment.media_type) == (entry["name"], entry["media_type"])
        assert (len(data), hashlib.sha256(data).hexdigest()) == (entry["size"], entry["sha256"])
        assert data == (kit.KIT / entry["file"]).read_bytes()


def test_the_generator_reproduces_the_committed_kit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    copy = tmp_path / "conformance"
    shutil.copytree(kit.KIT / "bundles", copy / "bundles")
    monkeypatch.setattr(kit, "KIT", copy)
    monkeypatch.setattr(kit, "KEYS_FILE", tmp_path / "test-keys.json")
    kit.main([])
    committed = sorted(p.relative_to(kit.ASSETS) for p in kit.ASSETS.glob("conformance/**/*.*"))
    rebuilt = sorted(p.relative_to(tmp_path) for p in tmp_path.glob("conformance/**/*.*"))
    assert rebuilt == [p for p in committed if p.name != "README.md"]
    for path in rebuilt:
        assert (tmp_path / path).read_bytes() == (kit.ASSETS / path).read_bytes(), path
    assert (tmp_path / "test-keys.json").read_bytes() == kit.KEYS_FILE.read_bytes()


def test_the_published_keys_are_the_golden_keys() -> None:
    for node_id, kem in kit.NODES.items():
        identity = kit.golden_identity(node_id, kem)
        assert KEYS[node_id]["signing_key"]["key_id"] == identity.signing.public.key_id
        assert KEYS[node_id]["encryption_keys"][0]["key_id"] == (
            identity.current_encryption_key.public.key_id
        )

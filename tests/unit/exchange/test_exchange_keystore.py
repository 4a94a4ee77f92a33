"""Private keys at rest: owner-only files, passphrase encryption, archived keys kept."""

from __future__ import annotations

import json
import os
from datetime import timedelta
from pathlib import Path

import pytest
from exchange_testkit import KEY_END, T0

from exchange.crypto.keys import KemAlgorithm, NodeIdentity, generate_identity
from exchange.crypto.keysets import rotate_identity
from exchange.crypto.keystore import KdfParameters, load_identity, save_identity
from exchange.errors import KeyStoreError

FAST = KdfParameters(memory_cost_kib=1024, iterations=1, lanes=1)  # tests only: keep them quick


def _identity() -> NodeIdentity:
    old = generate_identity(
        "fr", not_before=T0, not_after=KEY_END, kem=KemAlgorithm.MLKEM768_X25519
    )
    new, _ = rotate_identity(old, now=T0 + timedelta(days=1), not_after=KEY_END, serial=2)
    return new


def test_plain_owner_only_file_round_trips(tmp_path: Path) -> None:
    identity = _identity()
    path = tmp_path / "node.key"
    save_identity(path, identity, passphrase=None)
    assert path.stat().st_mode & 0o777 == 0o600
    loaded = load_identity(path, passphrase=None)
    assert loaded == identity
    assert len(loaded.encryption_keys) == 2  # the archived key survives a restart


@pytest.mark.parametrize("mode", [0o640, 0o644, 0o604, 0o660, 0o666])
def test_loose_permissions_are_refused(tmp_path: Path, mode: int) -> None:
    path = tmp_path / "node.key"
    save_identity(path, _identity(), passphrase=None)
    os.chmod(path, mode)
    with pytest.raises(KeyStoreError, match="chmod 600"):
        load_identity(path, passphrase=None)


def test_encrypted_file_needs_the_right_passphrase(tmp_path: Path) -> None:
    identity = _identity()
    path = tmp_path / "node.key"
    save_identity(path, identity, passphrase=b"correct horse", kdf=FAST)
    text = path.read_text()
    assert identity.signing.seed.hex() not in text
    assert json.loads(text)["kdf"]["name"] == "argon2id"
    assert load_identity(path, passphrase=b"correct horse") == identity
    with pytest.raises(KeyStoreError, match="wrong passphrase"):
        load_identity(path, passphrase=b"wrong")
    with pytest.raises(KeyStoreError, match="passphrase is required"):
        load_identity(path, passphrase=None)


def test_tampered_kdf_parameters_or_ciphertext_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "node.key"
    save_identity(path, _identity(), passphrase=b"pw", kdf=FAST)
    document = json.loads(path.read_text())
    document["kdf"]["iterations"] = 2  # weakening the stored cost breaks the binding
    path.write_text(json.dumps(document, sort_keys=True, separators=(",", ":")))
    with pytest.raises(KeyStoreError):
        load_identity(path, passphrase=b"pw")
    path.write_text("not json")
    with pytest.raises(KeyStoreError, match="corrupt"):
        load_identity(path, passphrase=b"pw")


def test_default_kdf_cost_is_memory_hard() -> None:
    assert KdfParameters().memory_cost_kib >= 64 * 1024


def test_missing_file_is_a_key_store_error(tmp_path: Path) -> None:
    with pytest.raises(KeyStoreError):
        load_identity(tmp_path / "absent.key", passphrase=None)

"""Private keys at rest: an owner-only file, optionally encrypted under a passphrase.

Two file forms, both canonical JSON, both written with mode 0600 and refused on load when the
mode lets group or others read it or the file belongs to another user:

- ``ncen-identity-v1``: the identity in clear, for hosts where the service user's file
  permissions are the protection (a key file readable only by the owner);
- ``ncen-keystore-v1``: the same bytes encrypted with AES-256-GCM under a key derived from a
  passphrase by Argon2id (RFC 9106), a memory-hard KDF; the KDF parameters and salt are stored in
  the file and bound to the ciphertext as associated data.

Archived encryption keys are stored like current ones, so bundles sealed before a rotation still
open after a restart. Nothing here logs or prints key material.
"""

from __future__ import annotations

import os
import secrets
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.argon2 import Argon2id

from exchange.crypto.canonical import (
    b64decode,
    b64encode,
    canonical_json,
    format_time,
    parse_canonical,
    parse_time,
)
from exchange.crypto.keys import EncryptionKeyPair, KemAlgorithm, NodeIdentity, SigningKeyPair
from exchange.errors import ExchangeError, KeyStoreError

PLAIN_FORMAT = "ncen-identity-v1"
ENCRYPTED_FORMAT = "ncen-keystore-v1"
_MAX_MEMORY_KIB = 4 * 1024 * 1024  # refuse files that would make loading allocate > 4 GiB


@dataclass(frozen=True)
class KdfParameters:
    """Argon2id cost. Defaults follow RFC 9106's second recommended option (64 MiB, t=3, p=4)."""

    memory_cost_kib: int = 64 * 1024
    iterations: int = 3
    lanes: int = 4


def identity_to_json(identity: NodeIdentity) -> dict[str, Any]:
    """The clear-text form of an identity, private seeds included."""
    signing = identity.signing
    return {
        "format": PLAIN_FORMAT,
        "node_id": identity.node_id,
        "signing_key": {
            "seed": b64encode(signing.seed),
            "not_before": format_time(signing.not_before),
            "not_after": format_time(signing.not_after),
        },
        "encryption_keys": [
            {
                "algorithm": key.algorithm.value,
                "seed": b64encode(key.seed),
                "not_before": format_time(key.not_before),
                "not_after": format_time(key.not_after),
            }
            for key in identity.encryption_keys
        ],
    }


def identity_from_json(value: object) -> NodeIdentity:
    """Inverse of `identity_to_json`; raise `KeyStoreError` on anything unexpected."""
    try:
        if not isinstance(value, dict) or value.get("format") != PLAIN_FORMAT:
            raise KeyStoreError("not an ncen-identity-v1 document")
        signing = value["signing_key"]
        keys = tuple(
            EncryptionKeyPair(
                KemAlgorithm(item["algorithm"]),
                _seed(item["seed"]),
                parse_time(item["not_before"]),
                parse_time(item["not_after"]),
            )
            for item in value["encryption_keys"]
        )
        return NodeIdentity(
            node_id=value["node_id"],
            signing=SigningKeyPair(
                _seed(signing["seed"]),
                parse_time(signing["not_before"]),
                parse_time(signing["not_after"]),
            ),
            encryption_keys=keys,
        )
    except (KeyError, TypeError, ValueError, ExchangeError) as error:
        if isinstance(error, KeyStoreError):
            raise
        raise KeyStoreError(f"identity document is malformed: {error}") from error


def _seed(value: object) -> bytes:
    seed = b64decode(value)
    if len(seed) != 32:
        raise KeyStoreError("a private key seed is 32 bytes")
    return seed


def save_identity(
    path: Path,
    identity: NodeIdentity,
    *,
    passphrase: bytes | None,
    kdf: KdfParameters | None = None,
) -> None:
    """Write ``identity`` to ``path`` with mode 0600, encrypted when ``passphrase`` is given.

    The file is written to a sibling temporary file and renamed into place, so a crash never
    leaves a half-written key file. Overwrites an existing file.
    """
    document = identity_to_json(identity)
    if passphrase is not None:
        document = _encrypt(canonical_json(document), passphrase, kdf or KdfParameters())
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(8)}.tmp")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with open(descriptor, "wb") as handle:
            handle.write(canonical_json(document))
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def load_identity(path: Path, *, passphrase: bytes | None) -> NodeIdentity:
    """Read an identity written by `save_identity`.

    Raises `KeyStoreError` when the file is readable by group or others, belongs to another
    user, is encrypted and no or a wrong passphrase is given, or is corrupt.
    """
    try:
        with path.open("rb") as handle:
            status = os.fstat(handle.fileno())
            _check_permissions(path, status)
            data = handle.read()
    except OSError as error:
        raise KeyStoreError(f"cannot read key file {path}: {error.strerror}") from error
    try:
        document = parse_canonical(data)
    except ExchangeError as error:
        raise KeyStoreError(f"key file {path} is corrupt: {error}") from error
    if isinstance(document, dict) and document.get("format") == ENCRYPTED_FORMAT:
        if passphrase is None:
            raise KeyStoreError(f"key file {path} is encrypted: a passphrase is required")
        document = _decrypt(document, passphrase)
    return identity_from_json(document)


def _check_permissions(path: Path, status: os.stat_result) -> None:
    mode = stat.S_IMODE(status.st_mode)
    if mode & 0o077:
        raise KeyStoreError(
            f"key file {path} has mode {mode:04o}; it must be readable by its owner only "
            f"(run: chmod 600 {path})"
        )
    if status.st_uid != os.geteuid():
        raise KeyStoreError(f"key file {path} belongs to another user (uid {status.st_uid})")


def _derive(passphrase: bytes, salt: bytes, kdf: KdfParameters) -> bytes:
    return Argon2id(
        salt=salt,
        length=32,
        iterations=kdf.iterations,
        lanes=kdf.lanes,
        memory_cost=kdf.memory_cost_kib,
    ).derive(passphrase)


def _encrypt(plaintext: bytes, passphrase: bytes, kdf: KdfParameters) -> dict[str, Any]:
    salt, nonce = secrets.token_bytes(16), secrets.token_bytes(12)
    envelope: dict[str, Any] = {
        "format": ENCRYPTED_FORMAT,
        "kdf": {
            "name": "argon2id",
            "salt": b64encode(salt),
            "memory_cost_kib": kdf.memory_cost_kib,
            "iterations": kdf.iterations,
            "lanes": kdf.lanes,
        },
        "cipher": "AES-256-GCM",
        "nonce": b64encode(nonce),
    }
    ciphertext = AESGCM(_derive(passphrase, salt, kdf)).encrypt(
        nonce, plaintext, canonical_json(envelope)
    )
    return {**envelope, "ciphertext": b64encode(ciphertext)}


def _decrypt(document: dict[str, Any], passphrase: bytes) -> object:
    try:
        envelope = {key: value for key, value in document.items() if key != "ciphertext"}
        params = envelope["kdf"]
        if params["name"] != "argon2id" or envelope["cipher"] != "AES-256-GCM":
            raise KeyStoreError("unsupported key file KDF or cipher")
        kdf = KdfParameters(params["memory_cost_kib"], params["iterations"], params["lanes"])
        if not 0 < kdf.memory_cost_kib <= _MAX_MEMORY_KIB or not 0 < kdf.iterations <= 64:
            raise KeyStoreError("key file KDF parameters are out of range")
        key = _derive(passphrase, b64decode(params["salt"]), kdf)
        plaintext = AESGCM(key).decrypt(
            b64decode(envelope["nonce"]),
            b64decode(document["ciphertext"]),
            canonical_json(envelope),
        )
        return parse_canonical(plaintext)
    except InvalidTag as error:
        raise KeyStoreError("wrong passphrase, or the key file was altered") from error
    except (KeyError, TypeError, ValueError, ExchangeError) as error:
        if isinstance(error, KeyStoreError):
            raise
        raise KeyStoreError(f"encrypted key file is malformed: {error}") from error

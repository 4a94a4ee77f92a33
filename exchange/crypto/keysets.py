"""Key sets, rotation and revocation: the signed statements a node publishes about its keys.

A *key set* lists a node's signing key and encryption keys with their validity windows. The
first key set is self-signed; every later one is signed by the signing key it replaces, so a
peer that pinned the old key can accept the new one without another out-of-band check
(`verify_keyset` with the pinned key). A *revocation* names one key id and is signed by the
node's current signing key, or by the revoked key itself when that is all the node has left.

Rotation keeps the old encryption keys, marked as archived, so bundles sealed to them before the
rotation still open; the old signing key is not kept (peers keep it pinned, with its window, to
verify what it signed).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from exchange.crypto.canonical import (
    DOMAIN_KEYSET,
    DOMAIN_REVOCATION,
    b64decode,
    b64encode,
    format_time,
    parse_time,
)
from exchange.crypto.keys import (
    SIGNING_ALGORITHM,
    EncryptionKeyPair,
    EncryptionPublicKey,
    KemAlgorithm,
    NodeIdentity,
    SigningKeyPair,
    SigningPublicKey,
    check_key_id,
    check_node_id,
)
from exchange.crypto.signing import SignedStatement, sign_statement, verify_statement
from exchange.errors import FormatError

KEYSET_TYPE = "ncen-keyset"
REVOCATION_TYPE = "ncen-revocation"
REVOCATION_REASONS = frozenset({"compromised", "superseded", "retired"})


@dataclass(frozen=True)
class PublishedEncryptionKey:
    """An encryption key as a key set publishes it."""

    key: EncryptionPublicKey
    not_before: datetime
    not_after: datetime


@dataclass(frozen=True)
class KeySet:
    """The parsed content of a key-set statement."""

    node_id: str
    serial: int
    issued: datetime
    signing_key: SigningPublicKey
    signing_not_before: datetime
    signing_not_after: datetime
    encryption_keys: tuple[PublishedEncryptionKey, ...]
    supersedes: str | None


@dataclass(frozen=True)
class Revocation:
    """The parsed content of a revocation statement."""

    node_id: str
    key_id: str
    revoked_at: datetime
    reason: str


def _key_json(
    algorithm: str, raw: bytes, key_id: str, nb: datetime, na: datetime
) -> dict[str, Any]:
    return {
        "algorithm": algorithm,
        "public_key": b64encode(raw),
        "key_id": key_id,
        "not_before": format_time(nb),
        "not_after": format_time(na),
    }


def keyset_statement(
    identity: NodeIdentity, *, serial: int, issued: datetime, supersedes: str | None
) -> dict[str, Any]:
    """The unsigned key-set statement of ``identity``; archived keys past their window are
    left out (they only decrypt, nobody should seal to them)."""
    signing = identity.signing
    return {
        "type": KEYSET_TYPE,
        "version": 1,
        "node_id": identity.node_id,
        "serial": serial,
        "issued": format_time(issued),
        "supersedes": supersedes,
        "signing_key": _key_json(
            SIGNING_ALGORITHM,
            signing.public.raw,
            signing.public.key_id,
            signing.not_before,
            signing.not_after,
        ),
        "encryption_keys": [
            _key_json(k.algorithm.value, k.public.raw, k.public.key_id, k.not_before, k.not_after)
            for k in identity.encryption_keys
            if k.not_after > issued
        ],
    }


def publish_keyset(
    identity: NodeIdentity,
    *,
    signer: SigningKeyPair,
    serial: int,
    issued: datetime,
    supersedes: str | None = None,
) -> SignedStatement:
    """Sign ``identity``'s key set with ``signer`` (itself for the first, the old key after)."""
    statement = keyset_statement(identity, serial=serial, issued=issued, supersedes=supersedes)
    return sign_statement(signer, DOMAIN_KEYSET, statement)


def rotate_identity(
    identity: NodeIdentity,
    *,
    now: datetime,
    not_after: datetime,
    serial: int,
    kem: KemAlgorithm | None = None,
) -> tuple[NodeIdentity, SignedStatement]:
    """Make new signing and encryption keys valid from ``now``; return the new identity and the
    new key set signed by the *current* signing key. Writes nothing: the caller saves the new
    identity (`exchange.crypto.keystore`) before publishing the statement.
    """
    archived = tuple(replace(k, not_after=min(k.not_after, now)) for k in identity.encryption_keys)
    fresh = EncryptionKeyPair(
        kem or identity.current_encryption_key.algorithm, secrets.token_bytes(32), now, not_after
    )
    rotated = NodeIdentity(
        node_id=identity.node_id,
        signing=SigningKeyPair(secrets.token_bytes(32), now, not_after),
        encryption_keys=(fresh, *archived),
    )
    statement = publish_keyset(
        rotated,
        signer=identity.signing,
        serial=serial,
        issued=now,
        supersedes=identity.signing.public.key_id,
    )
    return rotated, statement


def _window(item: dict[str, Any]) -> tuple[datetime, datetime]:
    return parse_time(item["not_before"]), parse_time(item["not_after"])


def _published(item: object, expected_algorithms: set[str]) -> tuple[str, bytes, dict[str, Any]]:
    fields = {"algorithm", "public_key", "key_id", "not_before", "not_after"}
    if not isinstance(item, dict) or set(item) != fields:
        raise FormatError(f"a published key has exactly {sorted(fields)}")
    if item["algorithm"] not in expected_algorithms:
        raise FormatError(f"unexpected key algorithm {item['algorithm']!r}")
    return item["algorithm"], b64decode(item["public_key"]), item


def parse_keyset(signed: SignedStatement) -> KeySet:
    """Parse a key-set statement; raise `FormatError` or `InvalidPublicKeyError`.

    Every public key is validated, and each declared key id must match the key.
    """
    body = signed.statement
    fields = {"type", "version", "node_id", "serial", "issued", "supersedes", "signing_key"}
    if set(body) != fields | {"encryption_keys"} or body["type"] != KEYSET_TYPE:
        raise FormatError("not an ncen-keyset statement")
    if body["version"] != 1 or not isinstance(body["serial"], int) or body["serial"] < 0:
        raise FormatError("unsupported key-set version or bad serial")
    _, raw, item = _published(body["signing_key"], {SIGNING_ALGORITHM})
    signing_key = SigningPublicKey.from_raw(raw)
    if item["key_id"] != signing_key.key_id:
        raise FormatError("signing key id does not match the signing key")
    signing_window = _window(item)
    encryption_keys = []
    entries = body["encryption_keys"]
    if not isinstance(entries, list) or not entries:
        raise FormatError("a key set lists at least one encryption key")
    for entry in entries:
        algorithm, raw, item = _published(entry, {k.value for k in KemAlgorithm})
        key = EncryptionPublicKey.from_raw(KemAlgorithm(algorithm), raw)
        if item["key_id"] != key.key_id:
            raise FormatError("encryption key id does not match the key")
        encryption_keys.append(PublishedEncryptionKey(key, *_window(item)))
    supersedes = body["supersedes"]
    return KeySet(
        node_id=check_node_id(body["node_id"]),
        serial=body["serial"],
        issued=parse_time(body["issued"]),
        signing_key=signing_key,
        signing_not_before=signing_window[0],
        signing_not_after=signing_window[1],
        encryption_keys=tuple(encryption_keys),
        supersedes=None if supersedes is None else check_key_id(supersedes),
    )


def verify_keyset(signed: SignedStatement, pinned: SigningPublicKey) -> KeySet:
    """Accept a key set only if ``pinned`` (the peer's currently pinned key) signed it.

    A self-signed key set verifies with its own key only on first registration, when the
    operator has compared the fingerprint out of band. Raises `SignatureError`, `FormatError`,
    `InvalidPublicKeyError`.
    """
    keyset = parse_keyset(signed)
    verify_statement(signed, pinned, DOMAIN_KEYSET)
    return keyset


def make_revocation(
    signer: SigningKeyPair, *, node_id: str, key_id: str, revoked_at: datetime, reason: str
) -> SignedStatement:
    """Sign a statement that ``key_id`` of ``node_id`` is revoked from ``revoked_at``."""
    if reason not in REVOCATION_REASONS:
        raise ValueError(f"reason must be one of {sorted(REVOCATION_REASONS)}")
    statement = {
        "type": REVOCATION_TYPE,
        "version": 1,
        "node_id": check_node_id(node_id),
        "key_id": check_key_id(key_id),
        "revoked_at": format_time(revoked_at),
        "reason": reason,
    }
    return sign_statement(signer, DOMAIN_REVOCATION, statement)


def verify_revocation(signed: SignedStatement, signer: SigningPublicKey) -> Revocation:
    """Check a revocation signed by ``signer`` (the node's pinned key or the revoked key)."""
    body = signed.statement
    if set(body) != {"type", "version", "node_id", "key_id", "revoked_at", "reason"}:
        raise FormatError("not an ncen-revocation statement")
    if body["type"] != REVOCATION_TYPE or body["version"] != 1:
        raise FormatError("not an ncen-revocation version 1 statement")
    if body["reason"] not in REVOCATION_REASONS:
        raise FormatError(f"unknown revocation reason {body['reason']!r}")
    verify_statement(signed, signer, DOMAIN_REVOCATION)
    return Revocation(
        node_id=check_node_id(body["node_id"]),
        key_id=check_key_id(body["key_id"]),
        revoked_at=parse_time(body["revoked_at"]),
        reason=body["reason"],
    )

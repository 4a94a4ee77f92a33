"""Node identity: an Ed25519 signing key and HPKE encryption keys, with ids and fingerprints.

A node signs with one Ed25519 key and receives with HPKE (RFC 9180) keys of one of two KEMs:
DHKEM(X25519, HKDF-SHA256) by default, or the hybrid post-quantum MLKEM768-X25519 KEM that
``cryptography`` provides. Every key has a *key id*: the lowercase hex SHA-256 of
``algorithm-name || 0x00 || raw public key`` (the algorithm name is hashed in so that the same
bytes under two algorithms never share an id). A key id rendered in groups of four characters is
the *fingerprint* that operators compare out of band.

Public keys that arrive from outside go through `SigningPublicKey.from_raw` and
`EncryptionPublicKey.from_raw`, which refuse wrong lengths, non-canonical encodings and
small-order points (`InvalidPublicKeyError`); nothing else constructs them from bytes.
Private material never appears in a ``repr``.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from functools import cached_property

from cryptography.hazmat.primitives import hashes, hpke, serialization
from cryptography.hazmat.primitives.asymmetric import ed25519, mlkem, x25519

from exchange.errors import FormatError, InvalidPublicKeyError

SIGNING_ALGORITHM = "ed25519"
_X25519_LEN = 32
_MLKEM768_PUBLIC_LEN = 1184
_FIELD_PRIME = 2**255 - 19
_NODE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{0,63}")
_KEY_ID = re.compile(r"[0-9a-f]{64}")


class KemAlgorithm(StrEnum):
    """The HPKE KEMs a node may receive with; the value is the name hashed into key ids."""

    X25519 = "x25519"
    """DHKEM(X25519, HKDF-SHA256), HPKE KEM id 0x0020 (RFC 9180). The default."""
    MLKEM768_X25519 = "mlkem768-x25519"
    """Hybrid ML-KEM-768 + X25519, HPKE KEM id 0x647a (draft-ietf-hpke-pq)."""

    @property
    def hpke_kem(self) -> hpke.KEM:
        return hpke.KEM.X25519 if self is KemAlgorithm.X25519 else hpke.KEM.MLKEM768_X25519

    @property
    def hpke_kem_id(self) -> int:
        return 0x0020 if self is KemAlgorithm.X25519 else 0x647A

    @property
    def public_key_length(self) -> int:
        return _X25519_LEN if self is KemAlgorithm.X25519 else _MLKEM768_PUBLIC_LEN + _X25519_LEN


def compute_key_id(algorithm: str, raw_public_key: bytes) -> str:
    """Return the key id: hex SHA-256 of ``algorithm || 0x00 || raw_public_key``."""
    return hashlib.sha256(algorithm.encode("ascii") + b"\x00" + raw_public_key).hexdigest()


def format_fingerprint(key_id: str) -> str:
    """Render a key id for reading aloud: 16 groups of 4 upper-case hex digits, 2 lines of 8."""
    check_key_id(key_id)
    groups = [key_id[i : i + 4].upper() for i in range(0, 64, 4)]
    return " ".join(groups[:8]) + "\n" + " ".join(groups[8:])


def check_key_id(key_id: object) -> str:
    """Return ``key_id`` if it is 64 lowercase hex digits, else raise `FormatError`."""
    if not isinstance(key_id, str) or not _KEY_ID.fullmatch(key_id):
        raise FormatError(f"key id {key_id!r} is not 64 lowercase hex digits")
    return key_id


def check_node_id(node_id: object) -> str:
    """Return ``node_id`` if it is 1-64 ASCII letters, digits, ``.``, ``_``, ``:`` or ``-``."""
    if not isinstance(node_id, str) or not _NODE_ID.fullmatch(node_id):
        raise FormatError(f"node id {node_id!r} is not 1-64 characters of [A-Za-z0-9._:-]")
    return node_id


def _check_x25519_point(raw: bytes, what: str) -> x25519.X25519PublicKey:
    """Refuse a non-canonical or small-order X25519 u-coordinate.

    OpenSSL refuses an exchange whose shared secret is all zero, which happens exactly when the
    peer's point has small order; one exchange with a throwaway key is therefore the check.
    """
    if len(raw) != _X25519_LEN:
        raise InvalidPublicKeyError(f"{what} is {len(raw)} bytes, expected {_X25519_LEN}")
    if raw[31] & 0x80 or int.from_bytes(raw, "little") >= _FIELD_PRIME:
        raise InvalidPublicKeyError(f"{what} is not a canonical X25519 encoding")
    public = x25519.X25519PublicKey.from_public_bytes(raw)
    try:
        x25519.X25519PrivateKey.generate().exchange(public)
    except ValueError as error:
        raise InvalidPublicKeyError(f"{what} is a small-order (weak) point") from error
    return public


@dataclass(frozen=True)
class SigningPublicKey:
    """A validated Ed25519 public key (32 raw bytes)."""

    raw: bytes

    @classmethod
    def from_raw(cls, raw: bytes) -> SigningPublicKey:
        """Validate and wrap 32 raw bytes; raise `InvalidPublicKeyError` on a weak or bad key.

        Small-order Edwards points map to small-order Montgomery points under the birational map
        u = (1 + y) / (1 - y) of RFC 7748 section 4.1, so the X25519 check above covers them;
        the identity (y = 1) has no image and is refused directly.
        """
        if len(raw) != 32:
            raise InvalidPublicKeyError(f"Ed25519 public key is {len(raw)} bytes, expected 32")
        y = int.from_bytes(raw, "little") & ((1 << 255) - 1)
        if y >= _FIELD_PRIME or y == 1:
            raise InvalidPublicKeyError("Ed25519 public key is non-canonical or the identity")
        u = (1 + y) * pow(1 - y, -1, _FIELD_PRIME) % _FIELD_PRIME
        _check_x25519_point(u.to_bytes(32, "little"), "Ed25519 public key")
        return cls(raw)

    @property
    def key_id(self) -> str:
        return compute_key_id(SIGNING_ALGORITHM, self.raw)

    def to_crypto(self) -> ed25519.Ed25519PublicKey:
        return ed25519.Ed25519PublicKey.from_public_bytes(self.raw)

    def to_pem(self) -> bytes:
        """SubjectPublicKeyInfo PEM, the form ``openssl pkeyutl -verify -pubin`` reads."""
        return self.to_crypto().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )


HpkePublicKey = x25519.X25519PublicKey | hpke.MLKEM768X25519PublicKey
HpkePrivateKey = x25519.X25519PrivateKey | hpke.MLKEM768X25519PrivateKey


@dataclass(frozen=True)
class EncryptionPublicKey:
    """A validated HPKE public key; ``raw`` is the RFC 9180 ``SerializePublicKey`` form.

    For MLKEM768-X25519 that is the ML-KEM-768 encapsulation key (1184 bytes) followed by the
    X25519 public key (32 bytes).
    """

    algorithm: KemAlgorithm
    raw: bytes

    @classmethod
    def from_raw(cls, algorithm: KemAlgorithm, raw: bytes) -> EncryptionPublicKey:
        """Validate and wrap; raise `InvalidPublicKeyError` on a wrong length or weak key."""
        if len(raw) != algorithm.public_key_length:
            expected = algorithm.public_key_length
            raise InvalidPublicKeyError(
                f"{algorithm} public key is {len(raw)} bytes, not {expected}"
            )
        if algorithm is KemAlgorithm.MLKEM768_X25519:
            try:
                mlkem.MLKEM768PublicKey.from_public_bytes(raw[:_MLKEM768_PUBLIC_LEN])
            except ValueError as error:
                raise InvalidPublicKeyError("ML-KEM-768 public key does not decode") from error
        _check_x25519_point(raw[-_X25519_LEN:], f"{algorithm} X25519 public key")
        return cls(algorithm, raw)

    @property
    def key_id(self) -> str:
        return compute_key_id(self.algorithm.value, self.raw)

    def to_crypto(self) -> HpkePublicKey:
        x_part = x25519.X25519PublicKey.from_public_bytes(self.raw[-_X25519_LEN:])
        if self.algorithm is KemAlgorithm.X25519:
            return x_part
        ml_part = mlkem.MLKEM768PublicKey.from_public_bytes(self.raw[:_MLKEM768_PUBLIC_LEN])
        return hpke.MLKEM768X25519PublicKey(ml_part, x_part)


@dataclass(frozen=True)
class SigningKeyPair:
    """The node's Ed25519 key with its validity window. ``seed`` is the 32-byte private key."""

    seed: bytes = field(repr=False)
    not_before: datetime
    not_after: datetime

    @cached_property
    def public(self) -> SigningPublicKey:
        return SigningPublicKey(self.private_key().public_key().public_bytes_raw())

    def private_key(self) -> ed25519.Ed25519PrivateKey:
        return ed25519.Ed25519PrivateKey.from_private_bytes(self.seed)

    def valid_at(self, moment: datetime) -> bool:
        return self.not_before <= moment <= self.not_after


@dataclass(frozen=True)
class EncryptionKeyPair:
    """An HPKE key pair. ``seed`` is the RFC 9180 serialized private key (32 bytes for both KEMs).

    For MLKEM768-X25519 the 32-byte seed expands with SHAKE256 to 96 bytes: the ML-KEM-768 seed
    (d || z, 64 bytes) then the X25519 private key (32 bytes), as draft-ietf-hpke-pq specifies;
    the official vectors check this derivation.
    """

    algorithm: KemAlgorithm
    seed: bytes = field(repr=False)
    not_before: datetime
    not_after: datetime

    def private_key(self) -> HpkePrivateKey:
        x_seed, ml_seed = _split_seed(self.algorithm, self.seed)
        x_part = x25519.X25519PrivateKey.from_private_bytes(x_seed)
        if ml_seed is None:
            return x_part
        return hpke.MLKEM768X25519PrivateKey(
            mlkem.MLKEM768PrivateKey.from_seed_bytes(ml_seed), x_part
        )

    @cached_property
    def public(self) -> EncryptionPublicKey:
        x_seed, ml_seed = _split_seed(self.algorithm, self.seed)
        raw = x25519.X25519PrivateKey.from_private_bytes(x_seed).public_key().public_bytes_raw()
        if ml_seed is not None:
            ml_key = mlkem.MLKEM768PrivateKey.from_seed_bytes(ml_seed)
            raw = ml_key.public_key().public_bytes_raw() + raw
        return EncryptionPublicKey(self.algorithm, raw)

    def valid_at(self, moment: datetime) -> bool:
        return self.not_before <= moment <= self.not_after


def _split_seed(algorithm: KemAlgorithm, seed: bytes) -> tuple[bytes, bytes | None]:
    """Return (X25519 private key, ML-KEM-768 seed or None) for a 32-byte HPKE private seed."""
    if len(seed) != 32:
        raise ValueError("an HPKE private key seed is 32 bytes")
    if algorithm is KemAlgorithm.X25519:
        return seed, None
    shake = hashes.Hash(hashes.SHAKE256(96))
    shake.update(seed)
    expanded = shake.finalize()
    return expanded[64:], expanded[:64]


@dataclass(frozen=True)
class NodeIdentity:
    """Everything a node needs to sign and to open bundles.

    ``encryption_keys`` lists the current key first, then archived keys that are kept only so
    that bundles sealed to them before a rotation still open.
    """

    node_id: str
    signing: SigningKeyPair
    encryption_keys: tuple[EncryptionKeyPair, ...]

    def __post_init__(self) -> None:
        check_node_id(self.node_id)
        if not self.encryption_keys:
            raise ValueError("a node identity needs at least one encryption key")

    @property
    def current_encryption_key(self) -> EncryptionKeyPair:
        return self.encryption_keys[0]

    def decryption_key(self, key_id: str) -> EncryptionKeyPair | None:
        """Return the current or archived key pair with this key id, or None."""
        for pair in self.encryption_keys:
            if pair.public.key_id == key_id:
                return pair
        return None


def generate_identity(
    node_id: str,
    *,
    not_before: datetime,
    not_after: datetime,
    kem: KemAlgorithm = KemAlgorithm.X25519,
) -> NodeIdentity:
    """Create a fresh identity from the operating system's CSPRNG; writes nothing."""
    return NodeIdentity(
        node_id=node_id,
        signing=SigningKeyPair(secrets.token_bytes(32), not_before, not_after),
        encryption_keys=(EncryptionKeyPair(kem, secrets.token_bytes(32), not_before, not_after),),
    )

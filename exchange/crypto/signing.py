"""Ed25519 signatures over domain-separated canonical bytes, and signed JSON statements.

Every signature in the protocol is ``Ed25519(domain || 0x00 || message)`` (RFC 8032, pure
Ed25519, no pre-hash), so the exact signed bytes can be written to a file and checked with
``openssl pkeyutl -verify -rawin``. `verify` returns nothing or raises `SignatureError`; there is
no boolean to forget to check.

A *signed statement* is the JSON envelope used for key sets, revocations and originator
statements: ``{"signature": b64, "signer_key_id": hex, "statement": {...}}``, where the signature
covers the canonical JSON of ``statement`` under the statement's domain.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric import ed25519

from exchange.crypto.canonical import b64decode, b64encode, canonical_json, signing_input
from exchange.crypto.keys import SigningKeyPair, SigningPublicKey, check_key_id
from exchange.errors import FormatError, SignatureError

SIGNATURE_LENGTH = 64


def sign(key: SigningKeyPair | ed25519.Ed25519PrivateKey, domain: bytes, message: bytes) -> bytes:
    """Return the 64-byte Ed25519 signature of ``domain || 0x00 || message``."""
    private = key.private_key() if isinstance(key, SigningKeyPair) else key
    return private.sign(signing_input(domain, message))


def verify(public_key: SigningPublicKey, domain: bytes, message: bytes, signature: bytes) -> None:
    """Check ``signature`` over ``domain || 0x00 || message``; raise `SignatureError` if wrong."""
    if len(signature) != SIGNATURE_LENGTH:
        raise SignatureError(f"signature is {len(signature)} bytes, expected {SIGNATURE_LENGTH}")
    try:
        public_key.to_crypto().verify(signature, signing_input(domain, message))
    except InvalidSignature as error:
        raise SignatureError(
            f"signature does not verify under key {public_key.key_id} "
            f"(domain {domain.decode('ascii')})"
        ) from error


@dataclass(frozen=True)
class SignedStatement:
    """A JSON statement with a detached signature; see the module docstring for the wire form."""

    statement: Mapping[str, Any]
    signer_key_id: str
    signature: bytes

    def to_json(self) -> dict[str, Any]:
        return {
            "signature": b64encode(self.signature),
            "signer_key_id": self.signer_key_id,
            "statement": dict(self.statement),
        }

    def to_bytes(self) -> bytes:
        """Canonical JSON of the envelope, as written to files and sent to peers."""
        return canonical_json(self.to_json())

    @classmethod
    def from_json(cls, value: object) -> SignedStatement:
        """Parse the envelope shape (not the statement's content); raise `FormatError`."""
        if not isinstance(value, dict) or set(value) != {"signature", "signer_key_id", "statement"}:
            raise FormatError("a signed statement has exactly signature, signer_key_id, statement")
        statement = value["statement"]
        if not isinstance(statement, dict):
            raise FormatError("statement must be a JSON object")
        signature = b64decode(value["signature"])
        return cls(statement, check_key_id(value["signer_key_id"]), signature)


def sign_statement(
    key: SigningKeyPair, domain: bytes, statement: Mapping[str, Any]
) -> SignedStatement:
    """Sign the canonical JSON of ``statement`` under ``domain``."""
    signature = sign(key, domain, canonical_json(statement))
    return SignedStatement(dict(statement), key.public.key_id, signature)


def verify_statement(signed: SignedStatement, public_key: SigningPublicKey, domain: bytes) -> None:
    """Check that ``public_key`` made ``signed``; raise `SignatureError` otherwise.

    The signer key id must name ``public_key``: a statement that claims another signer is refused
    even if the signature happened to verify.
    """
    if signed.signer_key_id != public_key.key_id:
        raise SignatureError(
            f"statement is signed by {signed.signer_key_id}, expected {public_key.key_id}"
        )
    verify(public_key, domain, canonical_json(signed.statement), signed.signature)

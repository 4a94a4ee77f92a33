"""Encryption: HPKE wrap of the content key, and the STREAM chunked AEAD for the content.

Key wrap. Each bundle has one random 32-byte content key. For every recipient it is encrypted with
HPKE (RFC 9180) in base mode, single-shot, suite (KEM of the recipient's key, HKDF-SHA256,
ChaCha20-Poly1305), with ``info = b"ncen-bundle-v1" || SHA-256(header) || recipient key id (32
raw bytes)`` and an empty ``aad``. The wrapped key is ``enc || ciphertext``; binding the header
hash and the key id into ``info`` means a wrapped key cannot be moved to another bundle or to
another recipient entry.

Content. Each section (record set or attachment) is encrypted with AES-256-GCM under the content
key in the STREAM construction of Hoang, Reyhanitabar, Rogaway and Vizar (2015): the plaintext is
cut into 64 KiB chunks and chunk ``i`` uses the 12-byte nonce ``prefix (7 bytes: section index)
|| i (4 bytes, big-endian) || last-chunk flag (1 byte: 0x01 on the final chunk, else 0x00)``
with ``SHA-256(header)`` as associated data. Reordered, duplicated or altered chunks fail to
authenticate (`DecryptionError`); a stream cut at a chunk boundary fails because its last chunk
is not flagged as final (`TruncatedError`). Memory use is two chunks, whatever the size.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Protocol

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.bindings._rust import openssl as rust_openssl
from cryptography.hazmat.primitives import hpke
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from exchange.crypto.keys import (
    EncryptionKeyPair,
    EncryptionPublicKey,
    HpkePrivateKey,
    KemAlgorithm,
    check_key_id,
)
from exchange.errors import DecryptionError, FormatError, TruncatedError

CONTENT_KEY_LENGTH = 32
HPKE_KDF_ID = 0x0001  # HKDF-SHA256
HPKE_AEAD_ID = 0x0003  # ChaCha20-Poly1305: the one AEAD with official vectors for both KEMs
WRAP_INFO_PREFIX = b"ncen-bundle-v1"
CHUNK_SIZE = 64 * 1024
TAG_LENGTH = 16
NONCE_PREFIX_LENGTH = 7
MAX_CHUNKS = 2**32


class Readable(Protocol):
    """Anything with ``read(size)`` returning bytes (files, BytesIO, bounded views)."""

    def read(self, size: int = -1, /) -> bytes: ...


class Writable(Protocol):
    """Anything with ``write(data)`` (files, BytesIO, hashing sinks)."""

    def write(self, data: bytes, /) -> int: ...


def hpke_suite(kem: KemAlgorithm) -> hpke.Suite:
    """The protocol's HPKE suite for a recipient key of ``kem``."""
    return hpke.Suite(kem.hpke_kem, hpke.KDF.HKDF_SHA256, hpke.AEAD.CHACHA20_POLY1305)


def wrapped_key_length(kem: KemAlgorithm) -> int:
    """Length of ``enc || ciphertext`` for a 32-byte content key."""
    return kem.hpke_kem.enc_length() + CONTENT_KEY_LENGTH + TAG_LENGTH


def wrap_info(header_hash: bytes, recipient_key_id: str) -> bytes:
    """``b"ncen-bundle-v1" || header_hash (32 bytes) || recipient key id (32 raw bytes)``."""
    if len(header_hash) != 32:
        raise ValueError("header hash is a 32-byte SHA-256 digest")
    return WRAP_INFO_PREFIX + header_hash + bytes.fromhex(check_key_id(recipient_key_id))


def wrap_content_key(
    content_key: bytes, recipient: EncryptionPublicKey, header_hash: bytes
) -> bytes:
    """HPKE-seal ``content_key`` to ``recipient``; returns ``enc || ciphertext``."""
    if len(content_key) != CONTENT_KEY_LENGTH:
        raise ValueError("content key is 32 bytes")
    info = wrap_info(header_hash, recipient.key_id)
    return hpke_suite(recipient.algorithm).encrypt(content_key, recipient.to_crypto(), info)


def unwrap_content_key(wrapped: bytes, key_pair: EncryptionKeyPair, header_hash: bytes) -> bytes:
    """Recover the content key wrapped for ``key_pair``; raise `DecryptionError` on any failure."""
    if len(wrapped) != wrapped_key_length(key_pair.algorithm):
        raise DecryptionError(f"wrapped key is {len(wrapped)} bytes for {key_pair.algorithm}")
    info = wrap_info(header_hash, key_pair.public.key_id)
    content_key = hpke_open(key_pair.algorithm, key_pair.private_key(), wrapped, info)
    if len(content_key) != CONTENT_KEY_LENGTH:
        raise DecryptionError("unwrapped content key has the wrong length")
    return content_key


def hpke_open(
    kem: KemAlgorithm, private_key: HpkePrivateKey, wrapped: bytes, info: bytes, aad: bytes = b""
) -> bytes:
    """RFC 9180 single-shot base-mode Open with the protocol suite for ``kem``.

    The protocol always uses an empty ``aad``. A non-empty one exists so that the official RFC
    9180 vectors, which all carry one, run through this same function; ``cryptography`` exposes
    that variant only as ``_decrypt_with_aad`` (the function its own vector tests use).
    Raises `DecryptionError`.
    """
    suite = hpke_suite(kem)
    try:
        if aad:
            return rust_openssl.hpke._decrypt_with_aad(suite, wrapped, private_key, info, aad)
        return suite.decrypt(wrapped, private_key, info)
    except (InvalidTag, ValueError) as error:
        raise DecryptionError("HPKE key unwrap failed") from error


def nonce_prefix(section_index: int) -> bytes:
    """The 7-byte STREAM nonce prefix of a section: its index, big-endian."""
    return section_index.to_bytes(NONCE_PREFIX_LENGTH, "big")


def _nonce(prefix: bytes, counter: int, last: bool) -> bytes:
    if counter >= MAX_CHUNKS:
        raise FormatError("stream has more than 2**32 chunks")
    return prefix + counter.to_bytes(4, "big") + (b"\x01" if last else b"\x00")


def chunk_count(plaintext_size: int) -> int:
    """Number of chunks for a plaintext: at least one (an empty plaintext is one empty chunk)."""
    return max(1, -(-plaintext_size // CHUNK_SIZE))


def ciphertext_length(plaintext_size: int) -> int:
    """Exact encrypted length of a section: plaintext plus one 16-byte tag per chunk."""
    return plaintext_size + TAG_LENGTH * chunk_count(plaintext_size)


def read_up_to(source: Readable, size: int) -> bytes:
    """Read ``size`` bytes, fewer only at end of input (loops over short reads)."""
    data = source.read(size)
    if len(data) == size or not data:
        return data
    parts = [data]
    remaining = size - len(data)
    while remaining:
        more = source.read(remaining)
        if not more:
            break
        parts.append(more)
        remaining -= len(more)
    return b"".join(parts)


def encrypt_stream(
    source: Readable, sink: Writable, *, key: bytes, prefix: bytes, aad: bytes, size: int
) -> None:
    """Encrypt exactly ``size`` bytes of ``source`` into ``sink`` as STREAM chunks.

    Raises `FormatError` if ``source`` holds fewer or more than ``size`` bytes (a file that
    changed after its digest was taken).
    """
    aead = AESGCM(key)
    chunks = chunk_count(size)
    for counter in range(chunks):
        last = counter == chunks - 1
        want = size - counter * CHUNK_SIZE if last else CHUNK_SIZE
        data = read_up_to(source, want)
        if len(data) != want or (last and source.read(1)):
            raise FormatError("input changed size while it was being sealed")
        sink.write(aead.encrypt(_nonce(prefix, counter, last), data, aad))


@dataclass(frozen=True)
class StreamDigest:
    """What `decrypt_stream` saw: plaintext size and lowercase hex SHA-256."""

    size: int
    sha256: str


def decrypt_stream(
    source: Readable, sink: Writable, *, key: bytes, prefix: bytes, aad: bytes
) -> StreamDigest:
    """Decrypt STREAM chunks from ``source`` until its end, writing plaintext to ``sink``.

    ``source`` must end exactly where the stream ends (bundles pass a length-bounded view).
    Plaintext of a chunk is written only after that chunk authenticated, but a failure in a
    later chunk leaves earlier plaintext in ``sink``: callers discard ``sink`` on error.
    Raises `DecryptionError` (tampering, reordering, duplication, extension) or `TruncatedError`
    (no chunks, or the final chunk is missing).
    """
    aead = AESGCM(key)
    digest = hashlib.sha256()
    size = 0
    counter = 0
    current = read_up_to(source, CHUNK_SIZE + TAG_LENGTH)
    if not current:
        raise TruncatedError("encrypted stream is empty")
    while True:
        following = read_up_to(source, CHUNK_SIZE + TAG_LENGTH)
        last = not following
        try:
            plaintext = aead.decrypt(_nonce(prefix, counter, last), current, aad)
        except InvalidTag as error:
            if last and _authenticates(aead, _nonce(prefix, counter, False), current, aad):
                raise TruncatedError(
                    f"stream ends after chunk {counter} without its final chunk"
                ) from error
            raise DecryptionError(f"chunk {counter} does not authenticate") from error
        sink.write(plaintext)
        digest.update(plaintext)
        size += len(plaintext)
        if last:
            return StreamDigest(size, digest.hexdigest())
        counter += 1
        current = following


def _authenticates(aead: AESGCM, nonce: bytes, data: bytes, aad: bytes) -> bool:
    try:
        aead.decrypt(nonce, data, aad)
    except InvalidTag:
        return False
    return True

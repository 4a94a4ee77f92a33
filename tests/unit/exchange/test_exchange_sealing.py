"""HPKE key wrap bindings and the STREAM chunked AEAD on its own."""

from __future__ import annotations

import hashlib
import io
import secrets

import pytest
from exchange_testkit import KEY_END, T0
from hypothesis import given, settings
from hypothesis import strategies as st

from exchange.crypto.keys import KemAlgorithm, generate_identity
from exchange.crypto.sealing import (
    CHUNK_SIZE,
    TAG_LENGTH,
    ciphertext_length,
    decrypt_stream,
    encrypt_stream,
    nonce_prefix,
    unwrap_content_key,
    wrap_content_key,
    wrapped_key_length,
)
from exchange.errors import DecryptionError, TruncatedError

KEY = bytes(range(32))
AAD = hashlib.sha256(b"header").digest()
SIZES = [0, 1, CHUNK_SIZE - 1, CHUNK_SIZE, CHUNK_SIZE + 1, 3 * CHUNK_SIZE + 17]


def _seal(plaintext: bytes, prefix: bytes = nonce_prefix(1)) -> bytes:
    sink = io.BytesIO()
    encrypt_stream(
        io.BytesIO(plaintext), sink, key=KEY, prefix=prefix, aad=AAD, size=len(plaintext)
    )
    return sink.getvalue()


def _open(ciphertext: bytes, prefix: bytes = nonce_prefix(1), aad: bytes = AAD) -> bytes:
    sink = io.BytesIO()
    digest = decrypt_stream(io.BytesIO(ciphertext), sink, key=KEY, prefix=prefix, aad=aad)
    assert digest.sha256 == hashlib.sha256(sink.getvalue()).hexdigest()
    return sink.getvalue()


def _chunks(ciphertext: bytes) -> list[bytes]:
    step = CHUNK_SIZE + TAG_LENGTH
    return [ciphertext[i : i + step] for i in range(0, len(ciphertext), step)]


@pytest.mark.parametrize("kem", list(KemAlgorithm))
def test_wrap_binds_the_header_hash_and_the_recipient(kem: KemAlgorithm) -> None:
    alice = generate_identity("de", not_before=T0, not_after=KEY_END, kem=kem)
    bob = generate_identity("it", not_before=T0, not_after=KEY_END, kem=kem)
    key_pair = alice.current_encryption_key
    content_key = secrets.token_bytes(32)
    wrapped = wrap_content_key(content_key, key_pair.public, AAD)
    assert len(wrapped) == wrapped_key_length(kem)
    assert unwrap_content_key(wrapped, key_pair, AAD) == content_key
    with pytest.raises(DecryptionError):  # moved to another bundle
        unwrap_content_key(wrapped, key_pair, hashlib.sha256(b"other").digest())
    with pytest.raises(DecryptionError):  # presented to another recipient
        unwrap_content_key(wrapped, bob.current_encryption_key, AAD)
    with pytest.raises(DecryptionError):
        unwrap_content_key(wrapped[:-1], key_pair, AAD)


@pytest.mark.parametrize("size", SIZES)
def test_stream_round_trip_and_length(size: int) -> None:
    plaintext = secrets.token_bytes(size)
    ciphertext = _seal(plaintext)
    assert len(ciphertext) == ciphertext_length(size)
    assert _open(ciphertext) == plaintext


@settings(max_examples=30, deadline=None)
@given(st.integers(0, 3 * CHUNK_SIZE), st.data())
def test_stream_detects_truncation_at_any_chunk_boundary(size: int, data: st.DataObject) -> None:
    chunks = _chunks(_seal(bytes(size)))
    keep = data.draw(st.integers(0, len(chunks) - 1))
    with pytest.raises(TruncatedError):
        _open(b"".join(chunks[:keep]))


def test_stream_detects_reordering_duplication_extension_and_tampering() -> None:
    chunks = _chunks(_seal(secrets.token_bytes(3 * CHUNK_SIZE + 5)))
    reordered = [chunks[1], chunks[0], *chunks[2:]]
    duplicated = [chunks[0], chunks[0], *chunks[1:]]
    replaced = [chunks[0], chunks[0], *chunks[2:]]
    extended = [*chunks, chunks[-1]]
    flipped = bytearray(b"".join(chunks))
    flipped[CHUNK_SIZE + 100] ^= 0x80
    for variant in (reordered, duplicated, replaced, extended):
        with pytest.raises(DecryptionError):
            _open(b"".join(variant))
    with pytest.raises(DecryptionError):
        _open(bytes(flipped))


def test_stream_is_bound_to_section_and_header() -> None:
    ciphertext = _seal(b"records")
    with pytest.raises(DecryptionError):
        _open(ciphertext, prefix=nonce_prefix(2))
    with pytest.raises(DecryptionError):
        _open(ciphertext, aad=hashlib.sha256(b"other header").digest())


def test_empty_stream_is_truncated() -> None:
    with pytest.raises(TruncatedError):
        _open(b"")

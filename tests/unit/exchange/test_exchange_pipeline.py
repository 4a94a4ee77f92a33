"""The threaded STREAM pipeline: streams of several 1 MiB batches, with and without tampering."""

from __future__ import annotations

import hashlib
import io
import secrets
import threading

import pytest

from exchange.crypto.pipeline import Pipeline, read_into
from exchange.crypto.sealing import (
    BATCH_CHUNKS,
    CHUNK_SIZE,
    TAG_LENGTH,
    ciphertext_length,
    decrypt_stream,
    encrypt_stream,
    nonce_prefix,
)
from exchange.errors import DecryptionError, FormatError, TruncatedError

KEY = bytes(range(32))
AAD = hashlib.sha256(b"header").digest()
BATCH = BATCH_CHUNKS * CHUNK_SIZE
STEP = CHUNK_SIZE + TAG_LENGTH
# Around every batch boundary, where the reads, the look-ahead and the worker hand-off change.
SIZES = [BATCH - 1, BATCH, BATCH + 1, 2 * BATCH, 2 * BATCH + CHUNK_SIZE + 5, 3 * BATCH - 7]


def _seal(plaintext: bytes) -> bytes:
    sink = io.BytesIO()
    encrypt_stream(
        io.BytesIO(plaintext), sink, key=KEY, prefix=nonce_prefix(2), aad=AAD, size=len(plaintext)
    )
    return sink.getvalue()


def _open(ciphertext: bytes) -> tuple[bytes, str]:
    sink = io.BytesIO()
    digest = decrypt_stream(io.BytesIO(ciphertext), sink, key=KEY, prefix=nonce_prefix(2), aad=AAD)
    assert digest.size == len(sink.getvalue())
    return sink.getvalue(), digest.sha256


@pytest.mark.parametrize("size", SIZES)
def test_multi_batch_round_trip_matches_a_one_chunk_at_a_time_reference(size: int) -> None:
    plaintext = secrets.token_bytes(size)
    ciphertext = _seal(plaintext)
    assert len(ciphertext) == ciphertext_length(size)
    # The same bytes as chunk-by-chunk AES-GCM with the section 10 nonces (format unchanged).
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    aead = AESGCM(KEY)
    chunks = max(1, -(-size // CHUNK_SIZE))
    expected = b"".join(
        aead.encrypt(
            nonce_prefix(2) + i.to_bytes(4, "big") + (b"\x01" if i == chunks - 1 else b"\x00"),
            plaintext[i * CHUNK_SIZE : (i + 1) * CHUNK_SIZE],
            AAD,
        )
        for i in range(chunks)
    )
    assert ciphertext == expected
    opened, sha256 = _open(ciphertext)
    assert opened == plaintext
    assert sha256 == hashlib.sha256(plaintext).hexdigest()


@pytest.mark.parametrize("chunk", [0, BATCH_CHUNKS - 1, BATCH_CHUNKS, 2 * BATCH_CHUNKS + 1])
def test_a_tampered_chunk_in_any_batch_fails(chunk: int) -> None:
    ciphertext = bytearray(_seal(secrets.token_bytes(2 * BATCH + CHUNK_SIZE + 5)))
    ciphertext[chunk * STEP + 7] ^= 1
    with pytest.raises(DecryptionError):
        _open(bytes(ciphertext))


@pytest.mark.parametrize("chunks", [BATCH_CHUNKS, BATCH_CHUNKS + 1, 2 * BATCH_CHUNKS])
def test_a_stream_cut_at_a_batch_or_chunk_boundary_is_truncated(chunks: int) -> None:
    ciphertext = _seal(secrets.token_bytes(3 * BATCH))
    with pytest.raises(TruncatedError):
        _open(ciphertext[: chunks * STEP])


def test_a_source_that_grows_or_shrinks_while_sealing_is_refused() -> None:
    data = secrets.token_bytes(2 * BATCH)
    for source, size in ((data, len(data) - 1), (data[:-1], len(data))):
        with pytest.raises(FormatError):
            encrypt_stream(
                io.BytesIO(source),
                io.BytesIO(),
                key=KEY,
                prefix=nonce_prefix(0),
                aad=AAD,
                size=size,
            )


def test_a_failing_sink_surfaces_in_the_caller_and_stops_the_worker() -> None:
    class Full(io.BytesIO):
        def write(self, data: object, /) -> int:
            if self.tell() > BATCH:
                raise OSError(28, "No space left on device")
            return super().write(data)  # type: ignore[arg-type]

    before = threading.active_count()
    with pytest.raises(OSError, match="No space"):
        encrypt_stream(
            io.BytesIO(bytes(4 * BATCH)),
            Full(),
            key=KEY,
            prefix=nonce_prefix(0),
            aad=AAD,
            size=4 * BATCH,
        )
    assert threading.active_count() == before


def test_pipeline_consumes_in_order_with_bounded_buffers() -> None:
    seen: list[bytes] = []
    with Pipeline(lambda view: seen.append(bytes(view)), buffer_size=4, depth=2) as pipe:
        for value in range(50):
            buffer = pipe.buffer()
            buffer[:2] = value.to_bytes(2, "big")
            pipe.submit(buffer, 2)
        assert pipe._allocated <= 2
    assert seen == [value.to_bytes(2, "big") for value in range(50)]


def test_read_into_loops_over_short_reads_and_plain_read_sources() -> None:
    class Trickle:
        def __init__(self, data: bytes) -> None:
            self._data = data

        def read(self, size: int = -1, /) -> bytes:
            take = min(3, size)
            piece, self._data = self._data[:take], self._data[take:]
            return piece

    target = bytearray(10)
    assert read_into(Trickle(b"abcdefghijkl"), memoryview(target)) == 10
    assert target == b"abcdefghij"
    assert read_into(Trickle(b"ab"), memoryview(target)) == 2

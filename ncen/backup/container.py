"""The encrypted container of a backup: a passphrase, scrypt, and AES-256-GCM in chunks.

Layout (integers unsigned big-endian; ``HEADER_LENGTH`` = 66 bytes before the first chunk)::

    magic "NCENBKUP" (8) | version u16 = 1 | KDF id u8 = 1 (scrypt) | log2 N u8 | r u8 | p u8
    | chunk size u32 | salt (16) | key check (32)
    | chunk 0 | chunk 1 | ... | chunk k (the last)

Key derivation: ``scrypt(passphrase, salt, N, r, p)`` gives 64 bytes. The first 32 are the
AES-256-GCM key; the last 32 are stored as the *key check*, so that a wrong passphrase is told
apart from a damaged archive before anything is decrypted (it reveals nothing about the first
32 bytes, and lets a guesser test a passphrase exactly as the first chunk's tag would). The salt
is random per archive, so every archive has its own key.

Chunks: the plaintext is cut into ``chunk size`` pieces (64 KiB). Chunk ``i`` is
``AES-256-GCM(key, nonce = 0x00000000 || i (u64), plaintext, aad = header || i (u64) || last)``
where ``last`` is one byte, 0x01 on the final chunk and 0x00 otherwise; its ciphertext is the
piece plus a 16-byte tag. Every chunk but the last is full; the last holds 0 to ``chunk size``
bytes and is always present. This is the STREAM construction (Hoang, Reyhanitabar, Rogaway and
Vizar, 2015): the header is authenticated by every chunk, reordered or altered chunks do not
authenticate, and an archive cut anywhere lacks a final-flagged last chunk, so truncation is
detected. Memory use is about two chunks whatever the archive size.

Only well-kept primitives from ``cryptography`` are used; nothing here is home-made beyond the
framing. ``ncen`` may not import ``exchange``, whose bundle sections use the same construction
with a different key schedule, so the few lines of framing live here again.
"""

from __future__ import annotations

import hmac
import os
import struct
from dataclasses import dataclass
from typing import Final, Protocol

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

from ncen.backup.errors import (
    AlteredBackupError,
    NotABackupError,
    TruncatedBackupError,
    WrongPassphraseError,
)

MAGIC: Final = b"NCENBKUP"
VERSION: Final = 1
KDF_SCRYPT: Final = 1
SALT_LENGTH: Final = 16
KEY_CHECK_LENGTH: Final = 32
TAG_LENGTH: Final = 16
CHUNK_SIZE: Final = 64 * 1024
_FIXED: Final = struct.Struct(">8sHBBBBI")
HEADER_LENGTH: Final = _FIXED.size + SALT_LENGTH + KEY_CHECK_LENGTH
SALT_OFFSET: Final = _FIXED.size
# Bounds a reader enforces on parameters taken from an (unauthenticated) header, so that a
# crafted file cannot make it allocate gigabytes before the passphrase is even checked.
MAX_KDF_MEMORY: Final = 1 << 30
MAX_CHUNK_SIZE: Final = 16 * 1024 * 1024


class Readable(Protocol):
    """Anything with ``read(size)`` returning bytes."""

    def read(self, size: int = -1, /) -> bytes: ...


class Writable(Protocol):
    """Anything with ``write(data)``."""

    def write(self, data: bytes, /) -> int: ...


@dataclass(frozen=True)
class KdfParams:
    """scrypt cost parameters. The default costs 128 MiB and about half a second per use."""

    log2_n: int = 17
    r: int = 8
    p: int = 1

    def check(self) -> None:
        """Raise `NotABackupError` for parameters outside the bounds a reader accepts."""
        if not (1 <= self.log2_n <= 30 and 1 <= self.r <= 64 and 1 <= self.p <= 16):
            raise NotABackupError("the archive header holds impossible scrypt parameters")
        if 128 * self.r * (1 << self.log2_n) > MAX_KDF_MEMORY:
            raise NotABackupError("the archive header asks for more than 1 GiB of scrypt memory")

    def derive(self, passphrase: bytes, salt: bytes) -> tuple[bytes, bytes]:
        """``(AES key, key check)`` for ``passphrase`` and ``salt``."""
        out = Scrypt(salt=salt, length=64, n=1 << self.log2_n, r=self.r, p=self.p).derive(
            passphrase
        )
        return out[:32], out[32:]


def _nonce(index: int) -> bytes:
    return b"\x00\x00\x00\x00" + index.to_bytes(8, "big")


def _aad(header: bytes, index: int, last: bool) -> bytes:
    return header + index.to_bytes(8, "big") + (b"\x01" if last else b"\x00")


class EncryptingWriter:
    """Encrypts everything written to it into ``sink``; `close` writes the final chunk.

    The header is written at once. Without `close` the archive is truncated (and refused).
    """

    def __init__(
        self,
        sink: Writable,
        passphrase: bytes,
        *,
        params: KdfParams | None = None,
        chunk_size: int = CHUNK_SIZE,
    ) -> None:
        params = params or KdfParams()
        params.check()
        salt = os.urandom(SALT_LENGTH)
        key, check = params.derive(passphrase, salt)
        fixed = _FIXED.pack(
            MAGIC, VERSION, KDF_SCRYPT, params.log2_n, params.r, params.p, chunk_size
        )
        self._header = fixed + salt + check
        self._aead = AESGCM(key)
        self._sink = sink
        self._chunk_size = chunk_size
        self._buffer = bytearray()
        self._index = 0
        self._closed = False
        self.bytes_written = len(self._header)
        sink.write(self._header)

    def _emit(self, piece: bytes, *, last: bool) -> None:
        sealed = self._aead.encrypt(
            _nonce(self._index), piece, _aad(self._header, self._index, last)
        )
        self._sink.write(sealed)
        self.bytes_written += len(sealed)
        self._index += 1

    def write(self, data: bytes, /) -> int:
        """Buffer ``data``; emit every full chunk except one (the last must stay unknown)."""
        if self._closed:
            raise ValueError("write to a closed backup archive")
        self._buffer += data
        size = self._chunk_size
        # Strictly more than one chunk buffered: the chunk emitted now is certainly not the last.
        while len(self._buffer) > size:
            self._emit(bytes(self._buffer[:size]), last=False)
            del self._buffer[:size]
        return len(data)

    def flush(self) -> None:
        """Nothing to do (chunks are written as soon as they are known not to be the last)."""

    def close(self) -> None:
        """Write the final chunk (0 to ``chunk size`` bytes, flagged last). Idempotent."""
        if self._closed:
            return
        self._emit(bytes(self._buffer), last=True)
        self._buffer.clear()
        self._closed = True


def read_header(source: Readable) -> tuple[bytes, KdfParams, int, bytes, bytes]:
    """Read and check the header: ``(header bytes, params, chunk size, salt, key check)``.

    Raises `NotABackupError` or `TruncatedBackupError`.
    """
    header = source.read(HEADER_LENGTH)
    if len(header) < len(MAGIC) or header[: len(MAGIC)] != MAGIC:
        if MAGIC.startswith(header):
            raise TruncatedBackupError("the archive is truncated: it ends inside its header")
        raise NotABackupError("this file is not an ncen backup (wrong magic bytes)")
    if len(header) < HEADER_LENGTH:
        raise TruncatedBackupError("the archive is truncated: it ends inside its header")
    _magic, version, kdf, log2_n, r, p, chunk_size = _FIXED.unpack_from(header)
    if version != VERSION:
        raise NotABackupError(
            f"this backup has format version {version}; this ncen reads version {VERSION}"
        )
    if kdf != KDF_SCRYPT:
        raise NotABackupError(f"unknown key derivation {kdf} in the archive header")
    if not 1 <= chunk_size <= MAX_CHUNK_SIZE:
        raise NotABackupError("the archive header holds an impossible chunk size")
    params = KdfParams(log2_n, r, p)
    params.check()
    salt = header[SALT_OFFSET : SALT_OFFSET + SALT_LENGTH]
    check = header[SALT_OFFSET + SALT_LENGTH :]
    return header, params, chunk_size, salt, check


class DecryptingReader:
    """Reads the plaintext of an archive, authenticating every chunk before returning it.

    The header and passphrase are checked on construction (`NotABackupError`,
    `TruncatedBackupError`, `WrongPassphraseError`). `read` raises `AlteredBackupError` for a
    chunk that does not authenticate and `TruncatedBackupError` when the file ends without a
    final chunk; bytes are only returned from chunks that authenticated. Reading to the end
    (``read`` returning ``b""``) proves the archive complete.
    """

    def __init__(self, source: Readable, passphrase: bytes) -> None:
        header, params, chunk_size, salt, check = read_header(source)
        key, expected = params.derive(passphrase, salt)
        if not hmac.compare_digest(check, expected):
            raise WrongPassphraseError(
                "wrong passphrase (or the archive header is damaged): nothing was decrypted"
            )
        self._header = header
        self._aead = AESGCM(key)
        self._source = source
        self._sealed_size = chunk_size + TAG_LENGTH
        self._carry = b""
        self._index = 0
        self._done = False
        self._plain = bytearray()

    def _next_chunk(self) -> bytes:
        wanted = self._sealed_size + 1 - len(self._carry)
        data = self._carry + _read_fully(self._source, wanted)
        at_end = len(data) <= self._sealed_size
        sealed, self._carry = (data, b"") if at_end else (data[:-1], data[-1:])
        index = self._index
        if len(sealed) < TAG_LENGTH:
            raise TruncatedBackupError(
                f"the archive is truncated: it ends inside chunk {index} (or before its last "
                "chunk); it may not have been written completely"
            )
        try:
            piece = self._aead.decrypt(_nonce(index), sealed, _aad(self._header, index, at_end))
        except InvalidTag as error:
            if at_end and len(sealed) == self._sealed_size and self._opens_as_middle(sealed):
                raise TruncatedBackupError(
                    f"the archive is truncated after chunk {index}: its final chunk is missing"
                ) from error
            where = "the last chunk" if at_end else f"chunk {index}"
            raise AlteredBackupError(
                f"the archive is truncated or altered: {where} does not authenticate"
                if at_end
                else f"the archive was altered or damaged: {where} does not authenticate"
            ) from error
        self._index += 1
        self._done = at_end
        return piece

    def _opens_as_middle(self, sealed: bytes) -> bool:
        try:
            self._aead.decrypt(
                _nonce(self._index), sealed, _aad(self._header, self._index, last=False)
            )
        except InvalidTag:
            return False
        return True

    def read(self, size: int = -1, /) -> bytes:
        """Up to ``size`` authenticated plaintext bytes (all of the rest if negative)."""
        while (size < 0 or len(self._plain) < size) and not self._done:
            self._plain += self._next_chunk()
        if size < 0:
            size = len(self._plain)
        out = bytes(self._plain[:size])
        del self._plain[:size]
        return out

    def drain(self) -> None:
        """Read and authenticate whatever is left; afterwards the whole archive is proven."""
        while not self._done:
            self._next_chunk()
        self._plain.clear()


def _read_fully(source: Readable, size: int) -> bytes:
    """Read exactly ``size`` bytes unless the source ends first (pipes return short reads)."""
    parts: list[bytes] = []
    remaining = size
    while remaining > 0:
        data = source.read(remaining)
        if not data:
            break
        parts.append(data)
        remaining -= len(data)
    return b"".join(parts)

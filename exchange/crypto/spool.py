"""Encrypted spool files: where an opened bundle's attachments (pictures in clear) wait for import.

Opening a bundle decrypts its attachments before the records that use them are imported, and an
attachment may be larger than we want to hold in memory, so it goes to a file. A process killed
at that moment (SIGKILL, power loss) never runs its clean-up: its scratch folder is removed at
the node's next start (`exchange.network.scratch`), but until then the file stays on disk. So
the file never holds the plaintext: `SpoolWriter` encrypts what it is given under a random
256-bit key that exists only in this process's memory (`SpoolKey`), and `open_spool` decrypts
it again while it is read. When the process dies, the key dies with it and a stranded spool file
is noise; nothing is ever written that could recover it.

Format (private to this process; nothing else ever reads it): a sequence of records, each a
4-byte big-endian plaintext length ``n`` followed by ``n + 16`` bytes of AES-256-GCM ciphertext
of that plaintext; record ``i`` uses the 12-byte nonce ``i`` (big-endian). The last record is
always empty (``n = 0``) and marks the end, so a file cut short (or extended) is refused.
Every record authenticates against the key, which is fresh per spool file, so records cannot
be reordered, dropped or moved between files without `DecryptionError`.
"""

from __future__ import annotations

import io
import os
import secrets
import struct
from pathlib import Path
from types import TracebackType
from typing import BinaryIO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from exchange.crypto.pipeline import Pipeline
from exchange.errors import DecryptionError, TruncatedError

_LENGTH = struct.Struct(">I")
_TAG = 16
_NONCE = 12
# Larger writes are cut into records of this size (bounded buffers on both sides).
MAX_RECORD = 1024 * 1024


class SpoolKey:
    """A random AES-256-GCM key held only in memory, for the spool files of one open."""

    def __init__(self) -> None:
        self._aead = AESGCM(secrets.token_bytes(32))

    def __repr__(self) -> str:
        return "SpoolKey(<in memory only>)"

    @property
    def aead(self) -> AESGCM:
        """The cipher (never the key bytes: they are not exposed)."""
        return self._aead


def _nonce(counter: int) -> bytes:
    return counter.to_bytes(_NONCE, "big")


class SpoolWriter:
    """A write-only binary sink that encrypts into ``path`` (created owner-only, exclusively).

    `write` accepts bytes or memoryviews of any size; `close` writes the end record and must
    be called for the file to read back (an unclosed spool reads as truncated).
    """

    def __init__(self, path: Path, key: SpoolKey) -> None:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        self._file = open(descriptor, "wb", buffering=0)  # noqa: SIM115 - closed in close()
        self._aead = key.aead
        self._counter = 0
        # Writing new pages costs as much CPU as SHA-256 on some machines (tmpfs, VMs): the
        # writes go to a worker thread while the caller decrypts and encrypts the next record.
        self._writing = Pipeline(self._write_all, _LENGTH.size + MAX_RECORD + _TAG)
        self.size = 0

    def write(self, data: bytes | memoryview, /) -> int:
        """Encrypt and append ``data``; returns its length."""
        view = memoryview(data).cast("B")
        for start in range(0, len(view), MAX_RECORD):
            self._record(view[start : start + MAX_RECORD])
        self.size += len(view)
        return len(view)

    def _record(self, plain: memoryview) -> None:
        buffer = self._writing.buffer()
        end = _LENGTH.size + len(plain) + _TAG
        with memoryview(buffer) as out:
            _LENGTH.pack_into(out, 0, len(plain))
            self._aead.encrypt_into(_nonce(self._counter), plain, None, out[_LENGTH.size : end])
        self._counter += 1
        self._writing.submit(buffer, end)

    def _write_all(self, data: memoryview) -> None:
        while data:
            data = data[self._file.write(data) or 0 :]

    def close(self) -> None:
        """Write the end record, wait for every write, and close the file."""
        if not self._file.closed:
            self._record(memoryview(b""))
            self._writing.close()
            self._file.close()

    def __enter__(self) -> SpoolWriter:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        # On error too: stop the writer, then close; without its end record the spool reads as
        # truncated.
        try:
            self._writing.__exit__(kind, error, trace)
        finally:
            self._file.close()


class _SpoolReader(io.RawIOBase):
    """Decrypts a spool file record by record (see the module docstring)."""

    def __init__(self, path: Path, key: SpoolKey) -> None:
        super().__init__()
        self._file = path.open("rb")
        self._aead = key.aead
        self._counter = 0
        self._plain = memoryview(b"")
        self._offset = 0
        self._ended = False

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview | bytearray) -> int:  # type: ignore[override]
        while self._offset == len(self._plain):
            if self._ended:
                return 0
            self._next_record()
        count = min(len(buffer), len(self._plain) - self._offset)
        buffer[:count] = self._plain[self._offset : self._offset + count]
        self._offset += count
        return count

    def _next_record(self) -> None:
        head = self._file.read(_LENGTH.size)
        if len(head) != _LENGTH.size:
            raise TruncatedError("spool file ends before its end record")
        (length,) = _LENGTH.unpack(head)
        if length > MAX_RECORD:
            raise DecryptionError("spool record is longer than the maximum")
        sealed = self._file.read(length + _TAG)
        if len(sealed) != length + _TAG:
            raise TruncatedError("spool file ends inside a record")
        try:
            self._plain = memoryview(self._aead.decrypt(_nonce(self._counter), sealed, None))
        except InvalidTag as error:
            raise DecryptionError(f"spool record {self._counter} does not authenticate") from error
        self._counter += 1
        self._offset = 0
        if length == 0:
            self._ended = True
            if self._file.read(1):
                raise DecryptionError("data after the spool's end record")

    def close(self) -> None:
        self._file.close()
        super().close()


def open_spool(path: Path, key: SpoolKey) -> BinaryIO:
    """A buffered binary reader of the plaintext of the spool file at ``path``.

    Raises `DecryptionError` (wrong key, altered or reordered records) or `TruncatedError` (cut
    short) while reading.
    """
    return io.BufferedReader(_SpoolReader(path, key), buffer_size=MAX_RECORD)

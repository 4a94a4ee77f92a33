"""The encrypted container of backups (`ncen.backup.container`), with cheap scrypt parameters.

Round trips at every interesting length, and every way an archive can be damaged: cut at and
between chunk boundaries, chunks swapped, a bit flipped anywhere, data appended, a wrong
passphrase, crafted parameters. One test reads an archive with nothing but the documented
layout, `hashlib.scrypt` and AES-GCM, so the module docstring is proven to describe the format.
"""

from __future__ import annotations

import hashlib
import io
import struct

import pytest
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from ncen.backup.container import (
    HEADER_LENGTH,
    SALT_OFFSET,
    TAG_LENGTH,
    DecryptingReader,
    EncryptingWriter,
    KdfParams,
)
from ncen.backup.errors import (
    AlteredBackupError,
    BackupError,
    NotABackupError,
    TruncatedBackupError,
    WrongPassphraseError,
)

CHEAP = KdfParams(log2_n=10, r=8, p=1)
CHUNK = 32
SEALED = CHUNK + TAG_LENGTH
PASSPHRASE = b"a passphrase for tests"


def seal(plaintext: bytes, *, writes: int = 1) -> bytes:
    sink = io.BytesIO()
    writer = EncryptingWriter(sink, PASSPHRASE, params=CHEAP, chunk_size=CHUNK)
    step = max(1, len(plaintext) // writes)
    for start in range(0, len(plaintext), step):
        writer.write(plaintext[start : start + step])
    writer.close()
    return sink.getvalue()


def open_all(archive: bytes, passphrase: bytes = PASSPHRASE) -> bytes:
    reader = DecryptingReader(io.BytesIO(archive), passphrase)
    out = b""
    while chunk := reader.read(7):
        out += chunk
    return out


@pytest.mark.parametrize("length", [0, 1, CHUNK - 1, CHUNK, CHUNK + 1, 3 * CHUNK, 3 * CHUNK + 5])
@pytest.mark.parametrize("writes", [1, 3])
def test_round_trip(length, writes):
    plaintext = bytes(range(256)) * 2
    plaintext = plaintext[:length]
    archive = seal(plaintext, writes=writes)
    chunks = max(1, -(-length // CHUNK))
    assert len(archive) == HEADER_LENGTH + length + chunks * TAG_LENGTH
    assert open_all(archive) == plaintext


def test_every_cut_is_refused():
    archive = seal(bytes(5 * CHUNK))
    for cut in range(len(archive)):
        with pytest.raises((TruncatedBackupError, AlteredBackupError)) as caught:
            open_all(archive[:cut])
        assert "truncated" in str(caught.value)
        if cut >= HEADER_LENGTH and (cut - HEADER_LENGTH) % SEALED == 0 and cut > HEADER_LENGTH:
            # Cut exactly after a chunk: told apart as a missing final chunk.
            assert isinstance(caught.value, TruncatedBackupError)


def test_every_flipped_bit_is_refused():
    archive = seal(bytes(range(100)))
    for at in range(len(archive)):
        damaged = bytearray(archive)
        damaged[at] ^= 0x04
        with pytest.raises(BackupError):
            open_all(bytes(damaged))


def test_swapped_chunks_are_refused():
    archive = seal(bytes(range(3 * CHUNK)) + b"end")
    body = archive[HEADER_LENGTH:]
    first, second = body[:SEALED], body[SEALED : 2 * SEALED]
    swapped = archive[:HEADER_LENGTH] + second + first + body[2 * SEALED :]
    with pytest.raises(AlteredBackupError, match="chunk 0 does not authenticate"):
        open_all(swapped)


@pytest.mark.parametrize("extra", [b"\x00", b"x" * SEALED])
def test_appended_data_is_refused(extra):
    with pytest.raises(AlteredBackupError):
        open_all(seal(b"payload") + extra)


def test_wrong_passphrase_is_told_apart_before_decrypting():
    with pytest.raises(WrongPassphraseError, match="wrong passphrase"):
        DecryptingReader(io.BytesIO(seal(b"x")), b"another passphrase")


def test_not_a_backup():
    with pytest.raises(NotABackupError, match="not an ncen backup"):
        DecryptingReader(io.BytesIO(b"%PDF-1.7" + bytes(100)), PASSPHRASE)


def test_crafted_kdf_cost_is_refused_before_deriving():
    archive = bytearray(seal(b"x"))
    archive[11] = 30  # log2 N = 30 with r = 8: 128 GiB of scrypt memory
    with pytest.raises(NotABackupError, match="1 GiB"):
        DecryptingReader(io.BytesIO(bytes(archive)), PASSPHRASE)


def test_format_matches_its_documentation():
    """Open an archive with the documented layout and independent primitives only."""
    plaintext = b"documented " * 9
    archive = seal(plaintext)
    header = archive[:HEADER_LENGTH]
    magic, version, kdf, log2_n, r, p, chunk_size = struct.unpack(">8sHBBBBI", header[:18])
    assert (magic, version, kdf, chunk_size) == (b"NCENBKUP", 1, 1, CHUNK)
    salt = header[SALT_OFFSET : SALT_OFFSET + 16]
    derived = hashlib.scrypt(PASSPHRASE, salt=salt, n=1 << log2_n, r=r, p=p, dklen=64)
    assert header[SALT_OFFSET + 16 :] == derived[32:]
    aead = AESGCM(derived[:32])
    body, out, index = archive[HEADER_LENGTH:], b"", 0
    while body:
        sealed, body = body[:SEALED], body[SEALED:]
        last = b"\x01" if not body else b"\x00"
        nonce = bytes(4) + index.to_bytes(8, "big")
        out += aead.decrypt(nonce, sealed, header + index.to_bytes(8, "big") + last)
        index += 1
    assert out == plaintext

"""Decrypted attachments never reach the disk in clear: the spool files of an opened bundle are
encrypted under a key held only in memory, read back intact, refuse tampering and truncation,
and a process killed (SIGKILL) while they exist strands only ciphertext."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from exchange_testkit import Network

from exchange.crypto.spool import MAX_RECORD, SpoolKey, SpoolWriter, open_spool
from exchange.errors import DecryptionError, TruncatedError

# A marker that any plaintext copy of the picture contains, many times over.
MARKER = b"NCEN-PLAINTEXT-PICTURE-MARKER\xff\xd8"
PICTURE = MARKER * 40_000  # ~1.2 MiB: more than one spool record and one STREAM batch


def _spool(path: Path, key: SpoolKey, *parts: bytes) -> None:
    with SpoolWriter(path, key) as writer:
        for part in parts:
            writer.write(part)
        writer.close()


def test_spool_round_trip_in_pieces_of_any_size(tmp_path: Path) -> None:
    key = SpoolKey()
    parts = [b"", b"a", os.urandom(MAX_RECORD + 3), b"tail" * 1000]
    _spool(tmp_path / "s", key, *parts)
    with open_spool(tmp_path / "s", key) as reader:
        assert reader.read(1) == b"a"
        assert reader.read() == b"".join(parts)[1:]
    assert (tmp_path / "s").stat().st_mode & 0o777 == 0o600
    assert b"tail" not in (tmp_path / "s").read_bytes()


def test_spool_refuses_another_key_tampering_and_truncation(tmp_path: Path) -> None:
    key = SpoolKey()
    _spool(tmp_path / "s", key, b"x" * 100_000, b"y" * 10)
    data = (tmp_path / "s").read_bytes()
    with pytest.raises(DecryptionError), open_spool(tmp_path / "s", SpoolKey()) as reader:
        reader.read()
    (tmp_path / "t").write_bytes(data[:50] + bytes([data[50] ^ 1]) + data[51:])
    with pytest.raises(DecryptionError), open_spool(tmp_path / "t", key) as reader:
        reader.read()
    # Cut after a whole record: the end record is missing.
    (tmp_path / "u").write_bytes(data[: 4 + 100_000 + 16])
    with pytest.raises(TruncatedError), open_spool(tmp_path / "u", key) as reader:
        reader.read()
    (tmp_path / "v").write_bytes(data + b"junk")
    with pytest.raises(DecryptionError), open_spool(tmp_path / "v", key) as reader:
        reader.read()


def test_an_unclosed_spool_reads_as_truncated(tmp_path: Path) -> None:
    key = SpoolKey()
    with SpoolWriter(tmp_path / "s", key) as writer:
        writer.write(b"z" * 1000)
    with pytest.raises(TruncatedError), open_spool(tmp_path / "s", key) as reader:
        reader.read()


def test_opened_attachments_are_encrypted_on_disk_and_read_back(net: Network) -> None:
    opened = net.open("de", net.seal("fr", to=["de"], attachments=[PICTURE]))
    (attachment,) = opened.attachments
    assert attachment.read_bytes() == PICTURE
    on_disk = attachment.path.read_bytes()
    assert MARKER not in on_disk
    assert len(on_disk) >= len(PICTURE)
    assert "key" not in repr(attachment).lower().replace("spoolkey", "")


_CHILD = textwrap.dedent(
    """
    import os, signal, sys
    from pathlib import Path
    sys.path.insert(0, sys.argv[1])
    from exchange_testkit import Network
    from test_exchange_spool import PICTURE
    net = Network(Path(sys.argv[2]))
    opened = net.open("de", net.seal("fr", to=["de"], attachments=[PICTURE]))
    assert opened.attachments[0].read_bytes() == PICTURE
    print(opened.attachments[0].path, flush=True)
    os.kill(os.getpid(), signal.SIGKILL)  # a crash before any clean-up could run
    """
)


def test_a_process_killed_while_holding_opened_attachments_strands_no_plaintext(
    tmp_path: Path,
) -> None:
    here = Path(__file__).parent
    child = subprocess.run(
        [sys.executable, "-c", _CHILD, str(here), str(tmp_path)],
        capture_output=True,
        timeout=120,
        check=False,
    )
    assert child.returncode == -signal.SIGKILL, child.stderr.decode()
    stranded = Path(child.stdout.decode().strip())
    assert stranded.is_file(), "the fault was not reproduced: the spool file is gone"
    leftovers = [p for p in tmp_path.rglob("*") if p.is_file() and not p.name.startswith("source-")]
    assert stranded in leftovers
    for path in leftovers:
        assert MARKER not in path.read_bytes(), f"{path} holds the picture in clear"

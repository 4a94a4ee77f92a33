"""Bundle sealing/opening throughput and memory, side by side with raw primitives of the same run.

Usage::

    .venv/bin/python benchmarks/bench_bundle.py                 # 1 GiB of attachments
    .venv/bin/python benchmarks/bench_bundle.py --size-mib 64   # quicker

The attachment is generated on disk in 1 MiB blocks and streamed, never held in memory. Sealing
and opening each run in a fresh interpreter (multiprocessing "spawn"), so that the RSS high-water
mark (``resource.getrusage(...).ru_maxrss``) measured after the operation minus the one measured
just before it is the memory the operation added over the idle process.

Baselines, measured in the same run with the same library (``cryptography``) on 64 KiB chunks:
raw AES-256-GCM encryption and decryption in memory, raw SHA-256, the *floor* (AEAD plus SHA-256
over the same bytes, which any design with a plaintext digest in its manifest must pay), a plain
file copy, and a *raw pipeline* doing the same reads, writes, hashing and AEAD calls as sealing
and opening with no exchange code. Targets from issue 5: seal/open >= 70% of raw AEAD, <= 64 MB
over idle, 10,000 records seal+open < 2 s.
"""

from __future__ import annotations

import argparse
import hashlib
import multiprocessing
import os
import resource
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

CHUNK = 64 * 1024
MIB = 1024 * 1024
T0 = datetime(2025, 1, 1, tzinfo=UTC)
CREATED = T0 + timedelta(days=1)


def _identities() -> tuple[Any, Any]:
    from exchange.crypto.keys import EncryptionKeyPair, KemAlgorithm, NodeIdentity, SigningKeyPair

    def make(name: str) -> NodeIdentity:
        seed = hashlib.sha256(name.encode()).digest()
        end = T0 + timedelta(days=365)
        return NodeIdentity(
            name,
            SigningKeyPair(seed, T0, end),
            (EncryptionKeyPair(KemAlgorithm.X25519, seed[::-1], T0, end),),
        )

    return make("fr"), make("de")


class _Trust:
    def __init__(self, sender: Any) -> None:
        from exchange.crypto.interfaces import PeerTrust, PinnedSigningKey

        key = sender.signing
        pinned = PinnedSigningKey(key.public, key.not_before, key.not_after)
        self._peer = PeerTrust(sender.node_id, True, (pinned,))

    def peer(self, node_id: str) -> Any:
        return self._peer if node_id == self._peer.node_id else None


class _Fresh:
    def seen(self, bundle_id: object) -> bool:
        return False

    def last_sequence(self, sender_node_id: str) -> int | None:
        return None


def _records(count: int) -> bytes:
    from exchange.crypto.canonical import canonical_json

    seizures = [
        {
            "reference": f"FR-2025-{i:06d}",
            "occurred": "2025-01-15T08:30:00Z",
            "direction": "import",
            "transport_mode": "road",
            "items": [{"commodity_group": "tobacco", "hs_code": "240220", "quantity": 1000 + i}],
            "persons": [{"role": "driver", "name": f"Person {i}", "nationality": "XX"}],
            "conveyances": [{"kind": "vehicle", "plate": f"AB-{i:04d}-CD", "country": "FR"}],
            "companies": [{"role": "consignee", "name": f"Company {i % 500}"}],
        }
        for i in range(count)
    ]
    return canonical_json({"records": seizures})


def _accept(records_schema: str, name: str, value: object) -> None:
    if not isinstance(value, dict):
        raise TypeError("records must be an object")


def _seal(source: Path | None, bundle: Path, records: bytes) -> None:
    from exchange.crypto.bundle import Attachment, Recipient, RecordSet, seal_bundle

    sender, recipient = _identities()
    with bundle.open("wb") as sink:
        seal_bundle(
            sink,
            sender=sender,
            recipients=[Recipient("de", recipient.current_encryption_key.public, 1)],
            record_sets=[RecordSet("seizures", records)],
            attachments=[Attachment("evidence.bin", "application/octet-stream", source)]
            if source
            else [],
            handling_codes=["H1"],
            records_schema="ncen-records/1",
            created=CREATED,
            expires=CREATED + timedelta(days=7),
        )


def _open(bundle: Path, out_dir: Path) -> None:
    from exchange.crypto.bundle import open_bundle

    sender, recipient = _identities()
    with bundle.open("rb") as source:
        opened = open_bundle(
            source,
            my_identity=recipient,
            trust=_Trust(sender),
            replay_guard=_Fresh(),
            now=CREATED + timedelta(hours=1),
            attachment_dir=out_dir,
            validate_records=_accept,
        )
    for attachment in opened.attachments:
        attachment.path.unlink()


def _measured(task: str, args: tuple[Any, ...], results: Any) -> None:
    """Child process body: import, note the idle high-water mark, run, note it again."""
    _identities()  # imports and key derivation belong to the idle process
    idle = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    {"seal": _seal, "open": _open}[task](*args)
    elapsed = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    results.put((elapsed, idle * 1024, peak * 1024))


def _in_fresh_process(task: str, *args: Any) -> tuple[float, int, int]:
    context = multiprocessing.get_context("spawn")
    results = context.Queue()
    process = context.Process(target=_measured, args=(task, args, results))
    process.start()
    outcome: tuple[float, int, int] = results.get()
    process.join()
    if process.exitcode != 0:
        raise SystemExit(f"{task} failed in the child process")
    return outcome


def _throughput(size: int, work: Callable[[bytes], object]) -> float:
    block = os.urandom(CHUNK)
    started = time.perf_counter()
    for _ in range(size // CHUNK):
        work(block)
    return size / MIB / (time.perf_counter() - started)


def _baselines(size: int) -> dict[str, float]:
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    aead = AESGCM(os.urandom(32))
    nonce, aad = os.urandom(12), os.urandom(32)
    sealed = aead.encrypt(nonce, os.urandom(CHUNK), aad)
    digest = hashlib.sha256()
    encrypt = _throughput(size, lambda block: aead.encrypt(nonce, block, aad))
    decrypt = _throughput(size, lambda _block: aead.decrypt(nonce, sealed, aad))
    sha = _throughput(size, digest.update)
    return {
        "raw AES-256-GCM encrypt": encrypt,
        "raw AES-256-GCM decrypt": decrypt,
        "raw SHA-256": sha,
        "floor: encrypt + SHA-256": 1 / (1 / encrypt + 1 / sha),
        "floor: decrypt + SHA-256": 1 / (1 / decrypt + 1 / sha),
    }


def _copy_rate(source: Path, target: Path) -> float:
    """Read + write of the same file in 64 KiB blocks: the I/O cost alone, for context."""
    started = time.perf_counter()
    with source.open("rb") as reader, target.open("wb") as writer:
        while block := reader.read(CHUNK):
            writer.write(block)
    rate = source.stat().st_size / MIB / (time.perf_counter() - started)
    target.unlink()
    return rate


def _raw_pipelines(source: Path, work: Path) -> dict[str, float]:
    """The same I/O as sealing and opening, done with the raw primitives and no exchange code:
    seal = read+hash, then read+encrypt+write; open = read+decrypt+hash+write."""
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    aead = AESGCM(os.urandom(32))
    nonce, aad = os.urandom(12), os.urandom(32)
    size = source.stat().st_size / MIB
    sealed, opened = work / "raw-sealed.bin", work / "raw-opened.bin"
    started = time.perf_counter()
    digest = hashlib.sha256()
    with source.open("rb") as reader:
        while block := reader.read(CHUNK):
            digest.update(block)
    with source.open("rb") as reader, sealed.open("wb") as writer:
        while block := reader.read(CHUNK):
            writer.write(aead.encrypt(nonce, block, aad))
    seal_rate = size / (time.perf_counter() - started)
    started = time.perf_counter()
    digest = hashlib.sha256()
    with sealed.open("rb") as reader, opened.open("wb") as writer:
        while block := reader.read(CHUNK + 16):
            plain = aead.decrypt(nonce, block, aad)
            digest.update(plain)
            writer.write(plain)
    open_rate = size / (time.perf_counter() - started)
    sealed.unlink()
    opened.unlink()
    return {"raw pipeline, seal I/O": seal_rate, "raw pipeline, open I/O": open_rate}


def _warm_up(work: Path, size: int) -> None:
    """Write and delete a scratch file of ``size`` bytes before measuring anything.

    Virtual machines (this one included) back guest memory lazily: the first write of a GiB to
    tmpfs or the page cache runs at a few hundred MiB/s whatever writes it, later writes reuse
    the pages. Warming up makes every phase below meet the same, warm, conditions.
    """
    _write_source(work / "scratch.bin", size)
    (work / "scratch.bin").unlink()


def _default_dir() -> Path | None:
    """tmpfs when available, so that the figures measure our code rather than the VM's disk."""
    shm = Path("/dev/shm")
    return shm if shm.is_dir() and os.access(shm, os.W_OK) else None


def _write_source(path: Path, size: int) -> None:
    block = os.urandom(MIB)
    with path.open("wb") as sink:
        for _ in range(size // MIB):
            sink.write(block)
        sink.write(block[: size % MIB])


def _records_round_trip(work: Path) -> tuple[float, int]:
    records = _records(10_000)
    bundle = work / "records.ncb"
    started = time.perf_counter()
    _seal(None, bundle, records)
    _open(bundle, work)
    return time.perf_counter() - started, len(records)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--size-mib", type=int, default=1024, help="attachment size (MiB)")
    parser.add_argument(
        "--dir", type=Path, default=_default_dir(), help="work directory (default: /dev/shm)"
    )
    options = parser.parse_args()
    size = options.size_mib * MIB
    with tempfile.TemporaryDirectory(dir=options.dir, prefix="ncen-bench-") as name:
        work = Path(name)
        source, bundle, out_dir = work / "attachment.bin", work / "bundle.ncb", work / "opened"
        out_dir.mkdir()
        _write_source(source, size)
        _warm_up(work, 2 * size)
        baselines = _baselines(min(size, 512 * MIB))
        baselines["file copy, same directory"] = _copy_rate(source, work / "copy.bin")
        baselines.update(_raw_pipelines(source, work))
        seal_s, seal_idle, seal_peak = _in_fresh_process("seal", source, bundle, _records(10))
        open_s, open_idle, open_peak = _in_fresh_process("open", bundle, out_dir)
        bundle_size = bundle.stat().st_size
        records_s, records_bytes = _records_round_trip(work)

    mib = size / MIB
    seal_rate, open_rate = mib / seal_s, mib / open_s
    where = options.dir or tempfile.gettempdir()
    print(
        f"bundle with {mib:.0f} MiB of attachments ({bundle_size / MIB:.1f} MiB sealed) in {where}"
    )
    print(f"{'measure':<34}{'MiB/s':>10}")
    for label, value in baselines.items():
        print(f"{label:<34}{value:>10.0f}")
    print(f"{'seal_bundle':<34}{seal_rate:>10.0f}  ({seal_s:.2f} s)")
    print(f"{'open_bundle':<34}{open_rate:>10.0f}  ({open_s:.2f} s)")
    raw_e, raw_d = baselines["raw AES-256-GCM encrypt"], baselines["raw AES-256-GCM decrypt"]
    floor_e, floor_d = baselines["floor: encrypt + SHA-256"], baselines["floor: decrypt + SHA-256"]
    print(f"seal / raw AEAD encrypt: {seal_rate / raw_e:6.1%}   (target >= 70%)")
    print(f"open / raw AEAD decrypt: {open_rate / raw_d:6.1%}   (target >= 70%)")
    print(f"seal / floor (AEAD + SHA-256): {seal_rate / floor_e:6.1%}")
    print(f"open / floor (AEAD + SHA-256): {open_rate / floor_d:6.1%}")
    print(f"seal / raw pipeline (same I/O): {seal_rate / baselines['raw pipeline, seal I/O']:6.1%}")
    print(f"open / raw pipeline (same I/O): {open_rate / baselines['raw pipeline, open I/O']:6.1%}")
    for label, idle, peak in (("seal", seal_idle, seal_peak), ("open", open_idle, open_peak)):
        print(
            f"{label} peak RSS {peak / MIB:7.1f} MiB, idle {idle / MIB:6.1f} MiB, "
            f"over idle {(peak - idle) / 1e6:6.1f} MB   (target <= 64 MB)"
        )
    print(
        f"10,000 seizure records ({records_bytes / MIB:.1f} MiB JSON) seal + open: "
        f"{records_s:.2f} s   (target < 2 s)"
    )


if __name__ == "__main__":
    main()

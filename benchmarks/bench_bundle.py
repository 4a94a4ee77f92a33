"""Bundle seal/open throughput, CPU time and memory, each next to its floor in the same process.

Usage::

    .venv/bin/python benchmarks/bench_bundle.py                       # 1 GiB, 5 rounds
    .venv/bin/python benchmarks/bench_bundle.py --size-mib 64 --rounds 3
    .venv/bin/python benchmarks/bench_bundle.py --compare-with /tmp/main-tree   # before/after

The attachment (one file) is generated on disk in 1 MiB blocks and streamed, never held in
memory. Every seal and every open runs in a fresh interpreter (multiprocessing "spawn"): the
RSS high-water mark (``ru_maxrss``) after the operation minus the one just before it is the
memory the operation added over the idle process (target <= 64 MB), and its CPU time is
``ru_utime + ru_stime`` of every thread of that process.

The floor (issue 13: seal/open >= 90 % of it) is measured in that same child process, right
before the operation in even rounds and right after it in odd ones: AES-256-GCM plus SHA-256 of
the same number of bytes in the same 64 KiB chunks, serially on one thread, in memory (no file
I/O). Rounds are repeated and medians reported, because the machine may be shared: wall-clock
rates then measure the scheduler as much as the code, and a pipeline that runs on several
threads gets a larger share of a loaded machine than the one-thread floor does. The CPU-time
ratio (floor CPU / operation CPU) is the figure that load does not move much.

``--compare-with TREE`` measures another checkout's ``exchange/`` (put first on ``sys.path`` in
the child) as "before", in the same rounds, the two trees alternating their order.
"""

from __future__ import annotations

import argparse
import hashlib
import multiprocessing
import os
import resource
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
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


def _seal(source: Path | None, bundle: Path, records: bytes) -> list[Path]:
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
    return []


def _open(bundle: Path, out_dir: Path) -> list[Path]:
    """Open ``bundle``; returns the spool files, which the caller deletes (outside the timing:
    freeing a GiB of tmpfs pages costs 0.15 CPU s here, and it is not part of opening)."""
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
    return [attachment.path for attachment in opened.attachments]


def _floor(task: str, size: int) -> tuple[float, float]:
    """The floor of ``task`` over ``size`` bytes, in this process: wall and CPU seconds.

    AES-256-GCM (``encrypt_into``/``decrypt_into`` a reused buffer, as sealing does) plus
    SHA-256 of the same 64 KiB chunks, one after the other on one thread: what any design with
    a plaintext digest in a signed manifest must compute. The chunks cycle through 1 MiB of
    random data (cache-warm, as the 1 MiB batches of the pipeline are when they are processed).
    """
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    aead = AESGCM(os.urandom(32))
    nonce, aad = os.urandom(12), os.urandom(32)
    plain = [os.urandom(CHUNK) for _ in range(MIB // CHUNK)]
    sealed = [aead.encrypt(nonce, block, aad) for block in plain]
    out = bytearray(CHUNK + 16)
    digest = hashlib.sha256()
    count = size // CHUNK
    started, cpu = time.perf_counter(), time.process_time()
    if task == "seal":
        for index in range(count):
            block = plain[index % len(plain)]
            aead.encrypt_into(nonce, block, aad, out)
            digest.update(block)
    else:
        view = memoryview(out)[:CHUNK]
        for index in range(count):
            aead.decrypt_into(nonce, sealed[index % len(sealed)], aad, view)
            digest.update(view)
    return time.perf_counter() - started, time.process_time() - cpu


def _measured(
    task: str, args: tuple[Any, ...], tree: str | None, floor_first: bool, results: Any
) -> None:
    """Child process body: import, note the idle high-water mark, run, note it again; the floor
    of the same work runs in this same process just before or just after (rounds alternate)."""
    if tree:
        sys.path.insert(0, tree)  # the code under test: another checkout's exchange/
    _identities()  # imports and key derivation belong to the idle process
    size = args[-1]
    floor = _floor(task, size) if floor_first else None
    before = resource.getrusage(resource.RUSAGE_SELF)
    started = time.perf_counter()
    spooled = {"seal": _seal, "open": _open}[task](*args[:-1])
    elapsed = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_SELF)
    for path in spooled or ():
        path.unlink()
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    if floor is None:
        floor = _floor(task, size)
    results.put(
        Sample(
            elapsed,
            cpu,
            before.ru_maxrss * 1024,
            after.ru_maxrss * 1024,
            *floor,
            os.getloadavg()[0],
        )
    )


@dataclass(frozen=True)
class Sample:
    """One seal or open in a fresh process, with the floor measured in that same process."""

    wall: float
    cpu: float
    idle_rss: int
    peak_rss: int
    floor_wall: float
    floor_cpu: float
    load: float


def _in_fresh_process(
    task: str, *args: Any, tree: str | None = None, floor_first: bool = False
) -> Sample:
    context = multiprocessing.get_context("spawn")
    results = context.Queue()
    process = context.Process(target=_measured, args=(task, args, tree, floor_first, results))
    process.start()
    outcome: Sample = results.get()
    process.join()
    if process.exitcode != 0:
        raise SystemExit(f"{task} failed in the child process")
    return outcome


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
    for path in _open(bundle, work):
        path.unlink()
    return time.perf_counter() - started, len(records)


def _stage_cpu(source: Path, work: Path) -> None:
    """CPU seconds of each pipeline thread for one seal and one open, in this process.

    The slowest stage bounds the wall-clock time when the process has two free cores; the sum
    is the CPU time. Wraps the worker loop of `exchange.crypto.pipeline.Pipeline` to read
    ``time.thread_time`` at its start and end (measurement only, the work is unchanged).
    """
    from exchange.crypto import pipeline

    stages: dict[str, float] = {}
    run = pipeline.Pipeline._run

    def timed(self: Any) -> None:
        started = time.thread_time()
        try:
            run(self)
        finally:
            name = getattr(self._consume, "__qualname__", "consume")
            stages[name] = stages.get(name, 0.0) + time.thread_time() - started

    pipeline.Pipeline._run = timed  # type: ignore[method-assign]
    bundle, out_dir = work / "stages.ncb", work / "stages"
    out_dir.mkdir(exist_ok=True)
    try:
        _identities()
        for task in ("seal", "open"):
            stages.clear()
            started, process = time.thread_time(), time.process_time()
            spooled = (
                _seal(source, bundle, _records(10)) if task == "seal" else _open(bundle, out_dir)
            )
            main = time.thread_time() - started
            total = time.process_time() - process
            cells = "  ".join(f"{name} {spent:.2f}" for name, spent in stages.items())
            print(f"  {task}: process {total:.2f} CPU s = calling thread {main:.2f}  {cells}")
            for path in spooled:
                path.unlink()
    finally:
        pipeline.Pipeline._run = run  # type: ignore[method-assign]
        bundle.unlink(missing_ok=True)


def _round(
    work: Path, source: Path, size: int, trees: dict[str, str | None], number: int
) -> dict[str, dict[str, Sample]]:
    """One round: for every tree, a seal then an open, each in a fresh process with its floor
    (before the operation in even rounds, after it in odd ones); trees alternate their order."""
    bundle, out_dir = work / "bundle.ncb", work / "opened"
    out_dir.mkdir(exist_ok=True)
    labels = list(trees) if number % 2 == 0 else list(reversed(trees))
    samples: dict[str, dict[str, Sample]] = {}
    for label in labels:
        tree, first = trees[label], number % 2 == 0
        bundle.unlink(missing_ok=True)
        seal = _in_fresh_process(
            "seal", source, bundle, _records(10), size, tree=tree, floor_first=first
        )
        opened = _in_fresh_process("open", bundle, out_dir, size, tree=tree, floor_first=not first)
        samples[label] = {"seal": seal, "open": opened}
    return samples


def _report(size: int, rounds: list[dict[str, dict[str, Sample]]]) -> None:
    mib = size / MIB
    median = statistics.median
    print(
        f"{'':18}{'MiB/s':>8}{'floor':>8}{'ratio':>8}   {'CPU s':>6}{'floor':>7}{'ratio':>8}"
        f"   {'RSS+ MB':>8}   (medians over {len(rounds)} rounds; ratio = median of the"
        " per-round ratios)"
    )
    for label in rounds[0]:
        for task in ("seal", "open"):
            samples = [one[label][task] for one in rounds]
            wall = median(mib / s.wall for s in samples)
            floor = median(mib / s.floor_wall for s in samples)
            ratio = median(s.floor_wall / s.wall for s in samples)
            cpu = median(s.cpu for s in samples)
            floor_cpu = median(s.floor_cpu for s in samples)
            cpu_ratio = median(s.floor_cpu / s.cpu for s in samples)
            rss = max(s.peak_rss - s.idle_rss for s in samples) / 1e6
            print(
                f"{label + ' ' + task:<18}{wall:>8.0f}{floor:>8.0f}{ratio:>8.1%}   {cpu:>6.2f}"
                f"{floor_cpu:>7.2f}{cpu_ratio:>8.1%}   {rss:>8.1f}"
            )
    print(
        "per round (wall MiB/s operation / floor, CPU s operation / floor, RSS over idle MB, load):"
    )
    for number, one in enumerate(rounds):
        for label, tasks in one.items():
            cells = [
                f"{task} {mib / s.wall:5.0f}/{mib / s.floor_wall:5.0f} "
                f"{s.cpu:5.2f}/{s.floor_cpu:4.2f} {(s.peak_rss - s.idle_rss) / 1e6:5.1f} MB"
                f" load {s.load:5.2f}"
                for task, s in tasks.items()
            ]
            print(f"  round {number + 1} {label:<7}" + "   ".join(cells))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--size-mib", type=int, default=1024, help="attachment size (MiB)")
    parser.add_argument(
        "--dir", type=Path, default=_default_dir(), help="work directory (default: /dev/shm)"
    )
    parser.add_argument(
        "--rounds",
        "--repeat",
        type=int,
        default=5,
        help="rounds; each seals and opens once per tree, each next to its own floor; medians",
    )
    parser.add_argument(
        "--stages", action="store_true", help="also print the CPU time of each pipeline thread"
    )
    parser.add_argument(
        "--compare-with",
        metavar="TREE",
        help="a checkout whose exchange/ is measured too, as 'before', in the same rounds",
    )
    options = parser.parse_args()
    size = options.size_mib * MIB
    trees: dict[str, str | None] = {"after": None}
    if options.compare_with:
        trees = {"before": str(Path(options.compare_with).resolve()), "after": None}
    rounds = []
    with tempfile.TemporaryDirectory(dir=options.dir, prefix="ncen-bench-") as name:
        work = Path(name)
        source = work / "attachment.bin"
        _write_source(source, size)
        _warm_up(work, 2 * size)
        print(f"# {datetime.now(UTC):%Y-%m-%d %H:%M:%S} UTC, load {os.getloadavg()}")
        for number in range(max(1, options.rounds)):
            rounds.append(_round(work, source, size, trees, number))
        records_s, records_bytes = _records_round_trip(work)
        if options.stages:
            print("CPU time per thread (this tree, one seal and one open in this process):")
            _stage_cpu(source, work)
    where = options.dir or tempfile.gettempdir()
    print(f"# 1 attachment of {size / MIB:.0f} MiB in {where}; load after {os.getloadavg()}")
    _report(size, rounds)
    print(
        f"10,000 seizure records ({records_bytes / MIB:.1f} MiB JSON) seal + open: "
        f"{records_s:.2f} s   (target < 2 s)"
    )


if __name__ == "__main__":
    main()

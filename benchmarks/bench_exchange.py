"""Node to node over loopback: N seizures with their links delivered through the outbox.

Starts a throwaway embedded PostgreSQL with two node databases, "fr-ncen" (sender) and
"de-ncen" (receiver), each set up with the real command line (``ncen db upgrade``, ``ncen keys
init``, ``ncen peers add``). fr gets N seizures with persons, companies and conveyances from
the demo loader (bulk COPY: the baseline of the same rows in the same run). Then:

1. queue: the seizures are sealed into bundles of ``--per-bundle`` seizures and queued in fr's
   outbox (`exchange.network.outbox.queue_records`, this process);
2. deliver: de runs ``ncen serve`` and fr runs ``ncen exchange worker``, two separate
   processes; the worker pushes every bundle over HTTP to de, which verifies, imports (the bulk
   path, `exchange.records.bulk`, with the services' validation, history, audit and watch-list
   checks) and answers a signed receipt; timed until every receipt is verified.

Reports records per second end to end (queue + deliver), the peak RSS (VmHWM) of the serving
receiver and of the worker, and the demo loader's COPY of the same rows.

Usage: .venv/bin/python benchmarks/bench_exchange.py [--seizures 100000] [--per-bundle 2000]
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from scale import share_with_all_peers
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from exchange.netmodels import Delivery, DeliveryState
from exchange.network.node import load_node
from exchange.network.outbox import queue_records
from ncen.accounts.actor import Actor
from ncen.companies.models import Company
from ncen.conveyances.models import Conveyance
from ncen.db import make_engine
from ncen.demo.load import DemoPlan, load_demo
from ncen.embedded import create_database, embedded_database
from ncen.persons.models import Person
from ncen.seizures.models import Seizure
from ncen.settings import Settings

RUN = [sys.executable, "-c", "from web.cli import main; main()"]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def node_env(url: str, instance: Path, node_id: str, country: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("NCEN_")}
    env.update(
        NCEN_DATABASE_URL=url,
        NCEN_INSTANCE_PATH=str(instance),
        NCEN_NODE_ID=node_id,
        NCEN_NODE_COUNTRY=country,
        NCEN_SECRET_KEY="bench-secret-" + "x" * 32,
        NCEN_EXCHANGE_POLL_SECONDS="0.2",
        NCEN_EXCHANGE_RETRY_BASE_SECONDS="1",
        NCEN_EXCHANGE_TIMEOUT_SECONDS="1800",
    )
    return env


def ncen(env: dict[str, str], *args: str) -> str:
    done = subprocess.run([*RUN, *args], env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"ncen {' '.join(args)} failed:\n{done.stdout}{done.stderr}")
    return done.stdout


def peak_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def progress(line: str) -> None:
    print(f"[{datetime.now(UTC):%H:%M:%S}] {line}", flush=True)


def records_of(engine: Engine, foreign: bool) -> int:
    total = 0
    with Session(engine) as session:
        for model in (Seizure, Person, Company, Conveyance):
            column = model.origin_node
            condition = column.is_not(None) if foreign else column.is_(None)
            total += session.execute(
                select(func.count()).select_from(model).where(condition)
            ).scalar_one()
    return total


def main() -> None:  # noqa: PLR0915 - one linear story
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seizures", type=int, default=100_000)
    parser.add_argument("--per-bundle", type=int, default=2_000)
    args = parser.parse_args()
    with (
        tempfile.TemporaryDirectory(prefix="ncen-bench-x-") as tmp,
        embedded_database(Path(tmp) / "pgdata") as cluster,
    ):
        urls, envs, engines = {}, {}, {}
        for node_id, country in (("fr-ncen", "FR"), ("de-ncen", "DE")):
            node_urls = create_database(cluster, node_id.replace("-", "_"))
            urls[node_id] = node_urls.app
            envs[node_id] = node_env(urls[node_id], Path(tmp) / node_id, node_id, country)
            envs[node_id]["NCEN_DATABASE_OWNER_URL"] = node_urls.owner
            ncen(envs[node_id], "db", "upgrade")
            ncen(envs[node_id], "keys", "init", "--unencrypted")
            engines[node_id] = make_engine(urls[node_id])
        port = free_port()
        for me, other, country, endpoint in (
            ("fr-ncen", "de-ncen", "DE", f"http://127.0.0.1:{port}/exchange"),
            ("de-ncen", "fr-ncen", "FR", None),
        ):
            keys = Path(tmp) / f"{other}.json"
            ncen(envs[other], "keys", "export-public", "-o", str(keys))
            extra = ["--endpoint", endpoint] if endpoint else []
            ncen(envs[me], "peers", "add", "--node-id", other, "--country", country,
                 "--keyset", str(keys), "--nominal", "--yes", *extra)  # fmt: skip
        fr, de = engines["fr-ncen"], engines["de-ncen"]
        started = time.perf_counter()
        load_demo(fr, DemoPlan(persons=max(100, args.seizures // 2), seizures=args.seizures))
        copy_seconds = time.perf_counter() - started
        share_with_all_peers(fr, validate=True)
        copied = records_of(fr, foreign=False)
        # Progress as it goes: a long run stopped early still says how far it got.
        progress(f"demo COPY of {copied:,} records: {copy_seconds:.1f} s")

        settings = Settings(
            instance_path=Path(tmp) / "fr-ncen", node_id="fr-ncen", node_country="FR"
        )
        node = load_node(settings, {})
        with Session(fr) as session:
            references = list(
                # National seizures: the demo's received one (ncen.demo.cast) has no signed
                # record set here, so it cannot be forwarded.
                session.execute(
                    select(Seizure.reference)
                    .where(Seizure.origin_node.is_(None))
                    .order_by(Seizure.reference)
                ).scalars()
            )
        started = time.perf_counter()
        for start in range(0, len(references), args.per_bundle):
            with Session(fr) as session, session.begin():
                queue_records(
                    session,
                    Actor.system("benchmark"),
                    node,
                    recipients=["de-ncen"],
                    references=references[start : start + args.per_bundle],
                    legal_basis="benchmark",
                    purpose="benchmark",
                    now=datetime.now(UTC).replace(microsecond=0),
                )
        queue_seconds = time.perf_counter() - started
        with Session(fr) as session:
            bundles = session.execute(select(func.count()).select_from(Delivery)).scalar_one()
        progress(f"queued {bundles} bundles: {queue_seconds:.1f} s")

        log = (Path(tmp) / "serve.log").open("wb")
        receiver = subprocess.Popen(
            [*RUN, "serve", "--host", "127.0.0.1", "--port", str(port), "--threads", "4"],
            env=envs["de-ncen"], stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        time.sleep(3)
        worker = subprocess.Popen(
            [*RUN, "exchange", "worker"], env=envs["fr-ncen"], stdout=log, stderr=subprocess.STDOUT
        )
        started = time.perf_counter()
        peaks = {"receiver": 0.0, "worker": 0.0}
        reported = started
        while True:
            peaks["receiver"] = max(peaks["receiver"], peak_mib(receiver.pid))
            peaks["worker"] = max(peaks["worker"], peak_mib(worker.pid))
            with Session(fr) as session:
                done = session.execute(
                    select(func.count())
                    .select_from(Delivery)
                    .where(Delivery.state != DeliveryState.QUEUED)
                ).scalar_one()
            if done == bundles:
                break
            if time.perf_counter() - reported >= 60:
                reported = time.perf_counter()
                progress(
                    f"delivered {done}/{bundles} bundles after {reported - started:.0f} s; "
                    f"peak RSS receiver {peaks['receiver']:.0f} MiB, "
                    f"worker {peaks['worker']:.0f} MiB"
                )
            time.sleep(0.5)
        deliver_seconds = time.perf_counter() - started
        for process in (worker, receiver):
            process.terminate()
            process.wait(timeout=60)
        with Session(fr) as session:
            accepted = session.execute(
                select(func.count())
                .select_from(Delivery)
                .where(Delivery.state == DeliveryState.ACCEPTED)
            ).scalar_one()
        imported = records_of(de, foreign=True)
        for engine in (fr, de):
            engine.dispose()

    total = queue_seconds + deliver_seconds
    shape = f"{bundles} bundles of {args.per_bundle:,}"
    print(f"{args.seizures:,} seizures in {shape}: {accepted} accepted")
    print(f"records imported on de (seizures, persons, companies, conveyances): {imported:,}")
    print(f"{'measure':<52}{'seconds':>9}{'records/s':>11}")
    rows = (
        ("queue (export + policy + seal, fr)", queue_seconds, imported),
        ("deliver (HTTP + verify + import + receipt)", deliver_seconds, imported),
        ("end to end", total, imported),
        ("baseline: demo COPY of the same rows (fr)", copy_seconds, copied),
    )
    for label, seconds, count in rows:
        print(f"{label:<52}{seconds:>9.1f}{count / seconds:>11,.0f}")
    share = 100 * (imported / total) / (copied / copy_seconds)
    print(f"end to end = {share:.1f} % of the COPY rate (target >= 25 %)")
    receiver_mib, worker_mib = peaks["receiver"], peaks["worker"]
    print(f"peak RSS: receiver (ncen serve) {receiver_mib:.0f} MiB, worker {worker_mib:.0f} MiB")


if __name__ == "__main__":
    main()

"""Records through the exchange: export, seal, open and import N seizures with their links.

Starts a throwaway embedded PostgreSQL with two node databases, "fr" (sender) and "de"
(receiver), migrated by Alembic; fr gets N seizures with persons, companies and conveyances from
the demo loader (bulk COPY); each node registers the other as a peer. Then it times, in one run:

- export: reading the selection into schema v1 record sets (`exchange.records.export`);
- seal_bundle and open_bundle (with the strict records schema validation) of those record sets;
- import: every record created through the domain services as a foreign record, with history
  and audit (`exchange.network.receiving`), committed.

Baselines of the same run and the same data: stdlib JSON encoding plus AES-256-GCM of the
records and the reverse (the floor of any seal + open of JSON records), and the demo loader's
COPY of the same seizures on the sender (the floor of any import). Targets: seal + open of
10,000 seizure records with their links < 2 s (issue 5); open + import of 10,000 seizures at
>= 30 % of the demo loader's rate for the same number of seizures (issue 13).

With ``--profile FILE`` the bulk import runs under cProfile and its statistics go to FILE
(read them with ``python -m pstats FILE``); the profiler slows the import, so its time is not a
figure to report.

Usage: .venv/bin/python benchmarks/bench_records.py [--seizures 10000] [--per-record]
       [--profile FILE]
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import resource
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from scale import share_with_all_peers
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from exchange.crypto.bundle import Recipient, seal_bundle
from exchange.crypto.canonical import parse_canonical
from exchange.crypto.keys import NodeIdentity, generate_identity
from exchange.crypto.keysets import publish_keyset
from exchange.crypto.opening import open_bundle
from exchange.network.receiving import receive_bundle
from exchange.network.store import DatabaseReplayGuard
from exchange.records.export import export_seizures
from exchange.records.recordschema import RECORDS_SCHEMA, validate_records
from exchange.services.trust import Agreement, DatabaseTrust, add_peer
from ncen.accounts.actor import Actor
from ncen.db import make_engine
from ncen.dbroles import APP_ROLE
from ncen.demo.load import DemoPlan, load_demo
from ncen.embedded import EmbeddedUrls, create_database, embedded_database
from ncen.migrate import upgrade
from ncen.pictures.store import PictureStore
from ncen.seizures.models import Seizure
from ncen.settings import Settings

NOW = datetime.now(UTC).replace(microsecond=0)
ACTOR = Actor.system("benchmark")


def peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def node_database(cluster: EmbeddedUrls, name: str) -> Engine:
    urls = create_database(cluster, name)
    owner = make_engine(urls.owner)
    upgrade(owner, app_role=APP_ROLE)
    owner.dispose()
    return make_engine(urls.app)


def register(engine: Engine, own: NodeIdentity, peer: NodeIdentity, country: str) -> None:
    keyset = publish_keyset(peer, signer=peer.signing, serial=1, issued=NOW)
    with Session(engine) as session, session.begin():
        add_peer(
            session,
            ACTOR,
            node_id=peer.node_id,
            country=country,
            endpoint=None,
            keyset=keyset,
            agreement=Agreement(True, frozenset({"H0", "H1", "H2", "H3"})),
            own_node_id=own.node_id,
        )


def timed(label: str, results: dict[str, float], work: Any) -> Any:
    started = time.perf_counter()
    value = work()
    results[label] = time.perf_counter() - started
    return value


def main() -> None:  # noqa: PLR0915 - one linear story, kept in one place to read it at once
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seizures", type=int, default=10_000)
    parser.add_argument(
        "--per-record", action="store_true", help="also import through the per-record path"
    )
    parser.add_argument("--profile", type=Path, help="cProfile the bulk import into this file")
    args = parser.parse_args()
    results: dict[str, float] = {}
    fr = generate_identity(
        "fr", not_before=NOW - timedelta(days=1), not_after=NOW + timedelta(days=30)
    )
    de = generate_identity(
        "de", not_before=NOW - timedelta(days=1), not_after=NOW + timedelta(days=30)
    )
    with (
        tempfile.TemporaryDirectory(prefix="ncen-bench-") as tmp,
        embedded_database(Path(tmp) / "pgdata") as cluster,
    ):
        sender, receiver = node_database(cluster, "fr"), node_database(cluster, "de")
        register(sender, fr, de, "DE")
        register(receiver, de, fr, "FR")
        plan = DemoPlan(persons=max(100, args.seizures // 2), seizures=args.seizures)
        counts = timed("baseline: demo COPY load", results, lambda: load_demo(sender, plan))
        share_with_all_peers(sender)
        store = PictureStore(Path(tmp) / "fr-pictures")
        with Session(sender) as session:
            # National seizures only: the demo's received one cannot be forwarded (no signed
            # record set of its originator is kept for it).
            national = select(Seizure.reference).where(Seizure.origin_node.is_(None))
            references = list(session.execute(national).scalars())
            exported = timed(
                "export (DB -> record sets)",
                results,
                lambda: export_seizures(session, store, references, own_node_id="fr"),
            )
        data = exported.record_sets[0].data
        value = parse_canonical(data)

        def seal() -> bytes:
            sink = io.BytesIO()
            seal_bundle(
                sink,
                sender=fr,
                recipients=[Recipient("de", de.current_encryption_key.public, 1)],
                record_sets=exported.record_sets,
                handling_codes=exported.handling_codes,
                records_schema=RECORDS_SCHEMA,
                created=NOW,
                expires=NOW + timedelta(days=7),
            )
            return sink.getvalue()

        bundle = timed("seal_bundle", results, seal)
        with Session(receiver) as session:

            def open_() -> None:
                open_bundle(
                    io.BytesIO(bundle),
                    my_identity=de,
                    trust=DatabaseTrust(session),
                    replay_guard=DatabaseReplayGuard(session),
                    now=NOW + timedelta(minutes=1),
                    attachment_dir=Path(tmp),
                    validate_records=validate_records,
                )

            timed("open_bundle (verify, decrypt, schema)", results, open_)

        def floor() -> None:
            aead, nonce, aad = AESGCM(os.urandom(32)), os.urandom(12), os.urandom(32)
            sealed = aead.encrypt(nonce, json.dumps(value, sort_keys=True).encode(), aad)
            json.loads(aead.decrypt(nonce, sealed, aad))

        timed("baseline: json.dumps + AES-GCM + json.loads", results, floor)
        work_dir = Path(tmp) / "de-work"
        work_dir.mkdir()
        limits = Settings()
        receivers = {"bulk": receiver}
        if args.per_record:
            receivers["per-record"] = node_database(cluster, "de2")
            register(receivers["per-record"], de, fr, "FR")
        imported = 0
        for path, engine in receivers.items():
            with Session(engine) as session:

                def import_(session: Session = session, bulk: bool = path == "bulk") -> Any:
                    received = receive_bundle(
                        session,
                        ACTOR,
                        io.BytesIO(bundle),
                        identity=de,
                        store=PictureStore(Path(tmp) / f"de-pictures-{int(bulk)}"),
                        upload_limits=limits,
                        work_dir=work_dir,
                        now=NOW + timedelta(minutes=1),
                        bulk=bulk,
                    )
                    session.commit()
                    return received

                profiler = cProfile.Profile() if args.profile and path == "bulk" else None
                if profiler is not None:
                    profiler.enable()
                plan_done = timed(f"open + import, {path} path (commit)", results, import_)
                if profiler is not None:
                    profiler.disable()
                    profiler.dump_stats(args.profile)
                imported = session.execute(
                    select(func.count()).select_from(Seizure).where(Seizure.origin_node == "fr")
                ).scalar_one()
            engine.dispose()
        sender.dispose()
        receiver.dispose()

    totals = plan_done.totals()
    kinds = ("seizures", "persons", "companies", "conveyances")
    print(
        f"{args.seizures:,} seizures exported with their links: "
        + ", ".join(f"{len(value[t]):,} {t}" for t in kinds)
        + f"; record set {len(data) / 2**20:.1f} MiB, bundle {len(bundle) / 2**20:.1f} MiB"
    )
    print(f"demo load wrote {counts['rows']:,} rows on the sender")
    print(f"{'measure':<48}{'seconds':>9}")
    for label, seconds in results.items():
        print(f"{label:<48}{seconds:>9.2f}")
    seal_open = results["seal_bundle"] + results["open_bundle (verify, decrypt, schema)"]
    print(f"{'seal + open':<48}{seal_open:>9.2f}   (target < 2 s)")
    print(f"{'export + seal + open':<48}{seal_open + results['export (DB -> record sets)']:>9.2f}")
    records = sum(totals.values())
    # The demo plants its networks on top of --seizures: its rate counts every seizure it wrote.
    demo_rate = len(value["seizures"]) / results["baseline: demo COPY load"]
    for label, seconds in results.items():
        if not label.startswith("open + import"):
            continue
        rate = imported / seconds
        print(
            f"{label}: {imported:,} foreign seizures ({records:,} records in all) in "
            f"{seconds:.1f} s = {rate:,.0f} seizures/s, {records / seconds:,.0f} records/s; "
            f"{100 * rate / demo_rate:.1f} % of the demo loader's {demo_rate:,.0f} seizures/s "
            "(target >= 30 %)"
        )
    print(f"peak RSS {peak_rss_mib():,.0f} MiB")


if __name__ == "__main__":
    main()

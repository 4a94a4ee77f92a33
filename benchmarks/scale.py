"""A demo database at a given scale, for the benchmarks that need one (statistics, graph, pages).

Loading 1,000,000 persons and 1,000,000 seizures takes minutes, so a benchmark run with
``--data-dir DIR`` keeps its embedded cluster in DIR and the next run with the same plan reuses
it (a marker file records the plan that was loaded). Without ``--data-dir`` the cluster lives in
a temporary folder and is removed at exit. Either way the schema is brought to the head revision
first, so a kept cluster follows new migrations.

Usage from a benchmark::

    with demo_database(args.persons, args.seizures, args.data_dir) as db:
        engine = make_engine(db.urls.app)
        ...
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine, text

from ncen.db import make_engine
from ncen.dbroles import APP_ROLE
from ncen.demo.load import DemoPlan, load_demo
from ncen.embedded import EmbeddedUrls, embedded_database
from ncen.migrate import upgrade

_MARKER = "ncen-bench-plan.json"


@dataclass(frozen=True)
class DemoDatabase:
    """A migrated database holding demo data: its URLs, the plan loaded, and how long the load
    took in this run (0.0 when a kept cluster was reused)."""

    urls: EmbeddedUrls
    plan: DemoPlan
    load_seconds: float
    directory: Path


def add_scale_arguments(parser: argparse.ArgumentParser, persons: int, seizures: int) -> None:
    """Add ``--persons``, ``--seizures`` and ``--data-dir`` to a benchmark's parser."""
    parser.add_argument("--persons", type=int, default=persons)
    parser.add_argument("--seizures", type=int, default=seizures)
    parser.add_argument(
        "--data-dir",
        type=Path,
        default=None,
        help="keep the loaded cluster here and reuse it next time (same plan)",
    )


@dataclass
class KeptCluster:
    """A migrated embedded cluster, temporary or kept in a directory (``--data-dir``).

    ``fresh`` is True when the caller must load its data; it then calls `loaded` once the data
    is in, so that the next run with the same plan reuses the cluster instead of loading again.
    Files the caller keeps next to the cluster (say, the ids of the records it created) go in
    ``directory``.
    """

    urls: EmbeddedUrls
    directory: Path
    fresh: bool
    wanted: dict[str, object]

    def loaded(self) -> None:
        """Record that the plan's data is loaded (the marker a later run checks)."""
        (self.directory / _MARKER).write_text(json.dumps(self.wanted))
        self.fresh = False


@contextmanager
def kept_cluster(data_dir: Path | None, wanted: dict[str, object]) -> Iterator[KeptCluster]:
    """Yield a cluster at the head revision, in ``data_dir`` (kept) or a temporary folder.

    ``wanted`` describes what the caller loads (scale, seeds, which benchmark). A kept cluster
    whose marker names another plan is refused with `SystemExit` rather than silently measured
    at the wrong scale; one whose load was interrupted (no marker, data present) is refused too.
    ANALYZE runs before the cluster is yielded, and the caller ANALYZEs again after a load.
    """
    with tempfile.TemporaryDirectory(prefix="ncen-bench-") as tmp:
        directory = data_dir.resolve() if data_dir is not None else Path(tmp)
        marker = directory / _MARKER
        loaded = json.loads(marker.read_text()) if marker.is_file() else None
        if loaded is not None and loaded != wanted:
            raise SystemExit(f"{directory} holds another plan ({loaded}); use another --data-dir")
        if loaded is None and (directory / "pgdata").exists():
            raise SystemExit(f"{directory} holds a cluster whose load did not finish; remove it")
        with embedded_database(directory / "pgdata") as urls:
            owner = make_engine(urls.owner)
            try:
                upgrade(owner, app_role=APP_ROLE)
                # As the owner: ANALYZE run by the app role skips the tables it does not own,
                # and the planner then measures a database it knows nothing about.
                with owner.connect() as conn:
                    conn.execute(text("ANALYZE"))
                    conn.commit()
            finally:
                owner.dispose()
            yield KeptCluster(urls, directory, loaded is None, wanted)


@contextmanager
def demo_database(persons: int, seizures: int, data_dir: Path | None) -> Iterator[DemoDatabase]:
    """Yield a database at head with ``ncen demo`` data for ``persons`` and ``seizures``.

    A kept cluster (``data_dir``) whose marker names another plan is refused with `SystemExit`
    rather than silently measured at the wrong scale.
    """
    plan = DemoPlan(persons=persons, seizures=seizures)
    wanted: dict[str, object] = {"persons": persons, "seizures": seizures, "seed": plan.seed}
    with kept_cluster(data_dir, wanted) as cluster:
        seconds = 0.0
        if cluster.fresh:
            engine = make_engine(cluster.urls.app)
            try:
                started = time.perf_counter()
                load_demo(engine, plan)
                seconds = time.perf_counter() - started
            finally:
                engine.dispose()
            analyze(cluster.urls, vacuum=False)
            cluster.loaded()
        yield DemoDatabase(cluster.urls, plan, seconds, cluster.directory)


def analyze(urls: EmbeddedUrls, *, vacuum: bool = True) -> None:
    """(VACUUM) ANALYZE the whole database as its owner, after a load."""
    owner = make_engine(urls.owner)
    try:
        with owner.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("VACUUM ANALYZE" if vacuum else "ANALYZE"))
    finally:
        owner.dispose()


def kept_ids(
    cluster: KeptCluster, create: Callable[[], dict[str, uuid.UUID]]
) -> dict[str, uuid.UUID]:
    """The ids of the records a benchmark creates on top of the demo data: ``create()`` on a
    fresh cluster (saved next to it), else the ids saved by the run that loaded it."""
    saved = cluster.directory / "ncen-bench-ids.json"
    if cluster.fresh:
        ids = create()
        saved.write_text(json.dumps({key: str(value) for key, value in ids.items()}))
        return ids
    return {key: uuid.UUID(value) for key, value in json.loads(saved.read_text()).items()}


def share_with_all_peers(engine: Engine, *, validate: bool = False) -> None:
    """Mark every national seizure's distribution "all peers" (receivers refuse seizures whose
    originator stated none) and, with ``validate``, mark them validated (the outbox sends only
    validated cases): plain statements, set-up, not measured."""
    with engine.begin() as conn:
        if validate:
            conn.execute(text("UPDATE seizures SET status = 'validated' WHERE origin_node IS NULL"))
        conn.execute(
            text(
                "INSERT INTO exchange_distributions (seizure_id, level, peers, set_by, set_at) "
                "SELECT id, 'all_peers', '{}', 'benchmark', now() FROM seizures "
                "WHERE origin_node IS NULL ON CONFLICT DO NOTHING"
            )
        )


def main() -> None:
    """Load (or check) a kept cluster: ``python benchmarks/scale.py --persons N --seizures M
    --data-dir DIR``, so that later benchmark runs start at once."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_scale_arguments(parser, 1_000_000, 1_000_000)
    args = parser.parse_args()
    if args.data_dir is None:
        parser.error("--data-dir is required here")
    with demo_database(args.persons, args.seizures, args.data_dir) as db:
        print(f"{db.directory}: {db.plan}, loaded in {db.load_seconds:.1f} s this run")


if __name__ == "__main__":
    main()

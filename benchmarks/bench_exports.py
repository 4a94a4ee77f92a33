"""Benchmark: exporting N seizures with their links as CSV, XLSX, FtM and the node format,
next to a raw ``COPY ... TO STDOUT`` of the same rows in the same run.

Starts a throwaway embedded PostgreSQL, migrates it, loads the demo data (`ncen demo`'s COPY
path) with ``--seizures`` seizures and ``--persons`` persons, and VACUUM ANALYZEs. Then:

1. baseline: ``COPY (SELECT ...) TO STDOUT (FORMAT csv)`` of the live seizures, their items
   and their person, company and conveyance links (what the exports read), drained by psycopg:
   the server's own speed at handing over the same rows;
2. each format through the code the CLI runs (`ncen.exports.streaming.stream_list`, batches
   of 1,000, then the writer), as the console actor, audited, one transaction each: csv, xlsx,
   ftm (with the seizures' linked records and links as entities);
3. the node format (`ncen.exports.nodeformat.export_node`): every table, every row.

Prints seconds, seizures per second and output size per format, and the process's peak
resident memory (ru_maxrss, for the whole run). ``--record FILE`` also writes the figures.

Usage: python benchmarks/bench_exports.py [--seizures 5000] [--persons 2000] [--record F]
"""

from __future__ import annotations

import argparse
import io
import resource
import tempfile
import time
from collections.abc import Callable, Iterable
from pathlib import Path

import psycopg
from sqlalchemy import text
from sqlalchemy.orm import Session

from ncen.accounts.actor import Actor
from ncen.db import make_engine
from ncen.dbroles import APP_ROLE
from ncen.demo.load import DemoPlan, load_demo
from ncen.embedded import embedded_database
from ncen.exports.cells_format import CellStyle
from ncen.exports.csvfile import csv_chunks
from ncen.exports.nodeformat import export_node
from ncen.exports.streaming import stream_list
from ncen.exports.xlsxfile import xlsx_write
from ncen.migrate import upgrade
from ncen.seizures.queries import SeizureFilters, list_statement

BASELINE = (
    "SELECT * FROM seizures WHERE deleted_at IS NULL",
    "SELECT i.* FROM seizure_items i JOIN seizures s ON s.id = i.seizure_id "
    "WHERE s.deleted_at IS NULL",
    "SELECT l.*, n.full_name FROM seizure_persons l "
    "JOIN person_names n ON n.person_id = l.person_id AND n.position = 0",
    "SELECT l.*, n.name FROM seizure_companies l "
    "JOIN company_names n ON n.company_id = l.company_id AND n.position = 0",
    "SELECT l.*, c.name FROM seizure_conveyances l JOIN conveyances c ON c.id = l.conveyance_id",
)


def raw_copy(url: str) -> int:
    """Bytes of the baseline's COPY TO STDOUT of every query in `BASELINE`."""
    size = 0
    with psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://")) as conn:
        for query in BASELINE:
            with conn.cursor().copy(f"COPY ({query}) TO STDOUT (FORMAT csv)") as copy:
                for chunk in copy:
                    size += len(chunk)
    return size


def drained(chunks: Iterable[bytes]) -> int:
    return sum(len(chunk) for chunk in chunks)


def timed(action: Callable[[], int]) -> tuple[float, int]:
    started = time.perf_counter()
    size = action()
    return time.perf_counter() - started, size


def run_format(engine: object, fmt: str) -> int:
    actor = Actor.system("bench")
    with Session(engine) as session, session.begin():  # type: ignore[call-overload]
        if fmt == "ncen":
            return drained(export_node(session, actor))
        exported, streamed = stream_list(
            session, actor, "seizure", list_statement(SeizureFilters()), fmt=fmt, filters={}
        )
        if fmt == "csv":
            return drained(csv_chunks(exported, CellStyle()))
        if fmt == "xlsx":
            out = io.BytesIO()
            xlsx_write(exported, CellStyle(), out)
            return len(out.getvalue())
        return drained(streamed.ftm())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seizures", type=int, default=5_000)
    parser.add_argument("--persons", type=int, default=2_000)
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument("--record", type=Path, help="also write the figures to this file")
    args = parser.parse_args()
    lines: list[str] = []
    with (
        tempfile.TemporaryDirectory(prefix="ncen-bench-") as tmp,
        embedded_database(Path(tmp) / "pgdata") as urls,
    ):
        owner = make_engine(urls.owner)
        upgrade(owner, app_role=APP_ROLE)
        owner.dispose()
        engine = make_engine(urls.app)
        load_demo(engine, DemoPlan(persons=args.persons, seizures=args.seizures, seed=args.seed))
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("VACUUM ANALYZE"))
            seizures = conn.execute(
                text("SELECT count(*) FROM seizures WHERE deleted_at IS NULL")
            ).scalar_one()
            links = conn.execute(
                text(
                    "SELECT (SELECT count(*) FROM seizure_persons) + "
                    "(SELECT count(*) FROM seizure_companies) + "
                    "(SELECT count(*) FROM seizure_conveyances)"
                )
            ).scalar_one()
        figures = {"raw COPY TO (same rows)": timed(lambda: raw_copy(urls.app))}
        for fmt in ("csv", "xlsx", "ftm", "ncen"):
            figures[f"export {fmt}"] = timed(lambda fmt=fmt: run_format(engine, fmt))
        engine.dispose()
    lines.append(
        f"bench_exports --seizures {args.seizures} --persons {args.persons} --seed {args.seed}"
    )
    lines.append(f"  {seizures:,} live seizures, {links:,} seizure links")
    lines.append(f"{'':28}{'seconds':>9}{'seizures/s':>12}{'MB':>8}{'vs COPY':>9}")
    copy_rate = seizures / figures["raw COPY TO (same rows)"][0]
    for label, (seconds, size) in figures.items():
        rate = seizures / seconds
        lines.append(
            f"{label:28}{seconds:>9.2f}{rate:>12,.0f}{size / 1e6:>8.1f}{rate / copy_rate:>8.1%}"
        )
    lines.append("  (export ncen holds every table of the node, not only the seizures)")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    lines.append(f"  peak resident memory of the process: {peak:.0f} MB")
    print("\n".join(lines))
    if args.record:
        args.record.write_text("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()

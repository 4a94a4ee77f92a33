"""Spreadsheet import speed: N person rows from CSV against a raw COPY of the same rows, and
M seizure rows (with a person, a company and a conveyance each) from XLSX.

Starts a throwaway embedded PostgreSQL, migrates it, and times in one run:

- baseline: ``COPY`` of the person rows (the same CSV bytes) into an unlogged table of text
  columns, the floor of any import; the same for the seizure rows (as CSV text);
- persons: `ncen.imports.running.run_import` of the CSV (good-rows mode), committed: every row
  validated by the person service's rules in memory, then written in batches by `ncen.bulk`
  (COPY of rows, history and audit; search keys, watch-list checks, source ids);
- persons again: the same file a second time (every row recognised by its source id, nothing
  written);
- seizures: `run_import` of an XLSX of M cases, each with one item, an offender, an importer
  and a vehicle, and its links.

Peak memory (max RSS of this process) is printed after each step. Targets (issue 11): persons
at ≥ 20% of the COPY rate; 100,000 seizure rows from XLSX in < 2 minutes.

CPU seconds of the importer and of the server's processes are printed beside each wall time:
on a machine shared with other jobs the wall time is noisy, the CPU time much less. Either
count may be 0 to skip that part.

Usage: .venv/bin/python benchmarks/bench_import.py [--persons 1000000] [--seizures 100000]
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import random
import resource
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.orm import Session

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from ncen.accounts.actor import Actor  # noqa: E402
from ncen.db import make_engine  # noqa: E402
from ncen.dbroles import APP_ROLE  # noqa: E402
from ncen.embedded import create_database, embedded_database  # noqa: E402
from ncen.imports.mapping import load_mapping  # noqa: E402
from ncen.imports.running import Mode, run_import  # noqa: E402
from ncen.migrate import upgrade  # noqa: E402
from tests.import_support import xlsx_bytes  # noqa: E402

ACTOR = Actor.system("benchmark")
GIVEN = ["Ivan", "Anna", "Olga", "Pavel", "Maria", "Timur", "Aigerim", "Nurlan", "Elena", "Oleg"]
FAMILY = ["Petrov", "Ivanova", "Smirnov", "Kim", "Nazarbayev", "Sokolov", "Popova", "Lee"]
COUNTRIES = ["RU", "KZ", "UZ", "KG", "CN", "TR", "DE", "FR"]
PERSON_MAPPING = """
record: person
source: bench-register
dates: {formats: ["%d.%m.%Y"]}
person:
  id: ID
  fields:
    full_name: Name
    birth_date: Born
    nationalities: {column: Nationality, split: ";"}
    document_number: Passport
"""
SEIZURE_MAPPING = """
record: seizure
source: bench-cases
numbers: {decimal: ","}
seizure:
  id: Case
  fields:
    occurred_at: Date
    transport_mode: {column: Mode, codes: {Automobile: road}}
    departure_country: From
    narrative: Notes
  items:
    - commodity_group: {column: Goods, codes: {Heroin: drugs, Cigarettes: tobacco}}
      quantity: Qty
      unit: {value: kg}
persons:
  - role: offender
    fields: {full_name: Offender, document_number: Passport}
companies:
  - role: importer
    fields: {name: Company, registration_number: Reg}
conveyances:
  - role: means_of_transport
    fields: {kind: {value: vehicle}, plate: Plate}
"""


def peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class CpuClock:
    """CPU seconds used by this process and by the embedded server's processes (read from
    /proc, Linux): on a machine shared with other jobs wall time is noisy, CPU time far less."""

    def __init__(self, pgdata: Path) -> None:
        self.postmaster = int((pgdata / "postmaster.pid").read_text().split()[0])
        self.tick = os.sysconf("SC_CLK_TCK")

    def read(self) -> tuple[float, float]:
        """(importer, server) CPU seconds so far; server: the postmaster and its live children
        (backends, writers, autovacuum)."""
        own = resource.getrusage(resource.RUSAGE_SELF)
        server = 0
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue  # the process ended meanwhile
            pid, ppid = int(stat.parent.name), int(fields[1])
            if self.postmaster in {pid, ppid}:
                server += int(fields[11]) + int(fields[12])  # utime, stime
        return own.ru_utime + own.ru_stime, server / self.tick


def person_csv(n: int, rng: random.Random) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["ID", "Name", "Born", "Nationality", "Passport"])
    for i in range(n):
        born = date(1950, 1, 1) + timedelta(days=rng.randrange(20_000))
        writer.writerow(
            [
                f"P{i}",
                f"{rng.choice(GIVEN)} {rng.choice(FAMILY)}",
                born.strftime("%d.%m.%Y"),
                ";".join(rng.sample(COUNTRIES, rng.choice((1, 1, 2)))),
                f"N{i:08d}",
            ]
        )
    return out.getvalue().encode()


def seizure_rows(n: int, rng: random.Random) -> list[list[object]]:
    header = ["Case", "Date", "Mode", "From", "Goods", "Qty", "Offender", "Passport"]
    header += ["Company", "Reg", "Plate", "Notes"]
    rows: list[list[object]] = [["Cases exported for the benchmark"], list(header)]
    for i in range(n):
        day = date(2020, 1, 1) + timedelta(days=rng.randrange(1500))
        rows.append(
            [
                f"C-{i}",
                (day - date(1899, 12, 30)).days,  # an Excel serial date
                "Automobile",
                rng.choice(COUNTRIES),
                rng.choice(("Heroin", "Cigarettes")),
                f"{rng.randrange(1, 5000)},{rng.randrange(10)}",
                f"{rng.choice(GIVEN)} {rng.choice(FAMILY)}",
                f"S{i % max(1, n // 3):08d}",  # couriers come back: a third of the persons
                f"Trading {i % 500}",
                f"REG-{i % 500}",
                f"A{i % 1000:03d}BC",
                "Found in the spare tyre",
            ]
        )
    return rows


def raw_copy(owner, table: str, columns: list[str], data: bytes, rows: int) -> float:  # type: ignore[no-untyped-def]
    """COPY ``data`` (CSV with a header) into a new unlogged table of text columns; rows/s."""
    with owner.begin() as conn:
        conn.execute(
            text(f"CREATE UNLOGGED TABLE {table} ({', '.join(c + ' text' for c in columns)})")
        )
    raw = owner.raw_connection()
    try:
        started = time.perf_counter()
        cursor = raw.cursor()
        with cursor.copy(f"COPY {table} FROM STDIN (FORMAT csv, HEADER true)") as copy:
            copy.write(data)
        raw.commit()
        seconds = time.perf_counter() - started
    finally:
        raw.close()
    print(
        f"{'baseline: raw COPY':<28} {rows:>9} rows {seconds:9.2f} s {rows / seconds:10.0f} rows/s"
    )
    return rows / seconds


def sheet_csv(rows: list[list[object]]) -> bytes:
    """The seizure sheet's header and rows (without its title row) as CSV, for the baseline."""
    out = io.StringIO()
    csv.writer(out).writerows(rows[1:])
    return out.getvalue().encode()


def timed_import(engine, clock, label, data, name, mapping_text) -> float:  # type: ignore[no-untyped-def]  # noqa: PLR0917
    mapping = load_mapping(mapping_text)
    client, server = clock.read()
    started = time.perf_counter()
    step = 100_000

    def progress(done: int, total: int) -> None:
        # A long run shows its pace as it goes (and leaves a figure if it is stopped).
        if total >= 2 * step and (done % step < 2000 or done == total):
            now, (cpu, db) = time.perf_counter() - started, clock.read()
            print(
                f"  {label}: {done}/{total} rows in {now:.0f} s ({done / now:.0f} rows/s), "
                f"CPU importer {cpu - client:.0f} s, server {db - server:.0f} s, "
                f"peak RSS {peak_rss_mib():.0f} MiB",
                flush=True,
            )

    with Session(engine) as session, session.begin():
        report = run_import(
            session, ACTOR, data, name, mapping, mode=Mode.GOOD_ROWS, progress=progress
        )
    elapsed = time.perf_counter() - started
    client_after, server_after = clock.read()
    print(
        f"{label:<28} {report.rows:>9} rows {elapsed:9.2f} s {report.rows / elapsed:10.0f} rows/s"
        f"   stored {report.rows_stored}, refused {report.refused_rows}, created "
        f"{report.created}, unchanged {sum(report.unchanged.values())}"
        f"   peak RSS {peak_rss_mib():.0f} MiB"
        f"   CPU: importer {client_after - client:.1f} s, server {server_after - server:.1f} s"
    )
    return report.rows / elapsed


def bench_persons(owner, engine, clock, count, rng) -> None:  # type: ignore[no-untyped-def]
    """Persons from CSV against a raw COPY of the same bytes, then the same file again."""
    persons = person_csv(count, rng)
    print(f"persons CSV: {len(persons) / 1e6:.1f} MB; peak RSS {peak_rss_mib():.0f} MiB")
    columns = ["id", "name", "born", "nationality", "passport"]
    copy_rate = raw_copy(owner, "copy_persons", columns, persons, count)
    rate = timed_import(
        engine, clock, "persons CSV import", persons, "register.csv", PERSON_MAPPING
    )
    print(f"  = {100 * rate / copy_rate:.2f}% of the COPY rate (target >= 20%)")
    timed_import(
        engine, clock, "persons CSV again (no-op)", persons, "register.csv", PERSON_MAPPING
    )


def bench_seizures(owner, engine, clock, count, rng) -> None:  # type: ignore[no-untyped-def]
    """Seizure rows (each with an offender, an importer and a vehicle) from XLSX."""
    rows = seizure_rows(count, rng)
    sheet = xlsx_bytes(rows)
    print(f"seizures XLSX: {len(sheet) / 1e6:.1f} MB")
    columns = [f"c{i}" for i in range(len(rows[1]))]
    copy_rate = raw_copy(owner, "copy_seizures", columns, sheet_csv(rows), count)
    rate = timed_import(engine, clock, "seizures XLSX import", sheet, "cases.xlsx", SEIZURE_MAPPING)
    print(f"  = {100 * rate / copy_rate:.2f}% of the COPY rate of the same rows")
    print(
        f"  100,000 seizure rows would take {100_000 / rate / 60:.1f} min at this rate "
        "(target < 2 min)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--persons", type=int, default=1_000_000)
    parser.add_argument("--seizures", type=int, default=100_000)
    args = parser.parse_args()
    rng = random.Random(11)
    print(
        f"# {' '.join(sys.argv)}   ({time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, "
        f"load {' '.join(f'{x:.2f}' for x in os.getloadavg())}, {os.cpu_count()} cores)"
    )
    with (
        tempfile.TemporaryDirectory(prefix="ncen-bench-import-") as tmp,
        embedded_database(Path(tmp) / "pgdata") as cluster,
    ):
        clock = CpuClock(Path(tmp) / "pgdata")
        urls = create_database(cluster, "bench_import")
        owner = make_engine(urls.owner)
        upgrade(owner, app_role=APP_ROLE)
        engine = make_engine(urls.app)
        if args.persons:
            bench_persons(owner, engine, clock, args.persons, rng)
        if args.seizures:
            bench_seizures(owner, engine, clock, args.seizures, rng)
        print(f"load after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
        engine.dispose()
        owner.dispose()


if __name__ == "__main__":
    main()

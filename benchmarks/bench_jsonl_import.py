"""JSON Lines person import (``ncen import persons FILE.jsonl``): the bulk path against the
per-line path, in one run.

On a throwaway embedded PostgreSQL migrated to head (`benchmarks.scale.demo_database`, here with
``--seizures`` demo seizures and persons loaded first, none by default), times:

- baseline: N keyed lines imported one by one through `ncen.persons.importing.import_person`
  in a SAVEPOINT each (the path every line took before the bulk path), under one source;
- bulk: `ncen.imports.jsonl.import_persons` of N other keyed lines (another source), which sends
  them through `ncen.imports.jsonl_bulk` (a lookup per chunk, batches of `ncen.bulk`);
- again: the same bulk file a second time (every line recognised, nothing written).

Each step commits. Figures are wall-clock seconds and lines a second; the machine is shared,
so compare the steps of one run rather than runs.

Usage: .venv/bin/python benchmarks/bench_jsonl_import.py [--persons 3000] [--seizures 0]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from sqlalchemy.orm import Session

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.scale import add_scale_arguments, demo_database  # noqa: E402
from ncen.accounts.actor import Actor  # noqa: E402
from ncen.db import make_engine  # noqa: E402
from ncen.imports.jsonl import import_persons  # noqa: E402
from ncen.persons.importing import import_person  # noqa: E402

ACTOR = Actor.system("benchmark")
GIVEN = ["Ivan", "Anna", "Olga", "Pavel", "Maria", "Timur", "Aigerim", "Nurlan", "Elena", "Oleg"]
FAMILY = ["Petrov", "Ivanova", "Smirnov", "Kim", "Sokolov", "Popova", "Lee", "Akhmetova"]


def lines(source: str, count: int) -> list[bytes]:
    """``count`` keyed person lines of ``source`` (names, gender, birth year, a passport)."""
    return [
        json.dumps(
            {
                "source": source,
                "source_id": f"P-{i}",
                "names": [{"full_name": f"{GIVEN[i % 10]} {FAMILY[i // 10 % 8]}"}],
                "gender": "MF"[i % 2],
                "birth_year": 1950 + i % 50,
                "nationalities": ["KZ"],
                "documents": [{"doc_type": "passport", "number": f"N{i:08d}"}],
            }
        ).encode()
        for i in range(count)
    ]


def main() -> None:
    """Run the three steps and print their figures side by side."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_scale_arguments(parser, persons=3000, seizures=0)
    args = parser.parse_args()
    count = args.persons
    with demo_database(0, args.seizures, args.data_dir) as db:
        engine = make_engine(db.urls.app)
        try:
            figures = []
            with Session(engine) as session, session.begin():
                started = time.perf_counter()
                for raw in lines("bench-baseline", count):
                    savepoint = session.begin_nested()
                    import_person(session, ACTOR, json.loads(raw))
                    savepoint.commit()
            figures.append(("per line (baseline)", time.perf_counter() - started))
            bulk = lines("bench-bulk", count)
            for label in ("bulk path", "bulk path, same file again"):
                with Session(engine) as session, session.begin():
                    started = time.perf_counter()
                    summary = import_persons(session, ACTOR, bulk)
                figures.append((label, time.perf_counter() - started))
                print(f"{label}: {summary}", file=sys.stderr)
        finally:
            engine.dispose()
    print(f"JSON Lines import of {count} keyed person lines (one run, shared machine)")
    for label, seconds in figures:
        print(f"  {label:<28} {seconds:8.2f} s  {count / seconds:10.0f} lines/s")
    print(f"  bulk / per line: {figures[0][1] / figures[1][1]:.1f}x faster")


if __name__ == "__main__":
    main()

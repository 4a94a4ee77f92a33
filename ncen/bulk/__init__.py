"""Bulk writes of many records at once, with every guarantee of the per-record services.

The record services (`ncen.persons.services`...) write one record per call: a flush, a history
row, an audit event and a watch-list query each. Importers of thousands of records (spreadsheet
imports, `ncen.imports`; received record sets, `exchange.records`) build their records here
instead, and write them in batches:

- `ncen.bulk.building`: a new record validated and built in memory by its service's own
  ``apply`` (the one place of its rules), not written;
- `ncen.bulk.steps`: what a batch writes, in order: `Create` (a new record, with the links
  it is created with) and `Link` (a later link version of a seizure of the same batch);
- `ncen.bulk.writing`: `write_batch` writes a batch with one COPY per table
  (`ncen.bulk.copying`): rows, history rows, audit events queued for the one chain lock of the
  transaction, review dates, and then the after-write checks;
- `ncen.bulk.checks`: `run_after_write_checks`, the checks run over every record a batch
  wrote (watch-list alerts; risk-profile hits join there).

The history, audit content and alerts are those the per-record path writes for the same
changes (a test compares both paths record for record).
"""

from ncen.bulk.building import build_record, build_seizure
from ncen.bulk.checks import run_after_write_checks
from ncen.bulk.steps import Create, Link, LinkSpec
from ncen.bulk.writing import write_batch

__all__ = [
    "Create",
    "Link",
    "LinkSpec",
    "build_record",
    "build_seizure",
    "run_after_write_checks",
    "write_batch",
]

"""Bulk imports: spreadsheets of any record type through a mapping, and persons from JSON Lines.

- `ncen.imports.readers`: CSV/TSV/XLSX files into a header and rows, within bounds;
- `ncen.imports.mapping`: mapping files (which column goes to which field), validated;
- `ncen.imports.proposal`: a mapping proposed from a header row;
- `ncen.imports.values`: dates and numbers as files write them;
- `ncen.imports.rows`: one row → the data of each record service;
- `ncen.imports.storing`: one row stored whole or not at all, found again by its source id;
- `ncen.imports.running`: `run_import`, the entry point of the CLI, the wizard and the API;
- `ncen.imports.report`: counts and the row-level report (CSV);
- `ncen.imports.saved`: the wizard's uploads and each user's saved mappings;
- `ncen.imports.jsonl`: persons from JSON Lines (docs/import-persons.md);
- `ncen.imports.cli`: the ``ncen import`` commands.
"""

from ncen.imports.jsonl import ImportFailedError, ImportSummary, import_persons

__all__ = ["ImportFailedError", "ImportSummary", "import_persons"]

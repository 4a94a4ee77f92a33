"""What an import did, and the row-level report of what it refused.

`ImportReport` counts the records created, updated and left unchanged per record type, holds
every `Problem` (row, column, reason) and a preview of the first rows as they will be stored.
`report_csv` writes the problems as the CSV a user downloads (cells that a spreadsheet would
run as formulas are neutralised with a leading apostrophe).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from typing import Any

from ncen.imports.rows import Problem

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@dataclass(slots=True)
class PreviewRow:
    """One row of the preview: its number and, per record it makes, the service data."""

    row: int
    records: list[tuple[str, str | None, dict[str, Any]]]  # (kind, role, data)


@dataclass(slots=True)
class ImportReport:
    """The outcome of `ncen.imports.running.run_import` (also of a dry run)."""

    record_type: str
    mode: str
    dry_run: bool
    rows: int = 0
    rows_stored: int = 0
    created: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)
    unchanged: dict[str, int] = field(default_factory=dict)
    links: int = 0
    problems: list[Problem] = field(default_factory=list)
    preview: list[PreviewRow] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    committed: bool = False

    @property
    def refused_rows(self) -> int:
        """How many rows were refused (a row with several problems counts once)."""
        return len({p.row for p in self.problems})

    @property
    def changed(self) -> int:
        """Records created or updated (0 when importing the same file again)."""
        return sum(self.created.values()) + sum(self.updated.values()) + self.links

    def as_dict(self) -> dict[str, Any]:
        """The report as plain JSON (for the wizard's stored result and the API)."""
        return {
            "record_type": self.record_type,
            "mode": self.mode,
            "dry_run": self.dry_run,
            "committed": self.committed,
            "rows": self.rows,
            "rows_stored": self.rows_stored,
            "refused_rows": self.refused_rows,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "links": self.links,
            "notes": self.notes,
            "problems_total": len(self.problems),
            "problems": [
                {"row": p.row, "column": p.column, "reason": p.reason} for p in self.problems[:1000]
            ],
        }


def _safe(cell: str) -> str:
    return "'" + cell if cell.startswith(_FORMULA_STARTS) else cell


def report_csv(problems: list[Problem]) -> str:
    """The problems as CSV text: a header, then ``row,column,reason`` per problem."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["row", "column", "reason"])
    for p in problems:
        writer.writerow([p.row, _safe(p.column), _safe(p.reason)])
    return out.getvalue()

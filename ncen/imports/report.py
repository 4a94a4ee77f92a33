"""What an import did, and the row-level report of what it refused.

`ImportReport` counts the records created, updated and left unchanged per record type, holds
every `Problem` (row, column, reason) and a preview of the first rows as they will be stored.
`report_csv` writes the problems as the CSV a user downloads (cells that a spreadsheet would
run as formulas are neutralised with a leading apostrophe).
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field
from typing import Any

from ncen.imports.rows import Problem

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Problems kept in a stored report (the CSV report keeps them all).
STORED_PROBLEMS = 1000


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
    # Set when rebuilt from a stored report, whose problems list is cut at STORED_PROBLEMS.
    refused_total: int | None = None

    @property
    def refused_rows(self) -> int:
        """How many rows were refused (a row with several problems counts once)."""
        if self.refused_total is not None:
            return self.refused_total
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
                {"row": p.row, "column": p.column, "reason": p.reason}
                for p in self.problems[:STORED_PROBLEMS]
            ],
            # Dates and decimals as text: the stored JSON must not depend on Python types.
            "preview": json.loads(
                json.dumps(
                    [{"row": p.row, "records": [list(r) for r in p.records]} for p in self.preview],
                    default=str,
                )
            ),
        }


def report_from_dict(data: dict[str, Any]) -> ImportReport:
    """The report that `ImportReport.as_dict` stored (a background run's), for the wizard's
    page: its problems are the first `STORED_PROBLEMS`; the refused-row count is whole."""
    return ImportReport(
        record_type=str(data.get("record_type", "")),
        mode=str(data.get("mode", "")),
        dry_run=bool(data.get("dry_run")),
        rows=int(data.get("rows", 0)),
        rows_stored=int(data.get("rows_stored", 0)),
        created=dict(data.get("created") or {}),
        updated=dict(data.get("updated") or {}),
        unchanged=dict(data.get("unchanged") or {}),
        links=int(data.get("links", 0)),
        problems=[
            Problem(int(p["row"]), str(p["column"]), str(p["reason"]))
            for p in data.get("problems") or []
        ],
        preview=[
            PreviewRow(int(p["row"]), [(r[0], r[1], r[2]) for r in p["records"]])
            for p in data.get("preview") or []
        ],
        notes=[str(n) for n in data.get("notes") or []],
        committed=bool(data.get("committed")),
        refused_total=int(data.get("refused_rows", 0)),
    )


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

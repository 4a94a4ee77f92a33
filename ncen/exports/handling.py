"""Handling codes that travel with an exported file.

A record under H2 (no onward transmission without the originator's consent) or H3 (free-text
restrictions) keeps its restriction outside the node: each export lists those records, with
the code and the restrictions, as a banner (CSV: lines above the header; XLSX: a first sheet
named "handling"; FtM: the entity's ``notes``). H0 and H1 are the node's defaults for
law-enforcement use and need no banner, but every row still carries its own code.
"""

from __future__ import annotations

from dataclasses import dataclass

from ncen.records import HandlingCode, RecordMixin

RESTRICTED = frozenset({HandlingCode.H2, HandlingCode.H3})
NOTICE = {
    HandlingCode.H2: "H2: no onward transmission without the originator's consent",
    HandlingCode.H3: "H3: restrictions stated by the originator apply",
}


@dataclass(frozen=True)
class HandlingNote:
    """One restricted record of an export."""

    record_type: str
    record_id: str
    label: str
    code: str
    restrictions: str | None
    origin_node: str | None

    def line(self) -> str:
        """The note as one line of text (banner rows, FtM notes)."""
        text = f"{self.code} {self.record_type} {self.label} ({self.record_id})"
        if self.origin_node:
            text += f" from {self.origin_node}"
        if self.restrictions:
            text += f": {self.restrictions}"
        return text


def label_of(record: RecordMixin) -> str:
    """A record's reference (seizures) or display name."""
    reference = getattr(record, "reference", None)
    return str(reference if reference else getattr(record, "display_name", record.id))


def handling_notes(record_type: str, records: list[RecordMixin]) -> list[HandlingNote]:
    """The notes of the H2 and H3 records among ``records``, in their order."""
    return [
        HandlingNote(
            record_type,
            str(r.id),
            label_of(r),
            r.handling_code.value,
            r.handling_restrictions,
            r.origin_node,
        )
        for r in records
        if r.handling_code in RESTRICTED
    ]


def banner_lines(notes: list[HandlingNote]) -> list[str]:
    """The banner of a file holding ``notes`` (empty when nothing is restricted)."""
    if not notes:
        return []
    codes = sorted({n.code for n in notes})
    head = [
        "HANDLING RESTRICTIONS APPLY TO THIS FILE: "
        + "; ".join(NOTICE[HandlingCode(c)] for c in codes)
    ]
    return head + [n.line() for n in notes]

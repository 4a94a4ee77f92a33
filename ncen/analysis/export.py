"""A statistics table as labelled data: JSON for the CLI and the page's charts. (The CSV
download is written by the web, in the user's language: `web.csvexport`.)

Labels are in the language asked for (`ncen.reference.labels`: CLDR names of countries and
currencies, the translations of ``reference_labels`` for the other lists, English by default, as
the CLI writes), and every label sits next to its code, so a spreadsheet can still join on codes.
Quantities are written as plain decimal strings in the family's base unit, never rounded, so a
spreadsheet adds them exactly.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy.orm import Session

from ncen.analysis.dimensions import DIMENSIONS
from ncen.analysis.rollups import StatisticsFreshness
from ncen.analysis.statistics import StatTable
from ncen.reference.labels import labels_of

Labels = dict[str, dict[str, str]]  # dimension -> code -> label

_CODE_TABLES = frozenset(d.codes for d in DIMENSIONS.values() if d.codes is not None) | {
    "quantity_units"
}
_PROVENANCE = {"national": "National", "received": "Received"}


def table_labels(
    session: Session,
    table: StatTable,
    locale: str = "en",
    provenance: dict[str, str] | None = None,
) -> Labels:
    """Labels in ``locale`` for every value in ``table`` and for its unit families (key
    ``"family"``); ``provenance`` names the two provenances (English when None)."""
    labels: Labels = {}
    for i, name in enumerate(table.by):
        values = [row.values[i] for row in table.rows]
        codes = DIMENSIONS[name].codes
        if codes:
            labels[name] = labels_of(session, codes, values, locale, known=_CODE_TABLES)
        elif name == "provenance":
            labels[name] = dict(provenance or _PROVENANCE)
        else:
            labels[name] = {v: v for v in values}
    labels["family"] = labels_of(
        session, "quantity_units", table.families, locale, known=_CODE_TABLES
    )
    return labels


def table_document(
    table: StatTable, labels: Labels, freshness: StatisticsFreshness
) -> dict[str, Any]:
    """The table as one JSON-ready document (``ncen stats seizures --json``)."""
    rows = []
    for row in table.rows:
        entry: dict[str, Any] = {
            name: {"code": value, "label": labels.get(name, {}).get(value, value)}
            for name, value in zip(table.by, row.values, strict=True)
        }
        entry["seizures"] = row.seizures
        entry["quantities"] = {family: plain(amount) for family, amount in row.quantities.items()}
        if row.drill is not None:
            entry["list_filters"] = row.drill.describe()
        rows.append(entry)
    return {
        "by": list(table.by),
        "filters": table.filters.describe(),
        "total_seizures": table.total,
        "counts_once_per_value": [n for n in table.by if DIMENSIONS[n].counts_per_value],
        "families": {f: labels["family"].get(f, f) for f in table.families},
        "as_of": freshness.as_of.isoformat(),
        "pending_changes": freshness.pending,
        "source": table.source,
        "truncated": table.truncated,
        "rows": rows,
    }


def plain(amount: Decimal) -> str:
    """A quantity as plain decimal text without trailing zeros (1500 g -> "1.5" kg)."""
    return format(amount.normalize(), "f")

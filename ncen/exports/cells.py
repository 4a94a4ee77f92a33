"""Cells safe from being run by a spreadsheet (CSV or formula injection).

A cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is a formula
to Excel, LibreOffice and Google Sheets, even in a CSV file. `neutralise` prefixes it with an
apostrophe, which those programs show as text and do not display. Every text cell of every
CSV and XLSX export goes through it; numbers and dates are written as numbers and dates, never
as text, so a negative number is not mistaken for a formula.
"""

from __future__ import annotations

FORMULA_STARTS = frozenset({"=", "+", "-", "@", "\t", "\r"})


def neutralise(value: str) -> str:
    """``value`` with a leading apostrophe if a spreadsheet would run it as a formula."""
    return "'" + value if value[:1] in FORMULA_STARTS else value

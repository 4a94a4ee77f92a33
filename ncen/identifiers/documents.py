"""Travel and identity documents: document numbers and machine-readable zone check digits.

Document numbers are folded so that a passport typed on a Cyrillic or Greek layout matches the
same number typed in Latin letters, and may contain letters of any script; MRZ fields are
verified against their ICAO 9303 check digit (weights 7, 3, 1).
"""

from __future__ import annotations

import re

from ncen.identifiers._folding import (
    _char,
    _check_digit_mismatch,
    _check_free_alnum,
    _compact,
    _fold,
    _refuse,
)


def normalize_document_number(raw: str) -> str:
    """Return `raw` folded (look-alike Cyrillic/Greek letters to Latin), without separators.

    Never raises. "аб 123-45" and "AБ12345" give the same key.
    """
    return _compact(raw)


def check_document_number(raw: str) -> str:
    """Return the normalised passport or identity document number in `raw`.

    After normalising it must be 3 to 20 letters or digits; letters of any script are allowed
    because national documents (e.g. Ukrainian internal passports) use Cyrillic series. Raises
    `InvalidIdentifierError` otherwise.
    """
    return _check_free_alnum("document number", normalize_document_number(raw), 3, 20)


def _mrz_value(char: str) -> int:
    if char == "<":
        return 0
    return int(char) if char.isdigit() else ord(char) - ord("A") + 10


def check_mrz_check_digit(field: str, digit: str) -> str:
    """Return `field` (upper case) if `digit` is its ICAO 9303 check digit.

    The check digit is the sum of the character values (0-9, A=10 ... Z=35, filler < = 0)
    weighted 7, 3, 1 repeating, modulo 10; an all-filler field may also have < as check digit.
    Raises `InvalidIdentifierError` for characters outside A-Z, 0-9 and < or a wrong digit.
    """
    label = "machine-readable zone field"
    value = "".join(char for char in _fold(field) if not char.isspace())
    for char in value:
        if not re.fullmatch(r"[A-Z0-9<]", char):
            raise _refuse(
                label,
                value,
                f"{_char(char)} cannot appear in a machine-readable zone (only A-Z, 0-9 and <)",
            )
    found = _fold(digit).strip()
    if found == "<" and set(value) <= {"<"}:
        return value
    if not re.fullmatch(r"[0-9]", found):
        raise _refuse(label, value, f"the check digit must be one digit 0-9, not {found!r}")
    expected = sum(_mrz_value(char) * (7, 3, 1)[i % 3] for i, char in enumerate(value)) % 10
    _check_digit_mismatch(label, value, str(expected), found)
    return value

"""Shared folding and refusal helpers of the identifier checks.

Every normaliser in the package starts from `_fold` (upper case, accents and invisible
characters dropped, Cyrillic and Greek look-alikes folded to Latin, any script's digits to
ASCII) and usually `_compact` (the same without separators). The ``_refuse`` / ``_require_*`` /
``_check_*`` helpers build the `InvalidIdentifierError` messages that every checker raises, so
that officers read the same phrasing whatever identifier they typed. Private to the package.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Final

import pycountry

from ncen.errors import InvalidIdentifierError

# Officers on Cyrillic or Greek keyboard layouts type passports and plates with letters that are
# pixel-identical to Latin ones; without folding, "АВ123" and "AB123" would never match. Only
# true look-alikes are mapped (by their upper-case form, since folding upper-cases first):
# mapping by sound (Ж -> ZH) is transliteration, which belongs to name matching, not here.
_LOOKALIKES: Final = str.maketrans(
    {
        # Cyrillic
        "А": "A", "В": "B", "Е": "E", "Ѕ": "S", "І": "I", "Ј": "J", "К": "K", "М": "M",
        "Н": "H", "О": "O", "Р": "P", "С": "C", "Т": "T", "У": "Y", "Х": "X", "Ү": "Y",
        "Ԛ": "Q", "Ԝ": "W",
        # Greek
        "Α": "A", "Β": "B", "Ε": "E", "Ζ": "Z", "Η": "H", "Ι": "I", "Κ": "K", "Μ": "M",
        "Ν": "N", "Ο": "O", "Ρ": "P", "Τ": "T", "Υ": "Y", "Χ": "X",
    }
)  # fmt: skip

_MAX_SHOWN: Final = 40


def _fold(raw: str) -> str:
    """Upper-case `raw`, drop accents and invisible characters, fold look-alikes and digits.

    NFKD first so that full-width letters (from East Asian input methods) and ligatures become
    plain letters, and accents become separate marks that can be dropped: no identifier handled
    here carries diacritics, and an "É" in a passport number is a typing accident.
    """
    out: list[str] = []
    for char in unicodedata.normalize("NFKD", raw):
        category = unicodedata.category(char)
        # Marks are the detached accents; Cf are zero-width spaces, soft hyphens and byte-order
        # marks that ride along with text copied from web pages and e-mails.
        if category.startswith("M") or category == "Cf":
            continue
        digit = unicodedata.decimal(char, None)
        # Arabic-Indic, Persian and Devanagari digits are digits: store them as ASCII.
        out.append(str(digit) if digit is not None else char.upper())
    return "".join(out).translate(_LOOKALIKES)


def _is_separator(char: str) -> bool:
    # Every dash (Pd) because word processors turn "-" into en and em dashes; U+2212 is the
    # minus sign, which is a math symbol rather than a dash but looks the same.
    return char.isspace() or char in "./\u2212" or unicodedata.category(char) == "Pd"


def _compact(raw: str) -> str:
    """`_fold` then drop spaces, dashes, dots and slashes: the shared normaliser."""
    return "".join(char for char in _fold(raw) if not _is_separator(char))


def _alnum_key(raw: str) -> str:
    """`_fold` keeping letters and digits only: the search key of identifiers without a scheme."""
    return "".join(char for char in _fold(raw) if char.isalnum())


def _shown(value: str) -> str:
    # Messages echo the value so that a log line or CLI output stands on its own; control
    # characters are masked and long pastes cut so that the message stays one readable line.
    clean = "".join(char if char.isprintable() else "?" for char in value)
    return clean if len(clean) <= _MAX_SHOWN else clean[: _MAX_SHOWN - 1] + "…"


def _char(char: str) -> str:
    # Name an invisible or blank character by its code point instead of printing nothing.
    return char if char.isprintable() and not char.isspace() else f"U+{ord(char):04X}"


def _refuse(label: str, value: str, problem: str) -> InvalidIdentifierError:
    if not value:
        return InvalidIdentifierError(f"{label} is empty: {problem}")
    return InvalidIdentifierError(f"{label} {_shown(value)}: {problem}")


_DIGIT_TYPOS: Final = {"O": "0", "I": "1"}


def _require_digits(label: str, value: str, start: int, stop: int, part: str) -> None:
    """Raise unless ``value[start:stop]`` is ASCII digits, naming the first offending position."""
    for index in range(start, stop):
        char = value[index]
        if char not in "0123456789":
            hint = f" (did you mean {_DIGIT_TYPOS[char]}?)" if char in _DIGIT_TYPOS else ""
            raise _refuse(
                label,
                value,
                f"{part} must be digits, but position {index + 1} is {_char(char)}{hint}",
            )


def _require_length(label: str, value: str, lengths: range, what: str) -> None:
    if len(value) not in lengths:
        raise _refuse(label, value, f"{what}; this one has {len(value)} characters")


def _check_digit_mismatch(label: str, value: str, expected: str, found: str) -> None:
    if expected != found:
        raise _refuse(label, value, f"check digit should be {expected}, not {found}")


def _lookup_country(alpha_2: str) -> bool:
    return pycountry.countries.get(alpha_2=alpha_2) is not None


def _check_free_alnum(label: str, value: str, shortest: int, longest: int) -> str:
    for char in value:
        if not char.isalnum():
            raise _refuse(
                label, value, f"{_char(char)} is not allowed; use letters and digits only"
            )
    if not shortest <= len(value) <= longest:
        raise _refuse(
            label,
            value,
            f"must have {shortest} to {longest} letters or digits, this one has {len(value)}",
        )
    return value


def _check_ascii_alnum(label: str, value: str, shortest: int, longest: int) -> str:
    for char in value:
        if not re.fullmatch(r"[A-Z0-9]", char):
            raise _refuse(
                label,
                value,
                f"{_char(char)} is not allowed; use the letters A-Z and the digits 0-9 only",
            )
    return _check_free_alnum(label, value, shortest, longest)

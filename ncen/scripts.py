"""Writing systems of names: ISO 15924 codes, detected from the letters or checked when given.

`detect_script` reads the Unicode names of a name's letters; `check_script` validates a code
given by a user or a file against the ISO 15924 register as shipped by ``pycountry`` (the
Debian iso-codes data, kept in step with the registration authority, the Unicode
Consortium). Codes are case-insensitive on input and stored in their registered form
(``latn`` -> ``Latn``). Chinese may be given as ``Hani`` (Han), ``Hans`` (simplified) or
``Hant`` (traditional), all registered codes.
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from functools import lru_cache

import pycountry

from ncen.errors import InvalidIdentifierError

# The range ISO 15924 reserves for private use: meaningless to another node.
_PRIVATE_USE = ("QAAA", "QABX")

_PREFIXES = (
    ("LATIN", "Latn"),
    ("CYRILLIC", "Cyrl"),
    ("ARABIC", "Arab"),
    ("CJK", "Hani"),
    ("GREEK", "Grek"),
    ("HEBREW", "Hebr"),
    ("GEORGIAN", "Geor"),
    ("ARMENIAN", "Armn"),
    ("DEVANAGARI", "Deva"),
    ("HANGUL", "Hang"),
    ("HIRAGANA", "Jpan"),
    ("KATAKANA", "Jpan"),
    ("THAI", "Thai"),
)


# Names repeat (a register of a million persons holds far fewer name forms), and the Unicode
# name of every letter is looked up: a pure function, kept per distinct text.
@lru_cache(maxsize=65536)
def detect_script(text: str) -> str:
    """The ISO 15924 code of the script most letters of ``text`` are in.

    Returns ``Zyyy`` (common) when there are no letters, and the majority script for mixed text.
    """
    counts: Counter[str] = Counter()
    for char in text:
        if not char.isalpha():
            continue
        name = unicodedata.name(char, "")
        for prefix, code in _PREFIXES:
            if name.startswith(prefix):
                counts[code] += 1
                break
        else:
            counts["Zzzz"] += 1
    if not counts:
        return "Zyyy"
    return counts.most_common(1)[0][0]


def check_script(code: str) -> str:
    """The registered form of ISO 15924 code ``code`` (four letters, any case).

    Raises `InvalidIdentifierError` naming the problem for anything else: a wrong length or
    characters, an unregistered code, or a code of the private-use range Qaaa-Qabx.
    """
    candidate = code.strip()
    if len(candidate) != 4 or not (candidate.isascii() and candidate.isalpha()):
        raise InvalidIdentifierError(
            "must be a four-letter ISO 15924 script code, such as Latn, Cyrl, Arab, Hans"
        )
    if _PRIVATE_USE[0] <= candidate.upper() <= _PRIVATE_USE[1]:
        raise InvalidIdentifierError(
            f"{candidate} is an ISO 15924 private-use code: use the registered code"
        )
    script = pycountry.scripts.get(alpha_4=candidate)
    if script is None:
        raise InvalidIdentifierError(
            f"unknown ISO 15924 script code {candidate!r} (for example Latn, Cyrl, Arab, "
            "Hani, Hans, Hant)"
        )
    return str(script.alpha_4)

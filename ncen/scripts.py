"""Which writing system a name is in (ISO 15924 codes), from the Unicode names of its letters."""

from __future__ import annotations

import unicodedata
from collections import Counter

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

"""Unicode clean-up, case folding, diacritics and word splitting for names and queries.

Everything the matcher compares goes through here first: text is put in NFKC form (full-width
letters and ligatures become plain letters), invalid code points (lone surrogates from broken
decoders, private-use and unassigned characters, controls and zero-width marks) are dropped,
and the text is split into words. Latin words are folded: lower case, diacritics removed, with
the German and Azerbaijani spellings that passports use kept as extra variants (Müller gives
"muller" and "mueller"; Məmmədov gives "mammadov").
"""

from __future__ import annotations

import re
import unicodedata
from typing import Final

from ncen.errors import ValidationError

MAX_QUERY_CHARS: Final = 200
MAX_QUERY_WORDS: Final = 8
MIN_QUERY_LETTERS: Final = 2

# Categories dropped outright: controls, format characters (zero-width joiners, bidi marks,
# soft hyphens), surrogates (invalid Unicode), private use, unassigned.
_DROPPED_CATEGORIES: Final = frozenset({"Cc", "Cf", "Cs", "Co", "Cn"})
# Apostrophes and modifier letters inside a word (Il'ich, O'g'li, Uzbek oʻ/gʻ, Arabic ʿAli).
_APOSTROPHES: Final = frozenset("'`´ʹʻʼʽʾʿ’‘′")
# Letters whose German or Azerbaijani passport spelling is not their stripped base letter.
_LATIN_SPECIAL: Final = str.maketrans({"ə": "a", "ß": "ss", "æ": "ae", "œ": "oe", "ø": "o"})
# The spelling of letters with diacritics in the transcriptions that other scripts start from:
# German umlauts, Polish nasals and ó, Czech ř, Turkish ş, ç, ğ (Müller = Mueller, Dąbrowski =
# Домбровский, Wójcik = Вуйцик, Dvořák = Дворжак).
_TRANSCRIBED: Final = str.maketrans(
    {"ä": "ae", "ö": "oe", "ü": "ue", "ą": "on", "ę": "en", "ó": "u", "ř": "rzh", "ş": "sh",
     "ç": "ch", "ğ": "gh", "ż": "zh", "ś": "sh", "ć": "ch", "š": "sh", "č": "ch", "ž": "zh"}
)  # fmt: skip
_WORD_RE: Final = re.compile(r"[^\W_]+(?:[-‐‑][^\W_]+)*")


def clean(raw: str) -> str:
    """Return ``raw`` in NFKC form without invalid or invisible code points, spaces collapsed.

    Never raises: lone surrogates and other code points that cannot be stored are removed.
    """
    text = unicodedata.normalize(
        "NFKC", raw.encode("utf-8", "surrogatepass").decode("utf-8", "replace")
    )
    kept = []
    for char in text:
        category = unicodedata.category(char)
        if char == "\ufffd" or category in _DROPPED_CATEGORIES:
            kept.append(" " if category == "Cc" else "")
        elif char in _APOSTROPHES:
            kept.append("")
        else:
            kept.append(char)
    return " ".join("".join(kept).split())


def strip_marks(text: str) -> str:
    """Remove combining marks (accents, Arabic vowel signs) after canonical decomposition."""
    decomposed = unicodedata.normalize("NFD", text)
    return unicodedata.normalize(
        "NFC", "".join(c for c in decomposed if not unicodedata.category(c).startswith("M"))
    )


def fold_latin(word: str) -> str:
    """Lower-case a Latin word and remove its diacritics ("Şahin" → "sahin")."""
    return strip_marks(word.casefold().translate(_LATIN_SPECIAL))


def latin_variants(word: str) -> tuple[str, ...]:
    """The folded form of a Latin word, plus its transcribed spelling when it differs
    ("Müller" → ("muller", "mueller"), "Dąbrowski" → ("dabrowski", "donbrowski"))."""
    folded = fold_latin(word)
    lower = word.casefold().translate(_LATIN_SPECIAL)
    for nasal, vowel in (("ą", "o"), ("ę", "e")):  # a nasal before b or p is said m
        lower = lower.replace(nasal + "b", vowel + "mb").replace(nasal + "p", vowel + "mp")
    transcribed = strip_marks(lower.translate(_TRANSCRIBED))
    return (folded,) if transcribed == folded else (folded, transcribed)


def words(text: str) -> list[str]:
    """Split cleaned text into words; hyphenated words stay whole ("Abdul-Rahman").

    Punctuation, symbols and emoji separate words and are otherwise ignored.
    """
    return _WORD_RE.findall(text)


def letter_count(text: str) -> int:
    """How many letters or digits ``text`` has."""
    return sum(1 for char in text if char.isalnum())


def check_query_text(raw: object, field: str = "q") -> str:
    """Validate a name query typed by a user; return it cleaned.

    Raises `ValidationError` naming ``field`` when the query is not text, is empty, has fewer
    than two letters (emoji and punctuation do not count), is longer than `MAX_QUERY_CHARS`
    characters or has more than `MAX_QUERY_WORDS` words.
    """
    if not isinstance(raw, str):
        raise ValidationError({field: "enter the text to search for"})
    if len(raw) > MAX_QUERY_CHARS * 4:
        raise ValidationError({field: f"use at most {MAX_QUERY_CHARS} characters"})
    text = clean(raw)
    if not text:
        raise ValidationError({field: "enter the text to search for"})
    if len(text) > MAX_QUERY_CHARS:
        raise ValidationError({field: f"use at most {MAX_QUERY_CHARS} characters"})
    if letter_count(text) < MIN_QUERY_LETTERS:
        raise ValidationError({field: f"enter at least {MIN_QUERY_LETTERS} letters or digits"})
    if len(words(text)) > MAX_QUERY_WORDS:
        raise ValidationError({field: f"use at most {MAX_QUERY_WORDS} words"})
    return text

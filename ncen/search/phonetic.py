"""Phonetic codes that stay the same across transliteration systems.

General-purpose phonetic algorithms (Soundex, Metaphone) are tuned to English spelling and give
Mukhammad and Mohammed different codes. This code is a consonant skeleton tuned to the way
names move between Cyrillic, Arabic script, Chinese and Latin:

- vowels are dropped (Arabic script does not write short vowels; Cyrillic е, э, ё and я come out
  as e, ye, yo, ya), and a word that starts with a vowel sound gets the marker ``A``;
- consonants that transliteration systems render differently fall into one class: ``K`` for
  k/q/g/gh/kh/h (Russian writes Arabic h as г: Гасан = Hasan), ``S`` for every sibilant and
  affricate (s, z, sh, zh, ch, ts, j, tsch, shch...), ``T`` for t/d/th, ``V`` for v/w/f/ph,
  ``B`` for b/p;
- repeated classes collapse, also across vowels (Mamedov = Mammadov).

Letters whose value depends on the source system give alternative codes: German ``ch`` is
х (K) where English ``ch`` is ч (S); ``j`` is a vowel in Jurij and a consonant in Jamshid;
Arabic ث, ذ, ض, ظ are read as s/z in Persian and t/d in Arabic. A word has at most
`MAX_CODES` codes; two words match phonetically when their code sets meet.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Final

MAX_CODES: Final = 4
_VOWEL: Final = "·"
_ONSET: Final = "A"

_LATIN_RULES: Final[tuple[tuple[str, tuple[str, ...]], ...]] = (
    ("schtsch", ("S",)), ("shtch", ("S",)), ("shch", ("S",)), ("chtch", ("S",)),
    ("tsch", ("S",)), ("dsch", ("S",)), ("dzh", ("S",)), ("sch", ("S",)), ("tch", ("S",)),
    ("sh", ("S",)), ("zh", ("S",)), ("ch", ("S", "K")), ("ts", ("S",)), ("tz", ("S",)),
    ("dz", ("S",)), ("dj", ("S",)), ("cz", ("S",)), ("sz", ("S",)), ("kh", ("K",)),
    ("gh", ("K",)), ("ph", ("V",)), ("th", ("T",)), ("dh", ("T", "S")), ("ck", ("K",)),
    ("rz", ("RS", "S")),
)  # fmt: skip
_LATIN_LETTERS: Final[dict[str, tuple[str, ...]]] = {
    **dict.fromkeys("aeiouy", (_VOWEL,)),
    **dict.fromkeys("bp", ("B",)),
    **dict.fromkeys("fvw", ("V",)),
    **dict.fromkeys("dt", ("T",)),
    **dict.fromkeys("sz", ("S",)),
    **dict.fromkeys("gkh", ("K",)),
    **dict.fromkeys("qx", ("K", "S")),
    "j": (_VOWEL, "S"),
    "l": ("L",),
    "m": ("M",),
    "n": ("N",),
    "r": ("R",),
}
_ARABIC_LETTERS: Final[dict[str, tuple[str, ...]]] = {
    **dict.fromkeys("اآأإٱىءئؤۀےۍېعیيى", (_VOWEL,)),
    **dict.fromkeys("بپ", ("B",)),
    **dict.fromkeys("تطٹټدڈډ", ("T",)),
    **dict.fromkeys("ثذضظ", ("S", "T")),
    **dict.fromkeys("جچژځڅښږشسصز", ("S",)),
    **dict.fromkeys("حخهقکكگغګ", ("K",)),
    **dict.fromkeys("رڑړ", ("R",)),
    **dict.fromkeys("نںڼ", ("N",)),
    "ف": ("V",),
    "ل": ("L",),
    "م": ("M",),
    "و": (_VOWEL, "V"),
    "ھ": (),  # Urdu aspiration mark: bh, kh, ph are one sound
    "ة": (),
}
# "Abd al-Rahman" is said and often written Abdurrahman: the article's l may disappear.
_ABD_ARTICLE: Final = re.compile(r"^(ab[dt][aeiou]{1,2})l(?=[^aeiou])")


def _combine(slots: list[tuple[str, ...]]) -> tuple[str, ...]:
    combos = [""]
    for alternatives in slots:
        if alternatives:
            combos = [c + a for c in combos for a in alternatives][:MAX_CODES]
    codes: list[str] = []
    for combo in combos:
        out = _ONSET if combo.startswith(_VOWEL) else ""
        last = ""
        for symbol in combo.replace(_VOWEL, ""):
            if symbol != last:
                out += symbol
            last = symbol
        code = out or _ONSET
        if code not in codes:
            codes.append(code)
    return tuple(codes)


def _latin_slots(word: str) -> list[tuple[str, ...]]:
    slots: list[tuple[str, ...]] = []
    i = 0
    while i < len(word):
        for pattern, classes in _LATIN_RULES:
            if word.startswith(pattern, i):
                slots.append(classes)
                i += len(pattern)
                break
        else:
            char = word[i]
            if char == "c":
                slots.append(("S",) if word[i + 1 : i + 2] in ("e", "i", "y") else ("K",))
            elif char == "h" and i > 0 and word[i - 1] in "aeiouy":
                if i == len(word) - 1:
                    slots.append(())  # silent final h: Abdullah = Abdulla, Fatimah = Fatima
                else:  # Ahmad has an h, Böhm and Mohmand may not
                    slots.append(("K", ""))
            elif char == "h" and i == 0:
                slots.append(("K", _VOWEL))  # Hélène = Элен, Hasan = Асан
            elif char.isdigit():
                slots.append((char,))
            else:
                slots.append(_LATIN_LETTERS.get(char, ()))
            i += 1
    return slots


@lru_cache(maxsize=65536)
def latin_codes(word: str) -> tuple[str, ...]:
    """Phonetic codes of a folded Latin word ("mukhammad" → ("MKMT",))."""
    if not word:
        return ()
    article = _ABD_ARTICLE.match(word)
    if article:
        without = article.group(1) + word[article.end() :]
        merged = _combine(_latin_slots(word)) + _combine(_latin_slots(without))
        return tuple(dict.fromkeys(merged))[:MAX_CODES]
    return _combine(_latin_slots(word))


_CLASSES: Final = "BVTSKLMNR"


@lru_cache(maxsize=65536)
def code_neighbours(code: str) -> frozenset[str]:
    """Codes one edit (a class deleted, inserted, changed, or two swapped) away from ``code``.

    Only for codes of three consonant classes or more: shorter codes have too many neighbours
    to narrow a search. Used to find a misspelt name whose consonants changed.
    """
    if len(code.removeprefix(_ONSET)) < 3:
        return frozenset()
    found: set[str] = set()
    for i in range(len(code) + 1):
        # The onset marker is a class too, but only at the start.
        classes = _CLASSES + _ONSET if i == 0 else _CLASSES
        if i < len(code):
            found.add(code[:i] + code[i + 1 :])
            found.update(code[:i] + c + code[i + 1 :] for c in classes)
        found.update(code[:i] + c + code[i:] for c in classes)
        if i + 1 < len(code):  # two neighbours swapped (Tehrani, Terhani)
            found.add(code[:i] + code[i + 1] + code[i] + code[i + 2 :])
    found.discard(code)
    return frozenset(c for c in found if c)


def near_codes(first: tuple[str, ...], second: tuple[str, ...]) -> bool:
    """True when a code of ``first`` is one edit from a code of ``second``."""
    return any(a in code_neighbours(b) or b in code_neighbours(a) for a in first for b in second)


def _arabic_slots(letters: str) -> list[tuple[str, ...]]:
    slots: list[tuple[str, ...]] = []
    for i, char in enumerate(letters):
        if char == "ه" and i == len(letters) - 1 and i > 0:
            continue  # final he is a vowel ending: فاطمه = Fatima
        if char == "و" and i == 0:
            slots.append(("V",))
        else:
            slots.append(_ARABIC_LETTERS.get(char, ()))
    return slots


@lru_cache(maxsize=65536)
def arabic_codes(word: str) -> tuple[str, ...]:
    """Phonetic codes of a word in Arabic script, read from its letters ("محمد" → ("MKMT",))."""
    letters = "".join(c for c in word if not unicodedata.category(c).startswith("M") and c != "ـ")
    variants = [letters]
    for article in ("عبدال", "ال"):
        if letters.startswith(article) and len(letters) > len(article) + 1:
            # The article's l is written but often not said ("Abdurrahman"): both codes.
            variants.append(letters[: len(article) - 2] + letters[len(article) :])
            break
    codes: list[str] = []
    for variant in variants:
        codes.extend(c for c in _combine(_arabic_slots(variant)) if c not in codes)
    return tuple(codes[:MAX_CODES])

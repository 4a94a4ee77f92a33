"""Latin readings of words in Cyrillic, Arabic script, Chinese and any other script.

Each word becomes lower-case ASCII so that forms of one name in different scripts can be
compared. The work is shared between two libraries and three small tables:

- Cyrillic, Greek, Georgian, Armenian and every other script: `anyascii` (ISC licence, no
  dependencies, covers all of Unicode), with overrides so that the Kazakh, Uzbek and Tajik
  letters come out as their passports write them (Қ → k, Ғ → g, Ң → n, Ў → o).
- Arabic script (Arabic, Persian/Dari, Urdu, Pashto): a letter table that reads the Persian
  values of the letters (ض → z, ث → s, as Dari and Urdu names are pronounced), after a
  dictionary of common names that restores the short vowels the script leaves unwritten
  (محمد → muhammad). Without the dictionary a word keeps only its written letters (رحیمی →
  rhimi); the phonetic codes of `ncen.search.phonetic` make both meet the Latin spellings.
- Chinese: `pypinyin` (MIT licence, phrase-aware readings), with the surname readings that
  differ from the common reading of the character (单 → shan, 曾 → zeng).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Final

from anyascii import anyascii

from ncen.search.normalise import fold_latin
from ncen.search.variants import ARABIC_SCRIPT_NAMES, COMPOUND_SURNAMES, SURNAME_READINGS

LATIN, CYRILLIC, ARABIC, HAN, OTHER = "Latn", "Cyrl", "Arab", "Hani", "Zyyy"
# Scripts that leave short vowels unwritten: their words meet Latin through consonants only.
ABJAD_SCRIPTS: Final = frozenset({ARABIC})

_CYRILLIC_OVERRIDES: Final = {
    "қ": "k", "ғ": "g", "ң": "n", "ў": "o", "ҳ": "h", "ҷ": "j", "ә": "a", "ө": "o",
    "ұ": "u", "ү": "u", "һ": "h", "і": "i", "ӣ": "i", "ӯ": "u", "ъ": "", "ь": "",
    "й": "y", "ё": "e",
}  # fmt: skip

_ARABIC_LETTERS: Final = {
    "ا": "a", "آ": "a", "أ": "a", "إ": "i", "ٱ": "a", "ب": "b", "پ": "p", "ت": "t", "ث": "s",
    "ج": "j", "چ": "ch", "ح": "h", "خ": "kh", "د": "d", "ذ": "z", "ر": "r", "ز": "z",
    "ژ": "zh", "س": "s", "ش": "sh", "ص": "s", "ض": "z", "ط": "t", "ظ": "z", "ع": "", "غ": "gh",
    "ف": "f", "ق": "q", "ک": "k", "ك": "k", "گ": "g", "ل": "l", "م": "m", "ن": "n", "و": "u",
    "ه": "h", "ھ": "h", "ی": "i", "ي": "i", "ى": "a", "ة": "a", "ۀ": "", "ء": "", "ئ": "i",
    "ؤ": "u", "ٹ": "t", "ڈ": "d", "ڑ": "r", "ں": "n", "ے": "e", "ۍ": "ai", "ې": "e",
    "ښ": "sh", "ږ": "zh", "ځ": "dz", "څ": "ts", "ډ": "d", "ټ": "t", "ړ": "r", "ګ": "g",
    "ڼ": "n",
}  # fmt: skip


@dataclass(frozen=True, slots=True)
class Reading:
    """The Latin reading of one written word.

    ``parts`` are the words of the reading: usually one, two for a Chinese name written without
    a space (surname, given name). ``syllables`` are the pinyin syllables of Chinese text.
    """

    script: str
    parts: tuple[str, ...]
    syllables: tuple[str, ...] = ()


def char_script(char: str) -> str:
    """The script of one letter: Latn, Cyrl, Arab, Hani, or Zyyy for everything else."""
    if char.isascii():
        return LATIN
    name = unicodedata.name(char, "")
    for prefix, script in (("LATIN", LATIN), ("CYRILLIC", CYRILLIC), ("ARABIC", ARABIC)):
        if name.startswith(prefix):
            return script
    if name.startswith("CJK"):
        return HAN
    return OTHER


def _ascii_word(text: str) -> str:
    return "".join(c for c in text.lower() if c.isascii() and c.isalnum())


def _cyrillic(word: str) -> str:
    return _ascii_word("".join(_CYRILLIC_OVERRIDES.get(c, anyascii(c)) for c in word.lower()))


def _arabic(word: str) -> str:
    known = ARABIC_SCRIPT_NAMES.get(word)
    if known:
        return known
    letters = [c for c in word if not unicodedata.category(c).startswith("M") and c != "ـ"]
    out = []
    for i, char in enumerate(letters):
        latin = _ARABIC_LETTERS.get(char)
        if latin is None:
            latin = anyascii(char)
        elif i == 0 and char in "یيوع":
            # A consonant at the start of a word; ع starts a word with a vowel (Aziz, Umar).
            latin = {"ی": "y", "ي": "y", "و": "v", "ع": "a"}[char]
        out.append(latin)
    return _ascii_word("".join(out))


@lru_cache(maxsize=4096)
def _han(run: str) -> Reading:
    # Imported on first use: its dictionaries take some 55 MB, which a process that never
    # meets a Chinese name need not carry.
    from pypinyin import Style, lazy_pinyin

    surname_len = 2 if run[:2] in COMPOUND_SURNAMES else 1
    syllables = [fold_latin(s) for s in lazy_pinyin(run, style=Style.NORMAL, v_to_u=True)]
    syllables = [s for s in (_ascii_word(s) for s in syllables) if s]
    if 2 <= len(run) <= 4 and len(syllables) == len(run):
        reading = SURNAME_READINGS.get(run[:surname_len])
        if reading:
            syllables[:surname_len] = [reading] if surname_len == 1 else list(reading.split())
        surname = "".join(syllables[:surname_len])
        given = "".join(syllables[surname_len:])
        return Reading(HAN, (surname, given) if given else (surname,), tuple(syllables))
    return Reading(HAN, ("".join(syllables),) if syllables else (), tuple(syllables))


def _runs(word: str) -> list[tuple[str, str]]:
    """Split a word into runs of one script (digits and marks join the run they are in)."""
    runs: list[tuple[str, str]] = []
    for char in word:
        script = char_script(char) if char.isalpha() else (runs[-1][0] if runs else LATIN)
        if runs and runs[-1][0] == script:
            runs[-1] = (script, runs[-1][1] + char)
        else:
            runs.append((script, char))
    return runs


@lru_cache(maxsize=65536)
def read_word(word: str) -> tuple[Reading, ...]:
    """The Latin readings of one written word, one per run of a single script.

    A word is normally in one script and gives one `Reading`; a word mixing scripts (a typing
    accident, or a Latin suffix on a Chinese name) gives one per run. Empty readings (a word of
    symbols only) are left out.
    """
    readings = []
    for script, run in _runs(word):
        if script == HAN:
            reading = _han(run)
        elif script == LATIN:
            reading = Reading(LATIN, (_ascii_word(anyascii(fold_latin(run))),))
        elif script == CYRILLIC:
            reading = Reading(CYRILLIC, (_cyrillic(run),))
        elif script == ARABIC:
            reading = Reading(ARABIC, (_arabic(run),))
        else:
            reading = Reading(OTHER, (_ascii_word(anyascii(run)),))
        parts = tuple(p for p in reading.parts if p)
        if parts:
            readings.append(Reading(reading.script, parts, reading.syllables))
    return tuple(readings)


def to_latin(text: str) -> str:
    """The Latin reading of a whole text, words separated by single spaces."""
    from ncen.search.normalise import clean, words

    return " ".join(p for w in words(clean(text)) for r in read_word(w) for p in r.parts)

"""The labelled evaluation set of the search benchmark, built without `ncen.search`.

Cyrillic names are written into Latin with this module's own tables of four systems that
analysts meet in documents: ICAO 9303 (passports), BGN/PCGN (maps, sanctions lists), French
and German (Duden) press spellings, plus the Kazakh, Uzbek and Tajik letters as each system
would write them. Typos are random single edits (substitution, deletion, insertion,
transposition). Arabic-script and Chinese names use the hand-listed spellings of
`search_names`. Nothing here imports the matcher's transliteration, phonetic or variant code.
"""

from __future__ import annotations

import random
import string
import unicodedata
from dataclasses import dataclass, field

SYSTEMS = ("icao", "bgn", "french", "german")
_VOWELS = set("аеёиоуыэюяәөұүі")
_BASE = dict(zip("абвгдзиклмнопрстуфыэ", "abvgdziklmnoprstufye", strict=True))
_TABLES = {
    "icao": {
        **_BASE,
        "е": "e",
        "ё": "e",
        "ж": "zh",
        "й": "i",
        "х": "kh",
        "ц": "ts",
        "ч": "ch",
        "ш": "sh",
        "щ": "shch",
        "ъ": "ie",
        "ь": "",
        "ю": "iu",
        "я": "ia",
        "ә": "a",
        "ғ": "g",
        "қ": "k",
        "ң": "n",
        "ө": "o",
        "ұ": "u",
        "ү": "u",
        "һ": "h",
        "і": "i",
        "ў": "u",
        "ҳ": "kh",
        "ҷ": "dzh",
        "ӣ": "i",
        "ӯ": "u",
    },
    "bgn": {
        **_BASE,
        "е": "e",
        "ё": "ë",
        "ж": "zh",
        "й": "y",
        "х": "kh",
        "ц": "ts",
        "ч": "ch",
        "ш": "sh",
        "щ": "shch",
        "ъ": "",
        "ь": "",
        "ю": "yu",
        "я": "ya",
        "ә": "ä",
        "ғ": "gh",
        "қ": "q",
        "ң": "ng",
        "ө": "ö",
        "ұ": "u",
        "ү": "ü",
        "һ": "h",
        "і": "i",
        "ў": "ŭ",
        "ҳ": "h",
        "ҷ": "j",
        "ӣ": "ī",
        "ӯ": "ū",
    },
    "french": {
        **_BASE,
        "е": "e",
        "ё": "io",
        "ж": "j",
        "й": "ï",
        "х": "kh",
        "ц": "ts",
        "ч": "tch",
        "ш": "ch",
        "щ": "chtch",
        "ъ": "",
        "ь": "",
        "ю": "iou",
        "я": "ia",
        "у": "ou",
        "ә": "a",
        "ғ": "gh",
        "қ": "k",
        "ң": "n",
        "ө": "o",
        "ұ": "ou",
        "ү": "u",
        "һ": "h",
        "і": "i",
        "ў": "ou",
        "ҳ": "kh",
        "ҷ": "dj",
        "ӣ": "i",
        "ӯ": "ou",
    },
    "german": {
        **_BASE,
        "в": "w",
        "е": "e",
        "ё": "jo",
        "ж": "sch",
        "з": "s",
        "й": "i",
        "х": "ch",
        "ц": "z",
        "ч": "tsch",
        "ш": "sch",
        "щ": "schtsch",
        "ъ": "",
        "ь": "",
        "ю": "ju",
        "я": "ja",
        "ә": "ä",
        "ғ": "gh",
        "қ": "k",
        "ң": "ng",
        "ө": "ö",
        "ұ": "u",
        "ү": "ü",
        "һ": "h",
        "і": "i",
        "ў": "u",
        "ҳ": "ch",
        "ҷ": "dsch",
        "ӣ": "i",
        "ӯ": "u",
    },
}
# Where "е" is written "ye" (BGN), "ie" (French, sometimes) or "je" (German): word start and
# after a vowel; "ё" likewise gets its glide there.
_GLIDE_E = {"icao": "e", "bgn": "ye", "french": "ie", "german": "je"}
_GLIDE_YO = {"icao": "e", "bgn": "yo", "french": "io", "german": "jo"}
# Diacritics folded the ways people type them without the letters.
_ASCII_FOLDS = (
    {"ö": "o", "ü": "u", "ä": "a", "ş": "s", "ç": "c", "ğ": "g", "ı": "i", "ə": "a", "ß": "ss"},
    {"ö": "oe", "ü": "ue", "ä": "ae", "ş": "sh", "ç": "ch", "ğ": "gh", "ı": "i", "ə": "e"},
)


def transliterate(word: str, system: str) -> str:
    """``word`` (Cyrillic) in the Latin of ``system``, capitalised."""
    table = _TABLES[system]
    out: list[str] = []
    lower = word.lower()
    for i, char in enumerate(lower):
        glide = i == 0 or lower[i - 1] in _VOWELS or lower[i - 1] in "ъь"
        if char == "е" and glide:
            out.append(_GLIDE_E[system])
        elif char == "ё" and glide:
            out.append(_GLIDE_YO[system])
        elif (
            char == "с"
            and system in ("french", "german")
            and 0 < i < len(lower) - 1
            and (lower[i - 1] in _VOWELS and lower[i + 1] in _VOWELS)
        ):
            out.append("ss")  # a single s between vowels would be read z
        elif char == "г" and system == "french" and lower[i + 1 : i + 2] in ("е", "и", "ы"):
            out.append("gu")
        elif system in ("french", "german") and lower[i:] in ("ий", "ый"):
            out.append("i" if char == "и" else "y")
            break
        else:
            out.append(table.get(char, char))
    return "".join(out).capitalize()


def fold_diacritics(text: str, rng: random.Random) -> str:
    """``text`` as typed on a keyboard without its accented letters (one of two habits)."""
    table = rng.choice(_ASCII_FOLDS)
    out = "".join(
        table[c] if c in table else table[c.lower()].capitalize() if c.lower() in table else c
        for c in text
    )
    return (
        "".join(c for c in unicodedata.normalize("NFD", out) if not unicodedata.combining(c))
        .replace("ł", "l")
        .replace("Ł", "L")
    )


def typo(text: str, rng: random.Random) -> str:
    """``text`` with one random edit in one of its words of five letters or more."""
    words = text.split()
    long_words = [i for i, w in enumerate(words) if len(w) >= 5] or list(range(len(words)))
    i = rng.choice(long_words)
    word = words[i]
    at = rng.randrange(1, len(word) - 1)
    edit = rng.choice(("substitute", "delete", "insert", "transpose"))
    letter = rng.choice(string.ascii_lowercase)
    if edit == "substitute":
        word = word[:at] + letter + word[at + 1 :]
    elif edit == "delete":
        word = word[:at] + word[at + 1 :]
    elif edit == "insert":
        word = word[:at] + letter + word[at:]
    else:
        word = word[: at - 1] + word[at] + word[at - 1] + word[at + 1 :]
    words[i] = word
    return " ".join(words)


@dataclass
class Person:
    """A person the benchmark creates through the services."""

    key: str
    names: list[str]
    gender: str
    birth_year: int
    nationality: str


@dataclass
class Query:
    """One labelled query; ``target`` is None for a negative query."""

    kind: str
    text: str
    target: str | None
    birth_year: int | None = None


@dataclass
class EvalSet:
    """Targets, distractors and the queries about them."""

    targets: list[Person] = field(default_factory=list)
    distractors: list[Person] = field(default_factory=list)
    queries: list[Query] = field(default_factory=list)
    used: set[tuple[str, str]] = field(default_factory=set)

"""Uyghur names: the Arabic-script alphabet, the Latin one, and Chinese transcriptions.

Uyghur is written in an Arabic-based alphabet (Uyghur Ereb Yéziqi, UEY) that, unlike Arabic
or Persian, writes every vowel, so a name reads letter by letter into the official Latin
alphabet (Uyghur Latin Yéziqi, ULY, 2000): ئەخمەت = Ehmet, مەمەت تۇرسۇن = Memet Tursun. The
hamza ئ only carries a vowel at the start of a syllable and is not read. ULY letters with
diacritics are folded as the matcher folds Latin (ö → o, ü → u, é → e), and ULY ``x`` (= х,
kh), ``q`` (қ) and ``gh`` (ғ) meet the Russian spellings through the phonetic codes.

In Chinese, Uyghur names are transcribed syllable by syllable (买买提·吐尔逊 = Maimaiti
Tuerxun = Memet Tursun), with a middle dot between the names (`ncen.search.chinese` reads
such a run as one word). `TRANSCRIPTIONS` maps the pinyin of frequent transcriptions to
their ULY spellings. A name not listed is read back by the rules of the transcription
(`reading`): Chinese ends every syllable with a vowel or n/ng and has no r before a vowel, so a
final consonant gets a syllable of its own (Kerim 克里木 kelimu, Adil 阿迪力 adili, Niyaz 尼亚孜
niyazi), r is written l (克里木 ke-li-mu), a final r is 尔 er, e is ai (艾 ai, 买 mai = me), and
s is x before i and u (吐尔逊 tuerxun = Tursun). The reading undoes these; the Latin letters of a
Chinese passport spell the same transcription in pinyin (KELIMU, ADILI), read back alike when
the word is pinyin of three syllables or more and ends in such an added syllable.
Sources: the ULY/UEY letter table of the Xinjiang Uyghur Autonomous Region's 2000 standard
(as tabulated in "Uyghur Latin alphabet"); the transcriptions from names published in both
Chinese and Uyghur (e.g. Ilham Toxti 伊力哈木·土赫提, Nur Bekri 努尔·白克力, Ismayil Ehmet
司马义·艾买提, Rabiye Qadir 热比娅·卡德尔, Shöhret Zakir 雪克来提·扎克尔, Örkesh Dölet
吾尔开希·多莱特, Qurban Tulum 库尔班·吐鲁木).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from types import MappingProxyType
from typing import Final

from ncen.search.phonetic import MAX_CODES, latin_codes
from ncen.search.tokens import Token
from ncen.search.transliterate import OTHER

UYGHUR = "uyghur"

_LETTERS: Final = {
    "ا": "a", "ە": "e", "ب": "b", "پ": "p", "ت": "t", "ج": "j", "چ": "ch", "خ": "x", "د": "d",
    "ر": "r", "ز": "z", "ژ": "zh", "س": "s", "ش": "sh", "غ": "gh", "ف": "f", "ق": "q",
    "ك": "k", "ک": "k", "گ": "g", "ڭ": "ng", "ل": "l", "م": "m", "ن": "n", "ھ": "h", "ه": "h",
    "و": "o", "ۇ": "u", "ۆ": "o", "ۈ": "u", "ۋ": "w", "ې": "e", "ى": "i", "ي": "y", "ی": "y",
    "ئ": "", "ء": "",
}  # fmt: skip
# Letters of the Uyghur alphabet that Arabic, Persian and Urdu do not use.
_UYGHUR_ONLY: Final = frozenset("ەېۇۆۈۋڭ")

TRANSCRIPTIONS: Final[Mapping[str, tuple[str, ...]]] = MappingProxyType(
    {
        "maimaiti": ("memet", "mehmet"), "aimaiti": ("ehmet",), "aihemaiti": ("ehmet",),
        "aili": ("eli",), "tuerxun": ("tursun",), "abudu": ("abdu",),
        "abudula": ("abdulla",), "yilihamu": ("ilham",), "tuheti": ("toxti", "tohti"),
        "simayi": ("ismayil",), "nuer": ("nur",), "baikeli": ("bekri",),
        "rebiya": ("rabiye",), "kadeer": ("qadir",), "xuekelaiti": ("shohret",),
        "zhakeer": ("zakir",), "wuerkaixi": ("orkesh",), "duolaite": ("dolet",),
        "kuerban": ("qurban",), "tulumu": ("tulum",), "yusufu": ("yusup",),
        "abulikemu": ("ablikim",), "aierken": ("erkin",), "yasen": ("yasin",),
        "rouzi": ("rozi",), "tuerhong": ("turghun",), "abudureheman": ("abdurehman",),
    }
)  # fmt: skip


# The syllable Chinese adds after a final consonant of a Uyghur name, and that consonant.
_ADDED: Final[Mapping[str, str]] = MappingProxyType(
    {"mu": "m", "ti": "t", "te": "t", "ke": "k", "li": "l", "le": "l", "zi": "z", "si": "s",
     "fu": "p", "pu": "p", "de": "d", "bu": "b", "he": "x", "ge": "g", "shi": "sh", "ri": "r",
     "ci": "s", "ku": "k"}
)  # fmt: skip
MIN_LATIN_SYLLABLES = 3


def syllables(word: str) -> list[str] | None:
    """``word`` cut into pinyin syllables, longest first at each step; None when it is not
    pinyin."""
    from ncen.search.chinese import PINYIN

    if not word:
        return []
    for end in range(min(len(word), 6), 0, -1):
        if word[:end] in PINYIN:
            rest = syllables(word[end:])
            if rest is not None:
                return [word[:end], *rest]
    return None


def reading(word: str, *, latin: bool = False) -> tuple[str, ...]:
    """The Uyghur spellings a Chinese transcription in pinyin stands for ("kelimu" → kelim,
    kerim; "abudula" → abdula), empty when the rules change nothing. With ``latin`` (a word
    written in Latin letters, which may be any name), only a pinyin word of at least
    `MIN_LATIN_SYLLABLES` syllables that shows the marks of a transcription is read (a
    Chinese name has one or two syllables a word), and a listed transcription gives its
    listed spellings."""
    if latin and word in TRANSCRIPTIONS:
        return TRANSCRIPTIONS[word]
    parts = syllables(word)
    if not parts:
        return ()
    if latin and (len(parts) < MIN_LATIN_SYLLABLES or not _transcribed(parts)):
        return ()
    spelt = [_read_syllable(parts, i, drop=False) for i in range(len(parts))]
    # An added syllable inside the word too (阿不都拉 a-bu-du-la, Abdulla), as a second reading.
    dropped = [_read_syllable(parts, i, drop=True) for i in range(len(parts))]
    found: list[str] = []
    for letters in ("".join(spelt), "".join(dropped)):
        # r after a vowel is written l: read it back both ways.
        with_r = letters[:1] + "".join(
            "r" if c == "l" and letters[k] in "aeiou" else c for k, c in enumerate(letters[1:])
        )
        found += [letters, with_r]
    return tuple(w for w in dict.fromkeys(found) if w != word and len(w) >= MIN_READING)


def _transcribed(parts: list[str]) -> bool:
    """True when pinyin syllables show the marks of a transcription: an added final syllable,
    a final r (尔 er), or e written ai at the start (艾)."""
    return parts[-1] in _ADDED or "er" in parts[1:] or parts[0] == "ai"


def _read_syllable(parts: list[str], i: int, *, drop: bool) -> str:
    syllable = parts[i]
    last = i == len(parts) - 1
    if syllable == "er" and i > 0:
        return "r"
    if syllable in _ADDED and i > 0 and (last or (drop and parts[i + 1][0] not in "aeiouy")):
        return _ADDED[syllable]
    if syllable.endswith("ai"):
        return syllable[:-2] + "e"
    if syllable == "dou":
        return "du"  # 都 in names is du
    if i == 0 and syllable in {"yi", "wu"}:
        return syllable[1]
    return syllable.replace("x", "s")


MIN_READING = 3


def is_uyghur(word: str) -> bool:
    """True for a word in Arabic script spelt in the Uyghur alphabet (it writes its vowels)."""
    return any(c in _UYGHUR_ONLY for c in word) or ("ى" in word[:-1] and word[0] == "ئ")


def to_latin(word: str) -> str:
    """The folded ULY reading of a Uyghur word ("تۇرسۇن" → "tursun")."""
    letters = [c for c in word if not unicodedata.category(c).startswith("M") and c != "ـ"]
    return "".join(_LETTERS.get(c, "") for c in letters)


def read(part: str) -> list[Token] | None:
    """The token of a Uyghur Arabic-script word, or None when ``part`` is not one."""
    if not is_uyghur(part):
        return None
    text = to_latin(part)
    if not text:
        return None
    return [Token(text, OTHER, latin_codes(text)[:MAX_CODES], via=UYGHUR)]


def with_latin(token: Token) -> Token:
    """A Chinese transcription with the ULY spellings of the name as extra terms: the listed
    ones, else those its `reading` gives."""
    latin = TRANSCRIPTIONS.get(token.text) or reading(token.text)
    if not latin:
        return token
    codes = tuple(dict.fromkeys((*token.codes, *(c for w in latin for c in latin_codes(w)))))
    return Token(token.text, token.script, codes[:MAX_CODES], extra=latin, via=UYGHUR)

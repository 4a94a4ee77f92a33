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
their ULY spellings; a name not listed still meets its Latin form by sound.
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
    """A Chinese transcription with the ULY spellings of the name as extra terms."""
    latin = TRANSCRIPTIONS.get(token.text)
    if not latin:
        return token
    codes = tuple(dict.fromkeys((*token.codes, *(c for w in latin for c in latin_codes(w)))))
    return Token(token.text, token.script, codes[:MAX_CODES], extra=latin, via=UYGHUR)

"""Turkic Latin alphabets against the Russian spellings of the same names.

Azerbaijan (1991), Turkmenistan (1993), Uzbekistan (1995) and Kazakhstan (2021) write their
languages in Latin letters whose values differ from English and from the Russian
transliteration that Soviet-era records and Russian documents use:

- Azerbaijani: ``c`` = дж (Cəfərov = Джафаров), ``x`` = х (kh), ``ç`` = ч, ``ş`` = ш,
  ``ğ`` = г, ``q`` = г/к, ``j`` = ж, ``ə`` = а/е, ``ı`` = ы, ``ö`` = ё/о, ``ü`` = ю/у;
- Turkmen: ``j`` = дж (Jumaýew = Джумаев), ``ž`` = ж, ``ň`` = н, ``ä`` = а, ``ý`` = й,
  ``y`` = ы, ``w`` = в, ``ş``, ``ç``, ``ö``, ``ü`` as in Azerbaijani;
- Uzbek: ``oʻ`` = ў, ``gʻ`` = ғ (the modifier letter, or ', ’, ` in practice: all removed by
  `ncen.search.normalise`), ``x`` = х, ``q`` = қ, ``j`` = ж/дж, ``sh``, ``ch`` as in English —
  the phonetic codes already meet these, so no reading is added;
- Kazakh (2021 alphabet): ``ä`` = ә, ``ğ`` = ғ, ``ı`` = і (dotless: бір = bır), ``y`` = ы,
  ``i`` = и/й, ``ñ`` = ң, ``ö`` = ө, ``q`` = қ, ``ş`` = ш, ``ū`` = ұ, ``ü`` = ү, ``j`` = ж.

`widen_name` recognises the alphabet of a whole name by the letters only it uses (ň or ý;
ñ or ū; ə; then ğ, ı or ş, which Turkish and Azerbaijani share) and gives each Latin word an
extra term: the spelling its Russian form reads as (`ncen.search.transliterate` reads дж as
dzh, х as kh, ж as zh), marked ``via`` this convention so that the explanation names it.
Sources: the official alphabets as tabulated in "Azerbaijani alphabet", "Turkmen alphabet",
"Uzbek alphabet" and the Kazakh Latin alphabet of the Decree of the President of Kazakhstan
No. 637 (2017) as amended in 2021.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from typing import Final

from ncen.search.phonetic import latin_codes
from ncen.search.tokens import Token
from ncen.search.transliterate import LATIN

TURKIC_LATIN = "turkic_latin"
_YE: Final = re.compile(r"(?<=[aeiou])y(?=e)")

_AZERBAIJANI: Final = {
    "c": "dzh", "ç": "ch", "x": "kh", "ş": "sh", "ğ": "g", "q": "g", "ə": "a", "ı": "y",
    "ö": "o", "ü": "u", "j": "zh",
}  # fmt: skip
_TURKMEN: Final = {
    "j": "dzh", "ž": "zh", "ç": "ch", "ş": "sh", "ň": "n", "ä": "a", "ý": "y", "ö": "o",
    "ü": "u", "w": "v",
}  # fmt: skip
_KAZAKH: Final = {
    "ä": "a", "ğ": "g", "ı": "i", "ñ": "n", "ö": "o", "q": "k", "ş": "sh", "ū": "u", "ü": "u",
    "j": "zh",
}  # fmt: skip
# The letters that tell each alphabet apart from the others and from Turkish.
# Turkish shares the Azerbaijani values of c, ç, ş, ğ, ı (Cemal = Джемаль), so a name with
# ğ, ı or ş and none of the Turkmen or Kazakh letters is read with the Azerbaijani table.
_ALPHABETS: Final = (
    ("ňý", _TURKMEN),
    ("ñū", _KAZAKH),
    ("ə", _AZERBAIJANI),
    ("ğış", _AZERBAIJANI),
)


def alphabet(written: list[str]) -> dict[str, str] | None:
    """The letter table of the alphabet ``written`` is in, or None (not one of the three)."""
    letters = set("".join(written).casefold())
    for marks, table in _ALPHABETS:
        if letters & set(marks):
            return table
    return None


def russian_spelling(word: str, table: dict[str, str]) -> str:
    """How the Russian form of ``word`` reads in Latin ("Cəfərov" → "dzhafarov")."""
    lower = word.casefold()
    spelt = "".join(table.get(c, c) for c in lower if (c.isalpha() and c.isascii()) or c in table)
    # After a vowel, Russian е is ye (Əliyev = Алиев, Jumaýew = Джумаев): the y is not written.
    return _YE.sub("", spelt)


def widen_name(
    written: list[str], per_word: list[list[Token]], markers: Sequence[str] = ()
) -> list[list[Token]]:
    """Give the Latin words of a name in a Turkic alphabet the reading of their Russian form.

    ``per_word`` holds the tokens of each written word (same shape in the result). Only words
    read as one token get the reading (a hyphenated word is left to the phonetic codes).
    ``markers`` are the parentage markers written with the name: their letters tell the
    alphabet too (the ğ and ı of "Cavadov Vüqar Kamil oğlu", "Leyla Rasim qızı").
    """
    table = alphabet([*written, *markers])
    if table is None:
        return per_word
    out: list[list[Token]] = []
    for word, tokens in zip(written, per_word, strict=True):
        if len(tokens) != 1 or tokens[0].script != LATIN or tokens[0].via:
            out.append(tokens)
            continue
        token = tokens[0]
        spelling = russian_spelling(word, table)
        if not spelling.isascii() or spelling == token.text or spelling in token.extra:
            out.append(tokens)
            continue
        codes = tuple(dict.fromkeys((*token.codes, *latin_codes(spelling))))
        out.append([replace(token, extra=(*token.extra, spelling), codes=codes, via=TURKIC_LATIN)])
    return out

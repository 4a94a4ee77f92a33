"""Mongolian patronymics: the father's name in the genitive before the given name.

A Mongolian name is the father's (or mother's) name in the genitive case followed by the
person's given name: Цахиагийн Элбэгдорж (Tsakhiagiin Elbegdorj, "Elbegdorj of Tsakhia"),
Батын Болд (Batyn Bold). The genitive ending follows vowel harmony and the stem's last sound:
-ын / -ийн after a consonant, -гийн after a long vowel or diphthong, -ы / -ий after н
(Mongolian grammar; Latin as MNS 5217:2012 writes it: -yn, -iin, -giin, -ny, -nii). Passports
and foreign records write the father's name either way (Tsakhia or Tsakhiagiin), or leave it
out, or abbreviate it (Ts. Elbegdorj).

`mark_genitive` recognises the first word of a name of two or more words that ends in a
genitive: its token becomes the parent's name (optional, compared as a qualifier by
`ncen.search.parents`), read as the stem, with the genitive form kept as an extra term. The
Cyrillic words of such a name also get their MNS 5217 Latin reading, where ж is j
(Элбэгдорж = Elbegdorj), as Mongolian passports write it.
Latin ``-lyn``, ``-thryn``, ``-wyn``, ``-obyn`` are left alone: Evelyn, Marilyn, Kathryn,
Gwyn are English given names.
"""

from __future__ import annotations

from dataclasses import replace
from functools import lru_cache
from typing import Final

from ncen.search.phonetic import latin_codes
from ncen.search.tokens import Token
from ncen.search.transliterate import CYRILLIC, char_script

MONGOLIAN_GENITIVE = "mongolian_genitive"
MIN_STEM = 2
# Written endings, longest first, and how many letters of the Latin reading each one is
# (Cyrillic й reads y: ийн → iyn). ний / ны keep the н of the stem (Батсайханы). Latin
# -ny / -nii are left out: they end too many English given names (Tony, Danny).
_ENDINGS: Final = {
    "гийн": 4, "ийн": 3, "ын": 2, "ний": 2, "ны": 1, "giin": 4, "iin": 3, "yn": 2,
}  # fmt: skip
_ENGLISH_YN: Final = ("lyn", "thryn", "obyn", "wyn")


@lru_cache(maxsize=65536)
def genitive_stem(written: str, reading: str) -> str | None:
    """The stem (the name in the nominative, as the Latin reading has it) of a written word
    in the genitive, or None when the word is not one."""
    lower = written.lower()
    cyrillic = all(char_script(c) == CYRILLIC for c in lower if c.isalpha())
    for ending, letters in _ENDINGS.items():
        if ending.isascii() == cyrillic or not lower.endswith(ending):
            continue
        if ending == "yn" and lower.endswith(_ENGLISH_YN):
            return None
        stem = reading[:-letters]
        return stem if len(stem) > MIN_STEM else None
    return None


def mark_genitive(written: list[str], per_word: list[list[Token]]) -> list[list[Token]]:
    """Mark the first word of ``written`` as the father's name when it is in the genitive.

    ``per_word`` holds the tokens of each written word; the result has the same shape.
    """
    if len(written) < 2 or len(per_word[0]) != 1:
        return per_word
    token = per_word[0][0]
    stem = genitive_stem(written[0], token.text)
    if stem is None:
        return per_word
    codes = tuple(dict.fromkeys((*latin_codes(stem), *token.codes)))
    marked = replace(
        token,
        text=stem,
        codes=codes,
        extra=(token.text, *token.extra),
        parent=True,
        via=MONGOLIAN_GENITIVE,
    )
    return [
        [_with_mns(marked, written[0])],
        *(_mns_words(w, t) for w, t in zip(written[1:], per_word[1:], strict=True)),
    ]


def _with_mns(token: Token, written: str) -> Token:
    """Add the MNS 5217 Latin reading of a Cyrillic word (ж is j there, zh in Russian)."""
    if "zh" not in token.text or not any(char_script(c) == CYRILLIC for c in written):
        return token
    mns = token.text.replace("zh", "j")
    codes = tuple(dict.fromkeys((*token.codes, *latin_codes(mns))))
    return replace(token, extra=(*token.extra, mns), codes=codes)


def _mns_words(written: str, tokens: list[Token]) -> list[Token]:
    return [_with_mns(t, written) for t in tokens]

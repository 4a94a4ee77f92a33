"""Word matches made through a naming convention, named in the explanation.

The readers of particular traditions (`ncen.search.chinese`, `ncen.search.uyghur`,
`ncen.search.turkic`, `ncen.search.french`, `ncen.search.mongolian`) give a token extra terms
in the spelling of another convention and mark it ``via`` theirs. `match` is called by the
matcher before its ordinary comparison: when two words meet only through such a reading
(Hsin against Xin, Цзинь against Jin, Cəfərov against Джафаров), the match is exact but is
explained as the convention that was undone ("Wade–Giles → pinyin"), not as plain
transliteration. The same given name in another language (`ncen.search.nicknames`) scores
below a nickname. Two words written in the same convention and the same spelling are left to
the ordinary comparison.
"""

from __future__ import annotations

from ncen.search.cantonese import CANTONESE
from ncen.search.explain import Transformation
from ncen.search.tokens import Token, reads_as
from ncen.search.transliterate import HAN
from ncen.search.variants import equivalent_only, variants_of

EXACT_SCORE = 1.0
VARIANT_SCORE = 0.95
# The same name in another language (Yusuf ~ Iosif ~ Joseph, Lev ~ Leo): true equivalents, but
# a person rarely changes tradition between records, so weaker than a nickname.
EQUIVALENT_SCORE = 0.85
# A Cantonese spelling read into pinyin through every common character it may stand for
# (Tai Man: Dawen, Damin, Diwen...): likely, not certain. Its spelling of the very characters
# recorded (陳大文 is Chan Tai Man) is exact.
CANTONESE_PINYIN_SCORE = 0.95


def match(q: Token, r: Token) -> tuple[float, Transformation] | None:  # noqa: PLR0911
    """Score and transformation of query word ``q`` against record word ``r`` when they meet
    through a convention's reading; None otherwise (the ordinary comparison then runs)."""
    if equivalent_only(q.text, r.text):
        return EQUIVALENT_SCORE, Transformation.NICKNAME
    canto = _cantonese(q, r)
    if canto is not None:
        return canto
    via = q.via or r.via
    if not via or (q.via == r.via and q.text == r.text):
        return None
    # A syllable of a word written as one (ping of 建平) is no reading of it: Chiu Ping is not
    # Qiu Jianping.
    if q.text == r.text or reads_as(q.text, r) or reads_as(r.text, q):
        if via == CANTONESE:
            return CANTONESE_PINYIN_SCORE, Transformation.CANTONESE
        return EXACT_SCORE, Transformation(via)
    if q.text in variants_of(r.text):
        return None  # a nickname or equivalent as written (Youssef ~ Joseph): said as such
    spelt = {q.text, *q.extra} if q.via else {q.text}
    other = {r.text, *r.extra} if r.via else {r.text}
    if any(variants_of(word) & other for word in spelt):
        return VARIANT_SCORE, Transformation(via)
    return None


def _cantonese(q: Token, r: Token) -> tuple[float, Transformation] | None:
    """A name read as Cantonese against the Cantonese spelling of characters (Chan against
    陳), or two Cantonese spellings of the same pinyin (Hong Kong Chan, Jyutping Can)."""
    if q.via == CANTONESE and q.text in r.cantonese:
        return EXACT_SCORE, Transformation.CANTONESE
    if r.via == CANTONESE and r.text in q.cantonese:
        return EXACT_SCORE, Transformation.CANTONESE
    if q.via == r.via == CANTONESE and q.text != r.text and set(q.extra) & set(r.extra):
        return CANTONESE_PINYIN_SCORE, Transformation.CANTONESE
    # A name that is pinyin and Cantonese alike (Kong Mei; `cantonese.pinyin_alike`) against
    # the Cantonese spelling of characters (江 kong): likely, as the pinyin reading is too.
    # Its pinyin reading of the very characters (Zeng Ping, 曾平) is left to the ordinary
    # comparison, which scores it exact.
    for a, b in ((q, r), (r, q)):
        alike = a.cantonese == (a.text,) and a.text in b.cantonese and b.script == HAN
        if alike and a.text != b.text and a.text not in b.extra:
            return CANTONESE_PINYIN_SCORE, Transformation.CANTONESE
    return None

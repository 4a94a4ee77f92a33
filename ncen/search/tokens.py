"""The token: one word of a name read into Latin, as keys, retrieval and matching see it.

Its own module so that the readers of particular traditions (`ncen.search.chinese`,
`ncen.search.uyghur`...) can build tokens without importing `ncen.search.keys`, which calls them.
"""

from __future__ import annotations

from dataclasses import dataclass

from ncen.search.transliterate import HAN


@dataclass(frozen=True, slots=True)
class Token:
    """One word of a name, read into Latin.

    ``parent`` marks a word of the parent's name (after "s/o", before "oglu", a Mongolian
    genitive), which is optional; ``marker`` is the parentage marker that introduced it (shown
    in explanations, never indexed). ``via`` names the convention the reading undid (a
    `Transformation` value such as "wade_giles"), empty for the ordinary reading. ``parts`` are
    the syllables of a word written as one (Xiaoping): stored as terms so that a query that
    splits the word finds it, but never matched alone as if they were the whole word.
    ``cantonese`` are the Cantonese spellings of a word written in Chinese characters (陳:
    chan, can): stored as terms, and met only by a name read as Cantonese
    (`ncen.search.cantonese`), never by a pinyin word they happen to spell (平 is Cantonese
    peng, not the surname Peng).
    """

    text: str
    script: str
    codes: tuple[str, ...]
    optional: bool = False
    extra: tuple[str, ...] = ()
    parent: bool = False
    marker: str = ""
    via: str = ""
    parts: tuple[str, ...] = ()
    cantonese: tuple[str, ...] = ()


def reads_as(text: str, token: Token) -> bool:
    """True when ``text`` is one of ``token``'s readings. A syllable of a word written as one
    (ping of Jianping, kept among the readings so that retrieval finds the split spelling) is
    only part of the word, not a reading of it; other readings (Nikitin of French Nikitine)
    are."""
    if text not in token.extra:
        return False
    syllabic = token.script == HAN or "".join(token.extra) == token.text
    return not (syllabic and text in token.text)

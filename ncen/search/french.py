"""French-style transliterations of Arabic and Turkic names.

French documents (and those of the Maghreb, West Africa and Lebanon) transliterate by French
spelling rules: ``ou`` for u (Mouhamed, Youssouf), ``dj`` for j (Djamel, Djamshid), ``ch``
for sh (Chakirov, Rachid), ``kh`` for х, a written ``e`` for the a of Arabic (Djamel = Jamal,
Abdelkader), ``ss`` between vowels (Moussa). English and Russian records spell the same names
Muhammad, Jamal, Shakirov / Мухаммад, Джамал, Шакиров.

`widen_name` recognises a name written by these rules (a word with ``ou`` or ``dj``, the two
spellings English and the Russian transliterations never use for these sounds) and gives each
Latin word the English and Russian-style spellings as extra terms, marked ``via`` this
convention. A name without either mark (Chakirov alone) still meets Shakirov through the
phonetic codes, where ``ch`` is already a sibilant. Source: the French conventions as set out
in the IGN/BGN-PCGN style tables for Arabic ("Romanization of Arabic", French column) and in
the French transcription of Russian (ch = ш, dj = дж, ou = у).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Final

from ncen.search.chinese import is_pinyin
from ncen.search.phonetic import latin_codes
from ncen.search.tokens import Token
from ncen.search.transliterate import LATIN

FRENCH = "french"
_MARKS: Final = ("ou", "dj")
# (French, English, Russian-style) spellings, longest first.
_RULES: Final = (("dj", "j", "dzh"), ("tch", "ch", "ch"), ("ch", "sh", "sh"), ("ou", "u", "u"))


def _respell(word: str, column: int) -> str:
    out = []
    i = 0
    while i < len(word):
        for rule in _RULES:
            if word.startswith(rule[0], i):
                out.append(rule[column])
                i += len(rule[0])
                break
        else:
            out.append(word[i])
            i += 1
    return "".join(out)


def spellings(word: str) -> tuple[str, ...]:
    """The English and Russian-style spellings of a folded French-style word, without the
    word itself ("djamel" → ("jamel", "dzhamel"))."""
    return tuple(s for s in dict.fromkeys((_respell(word, 1), _respell(word, 2))) if s != word)


def widen_name(per_word: list[list[Token]]) -> list[list[Token]]:
    """Give the Latin words of a French-style name their English and Russian spellings."""
    latin = [t for tokens in per_word for t in tokens if t.script == LATIN]
    # Pinyin writes ou too (Zhou, Gou): a word that is pinyin syllables marks nothing.
    if not any(mark in t.text and not is_pinyin(t.text) for t in latin for mark in _MARKS):
        return per_word
    out: list[list[Token]] = []
    for tokens in per_word:
        widened = []
        for token in tokens:
            extra = spellings(token.text) if token.script == LATIN and not token.via else ()
            if not extra:
                widened.append(token)
                continue
            codes = token.codes + tuple(c for e in extra for c in latin_codes(e))
            widened.append(
                replace(
                    token,
                    extra=(*token.extra, *extra),
                    codes=tuple(dict.fromkeys(codes)),
                    via=FRENCH,
                )
            )
        out.append(widened)
    return out

"""Parentage markers: "son of", "daughter of", "wife of" written inside a name.

Many naming traditions write a relation into the name: South Asian documents write ``Ali s/o
Karim`` (son of), ``d/o`` (daughter of) and ``w/o`` (wife of); Arabic and Malay names write
``Ahmad bin Ismail``, ``Siti binti Abdullah``, ``ibn``, ``bint``; Dari, Pashto and Urdu write
``ولد`` (walad, son of), ``بن``, ``بنت``, and Persian ``دختر`` (daughter); Turkic names put the
marker after the father's name (Azerbaijani ``Əli oğlu``, ``Leyla qızı``, Uzbek ``o'g'li``,
``qizi``, Kazakh ``ұлы``, ``қызы``, Kyrgyz ``уулу``, ``кызы``, Turkmen ``ogly``, ``gyzy``, and
their Russian spellings ``оглы``, ``кызы``). The marker is a relation, not a name word: it is
never indexed nor counted as an unmatched word, and the words it governs (the parent's name)
are optional words of the name that `ncen.search.parents` compares as a qualifier.

`split_words` keeps the slash markers whole (the word splitter would cut ``s/o`` in two);
`roles` says for each written word whether it is the person's own name, a marker or part of
the parent's name. The Mongolian patronymic (the father's name in the genitive, Батын Болд) is
a parent's name too; `ncen.search.mongolian` recognises it.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Sequence
from functools import lru_cache
from typing import Final

from ncen.search.explain import Transformation, WordMatch
from ncen.search.normalise import fold_latin, words
from ncen.search.tokens import Token

# Markers written before the parent's name, as the word appears (folded if Latin). Not "ben":
# in Maghrebi names it became part of the family name (Ben Ali, Ben Salah) and is searched so.
BEFORE: Final = frozenset(
    {
        "s/o", "d/o", "w/o", "h/o",  # son, daughter, wife, husband of (South Asian documents)
        "a/l", "a/p",  # anak lelaki, anak perempuan: son, daughter of (Malaysian Indian names)
        "bin", "ibn", "binti", "bint", "bte", "binte", "bt",  # Arabic, Malay (bt, bte: binti)
        "anak",  # child of (Iban and other Bornean names: Jimbun anak Pelle)
        "бин", "ибн", "бинт",  # the same in Russian spelling
        "بن", "ابن", "بنت", "ولد", "دختر", "پسر",  # Arabic, Dari, Pashto, Urdu, Persian
        "زوجہ", "زوجه", "زوجة",  # wife of (Urdu, Persian, Arabic spellings)
    }
)  # fmt: skip
# Markers written after the father's name (Turkic), folded Latin and as Cyrillic reads.
AFTER: Final = frozenset(
    {
        "ogly", "oglu", "ogli", "ugli", "ugly", "uly", "uulu", "kyzy", "kizi", "qizi", "gizi",
        "gyzy", "qyzy", "kyzi",
        "оглы", "оглу", "огли", "угли", "ўғли", "улы", "ұлы", "уулу", "кызы", "кизи", "қизи",
        "қызы", "гызы",
    }
)  # fmt: skip
# s/o, S/O, s / o, s.o., a/l, a/p (the word splitter cuts all of them apart), the same in
# words, and the Malay abbreviations of binti with their dot (bt., bte.). Not "b." for bin:
# John B. Smith has a middle initial.
_SLASH: Final = re.compile(
    r"(?<![^\W_])(?:([sdwh])\s*[/.]\s*o\.?|(son|daughter|wife|husband)\s+of"
    r"|a\s*[/.]\s*([lp])\.?|(bt|bte)\.)(?![^\W_])",
    re.IGNORECASE,
)
_ABBREVIATED: Final = {"bt": "binti", "bte": "binti"}


class Role(enum.Enum):
    """What a written word of a name is."""

    OWN = "own"
    MARKER = "marker"
    PARENT = "parent"


def split_words(text: str) -> list[str]:
    """The words of a cleaned name, slash markers kept whole ("Ali s/o Karim" → 3 words)."""
    out: list[str] = []
    start = 0
    for match in _SLASH.finditer(text):
        out.extend(words(text[start : match.start()]))
        relation, spelt, anak, malay = match.groups()
        if anak:
            out.append("a/" + anak.lower())
        elif malay:
            out.append(_ABBREVIATED[malay.lower()])
        else:
            out.append((relation or spelt)[0].lower() + "/o")
        start = match.end()
    out.extend(words(text[start:]))
    return out


@lru_cache(maxsize=65536)
def marker_key(word: str) -> str:
    """The form a marker is looked up by: folded if Latin, as written otherwise."""
    folded = fold_latin(word).replace("ı", "i")  # Turkic dotless i (qızı) has no base letter
    return folded if folded.isascii() else word.lower()


def roles(written: list[str]) -> list[Role]:
    """The role of each written word of a person name.

    A marker before the parent's name makes every later word the parent's (a chain ``bin X bin
    Y`` names ancestors); a marker after it (Turkic) makes the word before it the father's. A
    word is a marker only where it leaves the person some name of their own: "Ben Smith" is a
    name, not "son of Smith".
    """
    found = [Role.OWN] * len(written)
    for i, word in enumerate(written):
        key = marker_key(word)
        if key in BEFORE and i > 0 and i + 1 == len(written) and "/" in key:
            found[i] = Role.MARKER  # "Ali s/o" with the father's name left blank
            break
        if key in BEFORE and i > 0 and found[i - 1] is Role.OWN and i + 1 < len(written):
            found[i] = Role.MARKER
            for j in range(i + 1, len(written)):
                if found[j] is Role.OWN:
                    found[j] = Role.PARENT
            break
        if key in AFTER and i > 1 and found[i - 1] is Role.OWN:
            found[i] = Role.MARKER
            found[i - 1] = Role.PARENT
    if Role.OWN not in found:
        return [Role.OWN] * len(written)
    # A later marker before a parent's name ("bin X bin Y") is a marker too.
    return [
        Role.MARKER if role is Role.PARENT and marker_key(w) in BEFORE else role
        for w, role in zip(written, found, strict=True)
    ]


def notes(query: Sequence[Token], record: Sequence[Token]) -> tuple[WordMatch, ...]:
    """One `WordMatch` per parentage marker of the query (``query`` set) or of the record
    (``matched`` set), for the explanation ("parentage marker s/o ignored")."""
    found = [WordMatch(t.marker, None, Transformation.PARENTAGE_MARKER, 0.0) for t in query]
    found += [WordMatch("", t.marker, Transformation.PARENTAGE_MARKER, 0.0) for t in record]
    return tuple(w for w in found if w.query or w.matched)


def marker_text(word: str) -> str:
    """How a marker is shown in an explanation ("S/O" → "s/o", "Oğlu" → "oglu")."""
    return marker_key(word)

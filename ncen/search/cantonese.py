"""Cantonese names: Hong Kong government romanisation and Jyutping ↔ Chinese characters ↔ pinyin.

Hong Kong identity cards, Macau and overseas Chinese records spell names as they sound in
Cantonese, not in Mandarin: 陳大文 is "Chan Tai Man" (pinyin Chen Dawen), 黃 Wong (Huang), 張
Cheung (Zhang), 李 Lee (Li), 何 Ho (He), 吳 Ng (Wu); linguists and some databases write
Jyutping (Can Daai Man). The same person then shows under two spellings that share no letters
a matcher can trust. Both directions are read here, with the same design as
`ncen.search.chinese`:

- **Characters → Cantonese.** `han_readings` gives the Cantonese spellings (Hong Kong
  government and Jyutping, tones dropped) of a name in Chinese characters, simplified or
  traditional. `ncen.search.keys` stores them on the name's tokens (``extra``: the surname and
  the given name written as one word; ``parts``: the syllables), so a Cantonese query meets a
  record in characters, and the reverse.
- **Cantonese → pinyin.** `read_name` recognises a whole Latin name written in Cantonese (every
  word splits into Cantonese syllables, a common surname at one end, and something that is not
  plain pinyin: a syllable pinyin lacks, or a surname spelt as Cantonese spells it: Chan for
  陳) and gives one token for the surname and one for the given name (Tai Man, Tai-man and
  Taiman alike), whose extra terms are the pinyin readings of the characters the syllables
  may stand for, most frequent first (bounded by `MAX_PER_SYLLABLE` and `MAX_READINGS`). The
  surname's readings come from common surnames only (Chan is 陳 chen, not every character read
  chan). The tokens are marked ``via`` Cantonese so that the explanation names it.

Data: the Hong Kong government romanisation and Jyutping (LSHK) of every character come from
the maintained ``cantonese-romanisation`` package (MIT); simplified characters are read through
their traditional form (``hanziconv``, Apache-2.0); pinyin comes from pypinyin as everywhere
else. "Common" characters are those of GB 2312 level 1 (the 3,755 most used), the surnames
those of the household register's list (`chinese`), written as Hong Kong writes them.
"""

from __future__ import annotations

import json
import pkgutil
import re
from collections import Counter
from functools import cache, lru_cache
from itertools import product
from typing import Final

from ncen.search.chinese import COMMON_SURNAMES, PINYIN, is_pinyin
from ncen.search.hk_romanisation import hk_spellings
from ncen.search.normalise import fold_latin
from ncen.search.phonetic import MAX_CODES, latin_codes
from ncen.search.tokens import Token
from ncen.search.transliterate import LATIN
from ncen.search.variants import SURNAME_READINGS

CANTONESE = "cantonese"
MAX_PER_SYLLABLE = 6  # pinyin readings kept per Cantonese syllable, most frequent first
MAX_READINGS = 36  # pinyin spellings of a whole given name
MAX_CANTONESE = 24  # Cantonese spellings of a given name written in characters
MAX_SYLLABLES = 3
SURNAME_ORDER_MARGIN = 30

# Common Chinese surnames in traditional characters, those most frequent in Hong Kong first
# (Chan, Lee, Cheung, Wong, Ho, Lam, Leung, Ng, Lau...), then the rest of the household
# register's list: the order decides which end of a name is the surname when both could be.
_SURNAME_CHARS: Final = (
    "陳李張黃何林梁吳劉王鄭周楊曾郭羅葉蔡鄧麥謝朱許馮蘇潘盧譚袁鍾鄒胡余徐馬莫高黎區關岑彭簡唐龐"
    "湯文溫伍蕭杜方孔石姚侯程江田鄺植屈甘古利容翁游施柯洪賴卓莊紀涂巫駱阮殷尤祝趙孫宋韓曹董沈"
    "丁任姜崔陸汪范金廖賈夏韋付白孟熊秦邱尹薛閻段雷龍史陶賀顧毛郝龔邵萬錢嚴覃武戴魏呂蔣于"
)
_TONES: Final = re.compile(r"[0-9]")
_TONE_MARKS: Final = re.compile(r"(?<=[a-z])[1-6]")


def _common(char: str) -> bool:
    """True for a character among the 3,755 of GB 2312 level 1 (read in simplified form)."""
    try:
        encoded = _simplified(char).encode("gb2312")
    except UnicodeEncodeError:
        return False
    return len(encoded) == 2 and 0xB0 <= encoded[0] <= 0xD7


@cache
def _raw_tables() -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    """Character → the table's romanisations, character → Jyutping (toneless)."""
    roman = json.loads(pkgutil.get_data("cantoroman", "data/charToRoman.json") or b"{}")
    lshk = json.loads(pkgutil.get_data("cantoroman", "data/charToLshk.json") or b"{}")
    jyutping = {
        char: list(dict.fromkeys(_TONES.sub("", r).lower() for r in readings))
        for char, readings in lshk.items()
    }
    roman = {char: [r.lower() for r in readings] for char, readings in roman.items()}
    return roman, jyutping


@cache
def _tables() -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    """Character → Hong Kong government romanisations, character → Jyutping (toneless).

    The table's spellings first, then those the government conventions give for the
    character's Jyutping (`hk_spellings`: 丁 "ding" in the table, Ting on identity cards)."""
    roman, jyutping = _raw_tables()
    every = {
        char: list(
            dict.fromkeys(
                [
                    *roman.get(char, ()),
                    *(h for j in jyutping.get(char, ()) for h in hk_spellings(j)),
                ]
            )
        )
        for char in roman.keys() | jyutping.keys()
    }
    return every, jyutping


def _traditional(char: str) -> str:
    from hanziconv import HanziConv  # imported on first use, like pypinyin

    return str(HanziConv.toTraditional(char))


def _simplified(char: str) -> str:
    from hanziconv import HanziConv

    return str(HanziConv.toSimplified(char))


@lru_cache(maxsize=16384)
def char_readings(char: str) -> tuple[str, ...]:
    """The Cantonese spellings of one character: Hong Kong government first, then Jyutping
    ("陳" → ("chan", "chun", "can")); simplified characters through their traditional form."""
    roman, jyutping = _tables()
    for form in (char, _traditional(char)):
        found = [*roman.get(form, ()), *jyutping.get(form, ())]
        if found:
            return tuple(dict.fromkeys(r for r in found if r.isascii() and r.isalpha()))
    return ()


def _pinyin(char: str) -> str:
    from pypinyin import Style, lazy_pinyin

    reading = lazy_pinyin(char, style=Style.NORMAL, v_to_u=True)
    return fold_latin(reading[0]) if reading else ""


@cache
def _syllables() -> dict[str, tuple[str, ...]]:
    """Cantonese syllable → the pinyin of the common characters it spells, most first: those
    the tables spell so, then those only the government conventions do (`hk_spellings`), so
    that the conventions add syllables (Tsz) without crowding out a table's readings."""
    raw = _count(_raw_tables())
    derived = _count(_tables())
    out = {}
    for syllable, counter in derived.items():
        if not (syllable.isascii() and syllable.isalpha()):
            continue
        first = [p for p, _ in raw.get(syllable, Counter()).most_common(MAX_PER_SYLLABLE)]
        more = [p for p, _ in counter.most_common() if p not in first]
        out[syllable] = tuple([*first, *more][:MAX_PER_SYLLABLE])
    return out


def _count(tables: tuple[dict[str, list[str]], dict[str, list[str]]]) -> dict[str, Counter[str]]:
    """Cantonese syllable → how many common characters of each pinyin it spells."""
    counts: dict[str, Counter[str]] = {}
    for table in tables:
        for char, readings in table.items():
            if not _common(char):
                continue
            reading = _pinyin(char)
            if reading not in PINYIN:
                continue
            for syllable in readings:
                counts.setdefault(syllable, Counter())[reading] += 1
    return counts


@cache
def _surnames() -> dict[str, tuple[str, ...]]:
    """Cantonese spelling of a common surname → the pinyin of the surnames it spells, the
    more frequent surname first (the order of `_SURNAME_CHARS`)."""
    found: dict[str, list[str]] = {}
    for char in _SURNAME_CHARS:
        reading = SURNAME_READINGS.get(_simplified(char)) or _pinyin(char)
        for spelling in char_readings(char):
            found.setdefault(spelling, []).append(reading)
    return {k: tuple(dict.fromkeys(v)) for k, v in found.items()}


@cache
def _pinyin_surnames() -> frozenset[str]:
    """The pinyin of every common surname: a name that is all pinyin and starts or ends with
    one is read as pinyin (Zeng Ping is 曾平, not Jyutping 鄭平)."""
    return frozenset(v for readings in _surnames().values() for v in readings) | COMMON_SURNAMES


@cache
def _surname_rank() -> dict[str, int]:
    """Cantonese spelling of a common surname → the rank of the most frequent one it spells."""
    rank: dict[str, int] = {}
    for index, char in enumerate(_SURNAME_CHARS):
        for spelling in char_readings(char):
            rank.setdefault(spelling, index)
    return rank


def _surname_at(words: list[list[str]], written: list[str]) -> int | None:
    """Which end of the name is the surname: the first word (Hong Kong order, Chan Tai Man)
    or the last (Tai Man Chan). The one written in capitals when only one is (Tai Man CHAN,
    as passports write the surname); else, when both could be, the more frequent surname (Ka
    Ming Cheung: Cheung, 張, not Ka, 賈); Hong Kong order wins unless the last word is a much
    more frequent surname (`SURNAME_ORDER_MARGIN` places)."""
    rank = _surname_rank()
    ends = [
        (rank["".join(words[i])], i)
        for i in (0, len(words) - 1)
        if len(words[i]) == 1 and "".join(words[i]) in rank
    ]
    capitals = [i for _, i in ends if len(written[i]) > 1 and written[i].isupper()]
    if len(capitals) == 1 and not all(w.isupper() for w in written):
        return capitals[0]
    if len(ends) == 2 and ends[0][0] > ends[1][0] + SURNAME_ORDER_MARGIN:
        return ends[1][1]
    return ends[0][1] if ends else None


def han_readings(run: str, surname_length: int) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The Cantonese spellings of a name written in characters: (surname spellings, given name
    spellings written as one word), each at most `MAX_CANTONESE`; () where a character has no
    reading. ``surname_length`` is 1, or 2 for a compound surname (歐陽)."""
    per_char = [char_readings(c) for c in run]
    if not all(per_char):
        return (), ()
    surname = _joined(per_char[:surname_length])
    given = _joined(per_char[surname_length:])
    return surname, tuple(g for g in given if g)


def _joined(per_char: list[tuple[str, ...]]) -> tuple[str, ...]:
    """The spellings of consecutive characters written as one word, at most `MAX_CANTONESE`,
    those made of each character's more usual spellings first (so the cut never drops the
    usual spelling of the second character for a rare one of the first)."""
    combos = sorted(product(*(range(len(r)) for r in per_char)), key=lambda c: (sum(c), c))
    return tuple(
        dict.fromkeys("".join(r[i] for r, i in zip(per_char, c, strict=True)) for c in combos)
    )[:MAX_CANTONESE]


def han_syllables(run: str) -> tuple[str, ...]:
    """Every Cantonese syllable of the characters of ``run`` (for the stored terms)."""
    return tuple(dict.fromkeys(r for c in run for r in char_readings(c)))


def split_word(word: str) -> tuple[str, ...] | None:
    """A folded Latin word as at most `MAX_SYLLABLES` Cantonese syllables, the longest first
    syllable that lets the rest split ("taiman" → ("tai", "man")); None when it does not."""
    known = _syllables()
    if word in known:
        return (word,)

    def walk(rest: str, done: tuple[str, ...]) -> tuple[str, ...] | None:
        if not rest:
            return done
        if len(done) == MAX_SYLLABLES:
            return None
        for end in range(min(len(rest), 6), 0, -1):
            if rest[:end] in known:
                found = walk(rest[end:], (*done, rest[:end]))
                if found:
                    return found
        return None

    return walk(word, ())


def _folded(written: str) -> list[str]:
    """The hyphen-separated parts of a written word, folded, Jyutping tone digits dropped
    (Can4 Daai6-man4 → can, daai, man)."""
    parts = fold_latin(written).replace("‐", "-").replace("‑", "-").split("-")
    return [_TONE_MARKS.sub("", p) for p in parts if _TONE_MARKS.sub("", p)]


def _pinyin_readings(syllables: tuple[str, ...]) -> list[str]:
    options = [_syllables()[s] for s in syllables]
    return ["".join(c) for c in product(*options)][:MAX_READINGS]


def read_name(written: list[str]) -> list[list[Token]] | None:
    """The tokens of a Latin name written in Cantonese (`_read`), or None when it is not, or
    when it is plain pinyin as well (`pinyin_alike`)."""
    found = _read(written)
    return None if found is None or found[1] else found[0]


def pinyin_alike(written: list[str]) -> bool:
    """True for a name that is plain pinyin and Cantonese alike (Kong Mei: pinyin 孔美, or
    the Hong Kong spelling of 江美): read as pinyin, its words may still meet the Cantonese
    spellings of characters, as a likely reading (`ncen.search.conventions`)."""
    found = _read(written)
    return found is not None and found[1]


def _read(written: list[str]) -> tuple[list[list[Token]], bool] | None:
    """The tokens of a Latin name written in Cantonese: one per written word of the surname
    and one for the whole given name, or None when the name is not Cantonese (see the module
    docstring), with True when the name is plain pinyin as well. The tokens for the
    given-name words are given at the first of them; the others get no token (the list for
    them is empty)."""
    if not 2 <= len(written) <= 4:
        return None
    words = [_folded(w) for w in written]
    if not all(words) or not all(p.isascii() and p.isalpha() for w in words for p in w):
        return None
    surnames = _surnames()
    surname_at = _surname_at(words, written)
    if surname_at is None:
        return None
    surname = "".join(words[surname_at])
    given_words = [w for i, w in enumerate(words) if i != surname_at]
    syllables: list[str] = []
    for parts in given_words:
        for part in parts:
            split = split_word(part)
            if split is None:
                return None
            syllables.extend(split)
    if not syllables or len(syllables) > MAX_SYLLABLES:
        return None
    # Li Ming, Zeng Ping: pinyin that happens to spell Cantonese syllables too.
    # A Cantonese syllable written alone is pinyin only when it is one pinyin syllable: Yuen
    # is no "yu'en".
    plain = surname in _pinyin_surnames() and all(
        p in PINYIN or (len(split_word(p) or ()) > 1 and is_pinyin(p)) for w in words for p in w
    )
    given_text = "".join(syllables)
    tokens: list[list[Token]] = []
    given_done = False
    for i in range(len(words)):
        if i == surname_at:
            tokens.append([_token(surname, list(surnames[surname]), [])])
        elif not given_done:
            given_done = True
            tokens.append([_token(given_text, _pinyin_readings(tuple(syllables)), syllables)])
        else:
            tokens.append([])
    return tokens, plain


def _token(text: str, readings: list[str], parts: list[str]) -> Token:
    extra = tuple(dict.fromkeys(r for r in readings if r != text))
    codes = tuple(dict.fromkeys(c for w in (text, *readings[:4]) for c in latin_codes(w)))
    return Token(
        text,
        LATIN,
        codes[:MAX_CODES],
        extra=extra,
        via=CANTONESE,
        parts=tuple(dict.fromkeys(p for p in parts if p != text and len(parts) > 1)),
    )

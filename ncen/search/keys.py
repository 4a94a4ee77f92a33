"""From a written name to the keys that are stored and searched.

`analyse` turns a person or company name, in any script, into `Token`s: one folded Latin word
each, with its phonetic codes, the script it was written in, whether a match may leave it out
(patronymics, "son of" particles) and other spellings that should find it (the German umlaut
spelling, the pinyin syllables of a Chinese given name, the parts of a hyphenated name).
`name_keys` packs the tokens into the three stored keys of a name form: its Latin text, its
terms and its phonetic codes. Queries go through the same `analyse`, so both sides agree.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import lru_cache

from ncen.search import cantonese, chinese, french, mongolian, parentage, turkic, uyghur, variants
from ncen.search.normalise import clean, latin_variants, words
from ncen.search.parentage import Role
from ncen.search.tokens import Token

__all__ = ["NameKeys", "Token", "analyse", "company_name_keys", "name_keys", "person_name_keys"]
from ncen.search.phonetic import arabic_codes, latin_codes
from ncen.search.transliterate import ARABIC, HAN, LATIN, char_script, read_word


@dataclass(frozen=True, slots=True)
class NameKeys:
    """The stored keys of one name form (see `ncen.search.models`)."""

    text: str
    terms: tuple[str, ...]
    codes: tuple[str, ...]


def _without_legal_forms(tokens: list[Token]) -> list[Token]:
    """Remove legal-form word sequences at the start and end of a company name."""
    start, stop = 0, len(tokens)
    changed = True
    while changed and stop - start > 1:
        changed = False
        for size in range(min(variants.LONGEST_LEGAL_FORM, stop - start - 1), 0, -1):
            if tuple(t.text for t in tokens[stop - size : stop]) in variants.LEGAL_FORMS:
                stop, changed = stop - size, True
                break
            if tuple(t.text for t in tokens[start : start + size]) in variants.LEGAL_FORMS:
                start, changed = start + size, True
                break
    return tokens[start:stop]


def _company_word(word: str) -> str:
    for suffix in variants.HAN_LEGAL_SUFFIXES:
        if word.endswith(suffix) and len(word) > len(suffix):
            return word[: -len(suffix)]
    return "" if word in variants.ARABIC_SCRIPT_LEGAL_WORDS else word


def _read(part: str, company: bool) -> list[Token]:
    tokens: list[Token] = []
    for reading in read_word(part):
        if reading.script == HAN and company:
            syl = reading.syllables
            tokens.extend(
                Token(s, HAN, latin_codes(s), extra=(s + syl[i + 1],) if i + 1 < len(syl) else ())
                for i, s in enumerate(syl)
            )
            continue
        for index, text in enumerate(reading.parts):
            extra: tuple[str, ...] = ()
            via = ""
            codes = arabic_codes(part) if reading.script == ARABIC else latin_codes(text)
            if reading.script == LATIN:
                extra = tuple(v for v in latin_variants(part)[1:] if v.isascii() and v != text)
                # A Uyghur name in the pinyin of its Chinese transcription (a Chinese
                # passport's KELIMU): the Uyghur spellings it stands for.
                uly = () if company else uyghur.reading(text, latin=True)
                via = uyghur.UYGHUR if uly else ""
                extra = tuple(dict.fromkeys((*extra, *uly)))
                codes = tuple(
                    dict.fromkeys(codes + tuple(c for e in extra for c in latin_codes(e)))
                )
            elif reading.script == HAN and index == len(reading.parts) - 1 and index > 0:
                extra = reading.syllables[1 if len(reading.parts) == 2 else 0 :]
            tokens.append(Token(text, reading.script, codes, extra=extra, via=via))
        if reading.script == HAN and not company:
            tokens[len(tokens) - len(reading.parts) :] = _with_cantonese(
                tokens[len(tokens) - len(reading.parts) :], part
            )
    return tokens


def _with_cantonese(tokens: list[Token], written: str) -> list[Token]:
    """The tokens of a name written in characters with their Cantonese spellings
    (`ncen.search.cantonese`): the surname's on the surname, the given name's (as one word) and
    every Cantonese syllable of the name on the given name, so that Chan Tai Man finds 陳大文."""
    run = "".join(c for c in written if char_script(c) == HAN)
    if not run or not tokens:
        return tokens
    if len(tokens) == 2:
        surname_length = 2 if run[:2] in variants.COMPOUND_SURNAMES else 1
        surname, given = cantonese.han_readings(run, surname_length)
        spellings = [surname, given]
    else:
        spellings = [cantonese.han_readings(run, len(run))[0]]
    syllables = cantonese.han_syllables(run)
    out = []
    for token, found in zip(tokens, spellings, strict=False):
        parts = syllables if token is tokens[-1] and len(syllables) > 1 else ()
        # The syllables are terms (a query that splits the given name finds it), never
        # readings of the whole word: Chiu Ping is not 邱建平.
        out.append(replace(token, cantonese=found, parts=(*token.parts, *parts)))
    return out


def _join_prefixes(tokens: list[Token]) -> list[Token]:
    """Glue "Abdul" and "Abu" to the next word, keeping the parts as extra terms."""
    out: list[Token] = []
    for token in tokens:
        previous = out[-1] if out else None
        if previous is not None and previous.text in variants.JOINING_PREFIXES:
            text = previous.text + token.text
            out[-1] = replace(
                token, text=text, codes=latin_codes(text),
                extra=(previous.text, token.text, *token.extra),
                marker=previous.marker or token.marker,  # "d/o Abdul Qayoom" keeps its d/o
            )  # fmt: skip
        else:
            out.append(token)
    return out


def _mark_optional(tokens: list[Token], patronymic: frozenset[str]) -> list[Token]:
    optional = [
        t.optional or t.parent or t.text in patronymic or variants.is_patronymic(t.text)
        for t in tokens
    ]
    if all(optional):  # a name is never all optional
        optional = [False] * len(tokens)
    return [
        t if t.optional == flag else replace(t, optional=flag)
        for t, flag in zip(tokens, optional, strict=True)
    ]


def _person_tokens(name: str) -> list[Token]:
    """The tokens of a person name, parentage markers taken out (`ncen.search.parentage`)."""
    written = parentage.split_words(clean(name))
    roles = parentage.roles(written)
    own = [w for w, role in zip(written, roles, strict=True) if role is not Role.MARKER]
    romanised = _romanised_chinese(own)
    if romanised is not None:
        per_word = romanised
    else:
        foreign = any(dot in name for dot in chinese.MIDDLE_DOTS)
        per_word = [list(_person_word(w, foreign=foreign)) for w in own]
        if cantonese.pinyin_alike(own):
            # Kong Mei: pinyin, or the Hong Kong spelling of 江美 (`pinyin_alike`).
            per_word = [[replace(t, cantonese=(t.text,)) for t in w] for w in per_word]
        markers = [w for w, role in zip(written, roles, strict=True) if role is Role.MARKER]
        per_word = french.widen_name(turkic.widen_name(own, per_word, markers))
    per_word = mongolian.mark_genitive(own, per_word)
    tokens: list[Token] = []
    index = 0
    pending = ""
    for word, role in zip(written, roles, strict=True):
        if role is Role.MARKER:
            marker = parentage.marker_text(word)
            previous = tokens[-1] if tokens and tokens[-1].parent else None
            if marker in parentage.AFTER and previous is not None and not previous.marker:
                tokens[-1] = replace(previous, marker=marker)
            else:
                pending = pending or marker
            continue
        group = per_word[index]
        index += 1
        if not tokens and len(written) > 1 and parentage.marker_key(word) in parentage.BEFORE:
            # A name that starts with "bin" (Bin Laden): the family name kept the marker; the
            # word may be left out, as the marker is when it is one.
            group = [replace(t, optional=True) for t in group]
        if role is Role.PARENT:
            group = [replace(t, parent=True) for t in group]
            if pending and group:
                group[0] = replace(group[0], marker=pending)
                pending = ""
        tokens.extend(group)
    return tokens


def _romanised_chinese(own: list[str]) -> list[list[Token]] | None:
    """The tokens of a Chinese name written in Wade–Giles, Palladius or Cantonese, one list
    per written word, or None. A name both Wade–Giles and Cantonese can spell (Chan Tai-man:
    Hong Kong's 陳, or Taiwan's 詹) is read as Cantonese, the Wade–Giles readings kept as
    extra terms."""
    older = chinese.read_name(own)
    canto = cantonese.read_name(own)
    if canto is None:
        return older
    if older is None or [len(w) for w in older] != [len(w) for w in canto]:
        return canto
    return [
        [
            replace(b, extra=tuple(dict.fromkeys((*b.extra, a.text, *a.extra))))
            for a, b in zip(wg, ct, strict=True)
        ]
        for wg, ct in zip(older, canto, strict=True)
    ]


@lru_cache(maxsize=65536)
def _person_word(written: str, *, foreign: bool) -> tuple[Token, ...]:
    """The tokens of one written word of a person name (hyphenated parts apart)."""
    parts = [p for p in written.replace("‐", "-").replace("‑", "-").split("-") if p]
    tokens: list[Token] = []
    for part in parts:
        special = uyghur.read(part)
        if special is None and foreign:
            transcribed = chinese.read_transcription(part)
            special = [uyghur.with_latin(t) for t in transcribed] if transcribed else None
        tokens.extend(special if special is not None else _read(part, False))
    return tuple(tokens)


@lru_cache(maxsize=65536)
def analyse(
    name: str, *, company: bool = False, patronymic: str | None = None
) -> tuple[Token, ...]:
    """The tokens of a person name (or, with ``company``, a company name without legal form).

    ``patronymic`` is the recorded patronymic, whose words become optional. Never raises; a
    name with no letters gives no tokens.
    """
    if company:
        parts: list[str] = []
        for written in words(clean(name)):
            word = _company_word(written)
            parts.extend(p for p in word.replace("‐", "-").replace("‑", "-").split("-") if p)
        return tuple(_without_legal_forms([t for part in parts for t in _read(part, True)]))
    tokens = _person_tokens(name)
    named = [t for t in tokens if t.text not in variants.PERSON_PARTICLES] or tokens
    given = frozenset(t.text for p in (patronymic or "").split() for t in _read(p, False))
    return tuple(_mark_optional(_join_prefixes(named), given))


def name_keys(tokens: tuple[Token, ...]) -> NameKeys:
    """The stored keys of a name form made of ``tokens``."""
    terms = dict.fromkeys(
        term for t in tokens for term in (t.text, *t.extra, *t.parts, *t.cantonese)
    )
    codes = dict.fromkeys(code for t in tokens for code in t.codes)
    return NameKeys(" ".join(t.text for t in tokens), tuple(terms), tuple(codes))


def person_name_keys(full_name: str, patronymic: str | None = None) -> NameKeys:
    """Keys of one name form of a person."""
    return name_keys(analyse(full_name, patronymic=patronymic))


def company_name_keys(name: str) -> NameKeys:
    """Keys of one name of a company (legal form removed)."""
    return name_keys(analyse(name, company=True))

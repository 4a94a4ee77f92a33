"""From a written name to the keys that are stored and searched.

`analyse` turns a person or company name, in any script, into `Token`s: one folded Latin word
each, with its phonetic codes, the script it was written in, whether a match may leave it out
(patronymics, "son of" particles) and other spellings that should find it (the German umlaut
spelling, the pinyin syllables of a Chinese given name, the parts of a hyphenated name).
`name_keys` packs the tokens into the three stored keys of a name form: its Latin text, its
terms and its phonetic codes. Queries go through the same `analyse`, so both sides agree.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from ncen.search import variants
from ncen.search.normalise import clean, latin_variants, words
from ncen.search.phonetic import arabic_codes, latin_codes
from ncen.search.transliterate import ARABIC, HAN, LATIN, read_word


@dataclass(frozen=True, slots=True)
class Token:
    """One word of a name, read into Latin."""

    text: str
    script: str
    codes: tuple[str, ...]
    optional: bool = False
    extra: tuple[str, ...] = ()


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
            codes = arabic_codes(part) if reading.script == ARABIC else latin_codes(text)
            if reading.script == LATIN:
                extra = tuple(v for v in latin_variants(part)[1:] if v.isascii() and v != text)
                codes = tuple(
                    dict.fromkeys(codes + tuple(c for e in extra for c in latin_codes(e)))
                )
            elif reading.script == HAN and index == len(reading.parts) - 1 and index > 0:
                extra = reading.syllables[1 if len(reading.parts) == 2 else 0 :]
            tokens.append(Token(text, reading.script, codes, extra=extra))
    return tokens


def _join_prefixes(tokens: list[Token]) -> list[Token]:
    """Glue "Abdul" and "Abu" to the next word, keeping the parts as extra terms."""
    out: list[Token] = []
    for token in tokens:
        previous = out[-1] if out else None
        if previous is not None and previous.text in variants.JOINING_PREFIXES:
            text = previous.text + token.text
            out[-1] = Token(
                text,
                token.script,
                latin_codes(text),
                token.optional,
                (previous.text, token.text, *token.extra),
            )
        else:
            out.append(token)
    return out


def _mark_optional(tokens: list[Token], patronymic: frozenset[str]) -> list[Token]:
    optional = [t.text in patronymic or variants.is_patronymic(t.text) for t in tokens]
    for i, token in enumerate(tokens):
        if token.text in variants.TURKIC_PATRONYMIC_MARKERS:
            optional[i] = True
            if i > 0:
                optional[i - 1] = True
        elif token.text in variants.ARABIC_PATRONYMIC_MARKERS and i + 1 < len(tokens):
            optional[i] = optional[i + 1] = True
    if all(optional):  # a name is never all optional
        optional = [False] * len(tokens)
    return [
        Token(t.text, t.script, t.codes, flag, t.extra)
        for t, flag in zip(tokens, optional, strict=True)
    ]


@lru_cache(maxsize=65536)
def analyse(
    name: str, *, company: bool = False, patronymic: str | None = None
) -> tuple[Token, ...]:
    """The tokens of a person name (or, with ``company``, a company name without legal form).

    ``patronymic`` is the recorded patronymic, whose words become optional. Never raises; a
    name with no letters gives no tokens.
    """
    parts: list[str] = []
    for written in words(clean(name)):
        word = _company_word(written) if company else written
        parts.extend(p for p in word.replace("‐", "-").replace("‑", "-").split("-") if p)
    tokens = [t for part in parts for t in _read(part, company)]
    if company:
        return tuple(_without_legal_forms(tokens))
    named = [t for t in tokens if t.text not in variants.PERSON_PARTICLES] or tokens
    given = frozenset(t.text for p in (patronymic or "").split() for t in _read(p, False))
    return tuple(_mark_optional(_join_prefixes(named), given))


def name_keys(tokens: tuple[Token, ...]) -> NameKeys:
    """The stored keys of a name form made of ``tokens``."""
    terms = dict.fromkeys(term for t in tokens for term in (t.text, *t.extra))
    codes = dict.fromkeys(code for t in tokens for code in t.codes)
    return NameKeys(" ".join(t.text for t in tokens), tuple(terms), tuple(codes))


def person_name_keys(full_name: str, patronymic: str | None = None) -> NameKeys:
    """Keys of one name form of a person."""
    return name_keys(analyse(full_name, patronymic=patronymic))


def company_name_keys(name: str) -> NameKeys:
    """Keys of one name of a company (legal form removed)."""
    return name_keys(analyse(name, company=True))

"""Name evidence that separates namesakes: what the words of two names say beyond their score.

The matcher (`ncen.search.matching`) scores how alike two names are; this module reads the
pairing it made for signs that the names belong to different people, each returned as a
`QualifierEffect` that the person search adds to the score and shows in the explanation:

- ``gendered_form`` conflicts: a paired word is the masculine form of the other's feminine
  form (Ivanov/Ivanova, Aliyev/Aliyeva, Petrovskiy/Petrovskaya, Sergeevich/Sergeevna, and
  their Cyrillic spellings, read into Latin), or the query word has an ending that names a
  gender by itself (-ova, -ovna, -skaya; -ov, -ovich, -skiy) where the record word, met only
  with a slip, has none. Evidence of another person unless the record's gender is unknown,
  or the record's recorded gender is the one the query's form implies (a woman recorded
  under the masculine form is still that woman);
- ``patronymic`` conflicts: both sides name a patronymic (or parent's name) and none of the
  query's meets one of the record's;
- ``name_words`` too few: only one word of a name of several met the query ("only the given
  name matched"), which is never a strong match;
- ``sound_only``: a pair of words met only through phonetic codes whose consonants differ
  beyond any transliteration habit (`skeletons`), either only in voicing (Akhmetov ~
  Ахмедов, Nazarbekov ~ Nazarpekov) or with spellings little alike (Indel similarity under
  `SOUND_ONLY_SIMILARITY`), or met as a typo of phonetic codes one edit apart with spellings
  less alike than a slip (`TYPO_SIMILARITY`) and consonants two edits apart or more
  (Kuchkarov ~ Kadyrov, in one script or read from another): two surnames that sound alike,
  never a strong match. A letter
  slipped into a name spelt alike (Zhandarbegkov) is a typo, not another name.

- ``syllable``: two Chinese syllables met only as a typo (Peng ~ Zeng): another surname or
  given name, the pinyin being one standard spelling; so are two transcriptions written
  syllable by syllable in pinyin that differ in a syllable by more than a letter (Tuerhong ~
  Tuerxun: Turghun, Tursun);
- ``parent_name``: a word of the query met only the record's parent's name (oglu, s/o, bin)
  while the record's own given name went unmatched.

The last four are caps: their delta brings the score just under `STRONG_MATCH`, so such hits
stay listed, in order, but are never called strong.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import replace
from functools import lru_cache

from rapidfuzz.distance import OSA, Indel

from ncen.persons.models import Gender
from ncen.search.chinese import PINYIN
from ncen.search.explain import QualifierEffect, Transformation, WordMatch
from ncen.search.keys import Token, analyse
from ncen.search.parents import names_agree
from ncen.search.results import STRONG_MATCH
from ncen.search.transliterate import ABJAD_SCRIPTS, HAN
from ncen.search.uyghur import syllables
from ncen.search.variants import (
    ARABIC_PATRONYMIC_MARKERS,
    PATRONYMIC_SUFFIXES,
    TURKIC_PATRONYMIC_MARKERS,
    is_patronymic,
    variants_of,
)

GENDERED_FORM_CONFLICT = -0.20
PATRONYMIC_CONFLICT = -0.20
CAP = round(STRONG_MATCH - 0.01, 4)  # what a capped hit can score at most
PATRONYMIC_AGREES_MIN = 0.8  # a word score at which two patronymics name the same father
MIN_STEM = 3
SOUND_ONLY_SIMILARITY = 0.6  # spellings less alike than this (Indel) met only by their sound
TYPO_SIMILARITY = 0.75  # a slip keeps this much of the spelling (OSA): less may be another name
MIN_OTHER_CONSONANTS = 2  # consonant edits between two similar names that are not one slip
MAX_READINGS = 32
MIN_SYLLABLES = 2  # a transcription compared syllable by syllable has at least this many

# Masculine and feminine endings of East Slavic (and Turkic names in Russian form) surnames and
# patronymics, as the usual Latin transliterations write them, longest first.
_MASCULINE = (
    "owitsch", "ovitch", "evitch", "ovich", "evich", "ovych", "evych", "tskiy", "tskii",
    "skiy", "skii", "skij", "sky", "ski", "ckiy", "ckij", "yov", "iy", "yy", "ii", "ij", "oy",
    "ov", "ev", "ow", "ew", "in", "yn",
)  # fmt: skip
_FEMININE = (
    "owna", "ovna", "evna", "ivna", "tskaya", "tskaia", "skaya", "skaia", "skaja", "ska",
    "ckaya", "ckaja", "yova", "aya", "aia", "aja", "ova", "eva", "owa", "ewa", "ina", "yna",
)  # fmt: skip
# The endings that name a gender on their own, whatever the word they end: a query word carrying
# one, met by a record word without it, still says which gender the query means. Endings
# shared with given names (Marina, Katrin, Maya) are left out.
_TELLING = {
    **dict.fromkeys(
        ("ovich", "evich", "ovitch", "owitsch", "skiy", "skii", "ov", "ev", "ow", "ew"),
        Gender.MALE,
    ),
    **dict.fromkeys(
        ("ovna", "evna", "owna", "skaya", "skaia", "ova", "eva", "owa", "ewa"), Gender.FEMALE
    ),
}
_VOWELS = frozenset("aeiouy")
_VOICING = str.maketrans("dbgvj", "tpkfc")
# Spellings of one sound across transliteration systems (ICAO, BGN/PCGN, French, German, Turkic
# Latin alphabets), longest first; each maps to the consonant classes it may stand for.
_SPELLINGS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("schtsch", ("s",)),
    ("chtch", ("s",)),
    ("shch", ("s",)),
    ("tsch", ("c",)),
    ("dsch", ("j",)),
    ("tch", ("c",)),
    ("sch", ("s", "j")),
    ("rz", ("j", "r")),
    ("th", ("t",)),
    ("dzh", ("j",)),
    ("dj", ("j",)),
    ("zh", ("j",)),
    ("sh", ("s",)),
    ("kh", ("h", "k")),
    ("gh", ("g", "h")),
    ("ch", ("c", "h", "s")),
    ("ts", ("s",)),
    ("tz", ("s",)),
    ("ph", ("f",)),
    ("ck", ("k",)),
    ("ff", ("f", "v")),
    ("x", ("ks", "h")),
    ("q", ("k",)),
    ("c", ("k", "s", "j", "c")),
    ("j", ("j", "")),
    ("w", ("v",)),
    ("z", ("s",)),
    ("g", ("g", "h")),
)


def _latin(word: str) -> str:
    folded = unicodedata.normalize("NFD", word.lower())
    return "".join(c for c in folded if c.isascii() and c.isalpha())


@lru_cache(maxsize=65536)
def skeletons(word: str) -> frozenset[str] | None:
    """The consonant skeletons a Latin word may be read as (vowels dropped, transliteration
    spellings of one sound folded, doubled letters collapsed); None when there are too many
    readings to tell."""
    text = _latin(word)
    options: list[tuple[str, ...]] = []
    i = 0
    while i < len(text):
        if text[i] == "h" and (i == 0 or text[i - 1] in _VOWELS):
            options.append(("h", ""))  # silent or not written: Hélène, Böhm, Ahmad
            i += 1
            continue
        for spelling, readings in _SPELLINGS:
            if text.startswith(spelling, i):
                options.append(readings)
                i += len(spelling)
                break
        else:
            options.append(("",) if text[i] in _VOWELS else (text[i],))
            i += 1
    count = 1
    for readings in options:
        count *= len(readings)
    if count > MAX_READINGS:
        return None
    return frozenset(
        "".join(k for k, _ in itertools.groupby("".join(combo)))
        for combo in itertools.product(*options)
    )


# Cached: a name search asks this for every word of every candidate (hundreds of times a
# request, each trying every ending), and the same names come back again and again.
@lru_cache(maxsize=65536)
def _genders(word: str) -> tuple[tuple[str, Gender], ...]:
    """(stem, gender) for every gendered ending ``word`` carries."""
    found = [(word[: -len(e)], Gender.MALE) for e in _MASCULINE if word.endswith(e)]
    found += [(word[: -len(e)], Gender.FEMALE) for e in _FEMININE if word.endswith(e)]
    return tuple((stem, gender) for stem, gender in found if len(stem) >= MIN_STEM)


def _same_stem(a: str, b: str) -> bool:
    if a == b:
        return True
    sa, sb = skeletons(a), skeletons(b)
    return sa is not None and sb is not None and bool(sa & sb)


def gendered_pair(query_word: str, record_word: str, *, paired: bool = False) -> Gender | None:
    """The gender of ``query_word`` when it is the other-gender form of ``record_word``
    (Ivanova against Ivanov: female), else None. The stems must read alike unless the words
    are ``paired`` already (the matcher met them: Shamsutdinova against Shamsutdimov is still
    a feminine form against a masculine one)."""
    for (qs, qg), (rs, rg) in itertools.product(_genders(query_word), _genders(record_word)):
        if qg != rg and (paired or _same_stem(qs, rs)):
            return qg
    return None


def telling_gender(word: str) -> Gender | None:
    """The gender a word's ending names on its own (Nazarbekova: female), if any."""
    for ending in sorted(_TELLING, key=len, reverse=True):
        if word.endswith(ending) and len(word) - len(ending) >= MIN_STEM:
            return _TELLING[ending]
    return None


def _form_conflict(query_word: str, record_word: str, record_gender: Gender) -> bool:
    """True when the query word's gendered form contradicts the record (see the module
    docstring): the other-gender form of the record's word, or a telling ending of the other
    gender than the record's, met by a record word that lacks it."""
    implied = gendered_pair(query_word, record_word, paired=True)
    if implied is not None:
        return implied != record_gender
    if query_word == record_word:
        return False
    telling = telling_gender(query_word)
    if telling is None or telling == record_gender:
        return False
    return all(gender != telling for _, gender in _genders(record_word))


def _by_sound(word: WordMatch, query: Token, record: Token) -> bool:
    """True when the pair met through phonetic codes only, in scripts whose readings tell."""
    if word.via not in {Transformation.PHONETIC, Transformation.TRANSLITERATION}:
        return False
    if word.matched is None or word.score >= 1.0 or query.text == record.text:
        return False
    scripts = {query.script, record.script}
    if scripts & set(ABJAD_SCRIPTS) or HAN in scripts:
        return False  # vowel-less and syllabic readings meet Latin too loosely to tell
    return query.text not in variants_of(record.text) and query.text not in record.extra


def _near_name(word: WordMatch, query: Token, record: Token) -> bool:
    """True when the pair met as a typo of codes one edit apart, not as a slip of the
    spelling: two similar but different names (Kuchkarov ~ Kadyrov), in one script or read
    from another."""
    if word.via is not Transformation.TYPO or word.matched is None:
        return False
    if {query.script, record.script} & set(ABJAD_SCRIPTS):
        return False  # vowel-less readings meet Latin too loosely to tell
    if query.text in variants_of(record.text) or query.text in record.extra:
        return False
    alike = OSA.normalized_similarity(query.text, record.text) >= TYPO_SIMILARITY
    if alike and OSA.distance(query.text, record.text) <= 1:
        return False  # one letter: a slip
    # A slip touches one consonant at most (one letter typed wrong, added, dropped or two
    # swapped); consonants two edits apart or more are another name, however alike the rest
    # of the spelling (Dzhavadov ~ Dzhafarov: v/f and d/r).
    qs, rs = skeletons(query.text), skeletons(record.text)
    if qs is None or rs is None:
        return False
    apart = min(OSA.distance(a, b) for a in qs for b in rs)
    # A slip is one edit: a consonant away and other vowels as well is two (Frolov ~ Karlov,
    # Komarova ~ Tikhomirova, Ovezov ~ Obazov), spelt little alike.
    return apart >= MIN_OTHER_CONSONANTS or (
        apart == 1 and not alike and _vowels(query.text) != _vowels(record.text)
    )


def _vowels(word: str) -> str:
    """The vowels of a Latin word in order (y left out: it is a consonant or a vowel as the
    transliteration has it)."""
    return "".join(c for c in word if c in "aeiou")


def other_names(query: Token, record: Token) -> bool:
    """True when two words that name a parent (patronymics, a father's name) are two names,
    however alike they score (Rasulovich ~ Rashidovich, Tagirovich ~ Timurovich, Ruslan ~
    Rustam). A parent's name is chosen whole from a short list, so the slack the name score
    gives a slip must not join two of them: the words are one name only when written alike
    (one edit apart: a slip, or a transliteration habit such as Nikolaevich ~ Nikolayevich),
    a variant of each other, or made of the same consonants (`skeletons` of the fathers' names:
    Mukhamedovich ~ Mukhammadovich). Vowel-less readings are left alone (they meet Latin too
    loosely to tell)."""
    if query.text == record.text or {query.script, record.script} & set(ABJAD_SCRIPTS):
        return False
    if query.text in variants_of(record.text) or query.text in record.extra:
        return False
    if _other_vowels(_father(query.text), _father(record.text)):
        return True  # Hamid ~ Hamad, Hasan ~ Husain: one edit, yet two names
    if record.text in query.extra or OSA.distance(query.text, record.text) <= 1:
        return False
    return not same_father(query, record)


_VOWEL_GROUPS = re.compile(r"[aeiou]+")
# How a group of vowels reads: doubled or English-style spellings of one vowel folded (ee,
# oo, ou), the diphthong ai/ay/ei/ae as one; e and o are left open (e is a or i or u in
# transcriptions of Arabic and Turkic names: Abdelkader ~ Abdulkadir, Mukhamed ~ Mukhammad;
# o is u or a: Osman ~ Usman, Abdulloh ~ Abdullah).
_VOWEL_READING = {"aa": "a", "ee": "i", "ii": "i", "oo": "u", "ou": "u", "uu": "u",
                  "ai": "ai", "ae": "ai", "ei": "ai", "ey": "ai", "ay": "ai"}  # fmt: skip
_OPEN = {"e": {"a", "i", "u", "ai"}, "o": {"u", "a"}}


def _other_vowels(a: str, b: str) -> bool:
    """True when two fathers' names written with the same consonants differ in a vowel that
    tells names apart (a against i or u: Hamid ~ Hamad, Karim ~ Karam, Hasan ~ Husain,
    Rashid ~ Rashad), which transcriptions keep even when they vary (Salih ~ Saleh)."""
    qs, rs = skeletons(a), skeletons(b)
    if not qs or not rs or not qs & rs:
        return False
    va = [_VOWEL_READING.get(g, g) for g in _VOWEL_GROUPS.findall(a)]
    vb = [_VOWEL_READING.get(g, g) for g in _VOWEL_GROUPS.findall(b)]
    if len(va) != len(vb):
        return False
    return any(not _vowels_agree(x, y) for x, y in zip(va, vb, strict=True))


def _vowels_agree(a: str, b: str) -> bool:
    if a == b:
        return True
    if a in _OPEN or b in _OPEN:
        return b in _OPEN.get(a, ()) or a in _OPEN.get(b, ()) or (a in _OPEN and b in _OPEN)
    # Two plain vowels (a, i, u, ai) that differ tell names apart; other groups (ia, ua...)
    # are left undecided.
    return not ({a, b} <= {"a", "i", "u", "ai"})


def same_father(query: Token, record: Token) -> bool:
    """True when two words that name a parent are made of one father's name written alike
    (Rustamovich ~ Rustam o'g'li, Bolatuly ~ Bolat): the same consonants."""
    if query.text == record.text:
        return True
    qs, rs = skeletons(_father(query.text)), skeletons(_father(record.text))
    return bool(qs and rs and qs & rs and min(len(x) for x in qs) >= 2)


def _father(word: str) -> str:
    """The father's name a patronymic is made of (Rustamovich → rustamo), else ``word``."""
    if is_patronymic(word):
        for suffix in sorted((*PATRONYMIC_SUFFIXES, "inichna", "ich"), key=len, reverse=True):
            if word.endswith(suffix):
                return word[: -len(suffix)]
    return word


def _other_syllable(word: WordMatch, query: Token, record: Token) -> bool:
    """True when two Chinese words met only as a typo (Peng ~ Zeng, Jianping ~ Jianbing):
    each pinyin syllable is chosen on its own, so another syllable is another surname or
    given name. Words read from Han characters, or single syllables in Latin letters. So are
    two transcriptions written syllable by syllable (吐尔洪 tu-er-hong, Turghun; 吐尔逊
    tu-er-xun, Tursun), met as a typo or by sound, when a syllable is more than one letter
    away: another character, another name (a single letter is left to be a slip)."""
    if query.text == record.text or word.score >= 1.0:
        return False
    if word.via is Transformation.TYPO and query.text in PINYIN and record.text in PINYIN:
        # One syllable each: a word of several met with a slip (Jiyi ~ Jiayi) is a typo.
        return True
    sound = {Transformation.TYPO, Transformation.TRANSLITERATION, Transformation.PHONETIC}
    if word.via not in sound or OSA.distance(query.text, record.text) < MIN_OTHER_CONSONANTS:
        return False
    if {query.text, *query.extra} & {record.text, *record.extra}:
        return False  # a reading in common
    mine, theirs = syllables(query.text) or [], syllables(record.text) or []
    # Two syllables may be a Latin spelling that happens to be pinyin (Hesen, he-sen, is
    # 艾山 ai-shan): by sound, only transcriptions of three syllables or more are compared.
    least = MIN_SYLLABLES if word.via is Transformation.TYPO else MIN_SYLLABLES + 1
    if len(mine) != len(theirs) or len(mine) < least:
        return False
    pairs = zip(mine, theirs, strict=True)
    return any(OSA.distance(a, b) >= MIN_OTHER_CONSONANTS for a, b in pairs)


def _other_start(word: WordMatch, query: Token, record: Token) -> bool:
    """True when a word met across an abjad script by sound starts with another consonant
    than any reading of the other allows (Shahid ~ جاوید, read jauid): the vowel-less script
    meets Latin through its consonants, so they must at least begin alike."""
    if word.via is not Transformation.TRANSLITERATION or word.score >= 1.0:
        return False
    if not {query.script, record.script} & set(ABJAD_SCRIPTS):
        return False
    qs, rs = skeletons(query.text), skeletons(record.text)
    if not qs or not rs:
        return False
    first_q = {s[0].translate(_VOICING) for s in qs if s}
    first_r = {s[0].translate(_VOICING) for s in rs if s}
    return bool(first_q) and bool(first_r) and not first_q & first_r


def _sound_only(word: WordMatch, query: Token, record: Token) -> bool:
    if _near_name(word, query, record) or _other_start(word, query, record):
        return True
    if not _by_sound(word, query, record):
        return False
    qs, rs = skeletons(query.text), skeletons(record.text)
    if qs is None or rs is None or qs & rs:
        return False  # one spelling of the same consonants
    if {s.translate(_VOICING) for s in qs} & {s.translate(_VOICING) for s in rs}:
        return True  # the consonants differ only in voicing: Akhmetov, Akhmedov
    # Otherwise a slip (a letter added, dropped or swapped) unless spelt little alike.
    return Indel.normalized_similarity(query.text, record.text) < SOUND_ONLY_SIMILARITY


def _parents(tokens: Sequence[Token]) -> list[Token]:
    """The words naming a parent: patronymics, and the optional words around parentage
    markers (the markers themselves are relations, not names)."""
    markers = ARABIC_PATRONYMIC_MARKERS | TURKIC_PATRONYMIC_MARKERS
    return [t for t in tokens if t.text not in markers and (t.optional or is_patronymic(t.text))]


def patronymic_words(full_name: str, patronymic: str | None) -> tuple[Token, ...]:
    """The patronymic words of one name form of a person: those of its structured patronymic
    field and those of the name that read as one (Gennadevich, Геннадьевич, Sergeevna), so
    that a patronymic the query writes inside the name meets it wherever it was recorded."""
    words = [t for t in analyse(full_name, patronymic=patronymic) if t.optional and not t.parent]
    if patronymic:
        words += [replace(t, optional=True) for t in analyse(patronymic)]
    return tuple({t.text: t for t in words}.values())


def with_patronymics(record: Sequence[Token], patronymics: Sequence[Token]) -> list[Token]:
    """``record`` with the person's ``patronymics`` (`patronymic_words` of all their name
    forms) it does not write itself, for the patronymic comparison of `name_effects`."""
    written = {t.text for t in record}
    return [*record, *(t for t in patronymics if t.text not in written)]


def name_effects(
    query: Sequence[Token],
    record: Sequence[Token],
    words: Sequence[WordMatch],
    record_gender: Gender,
    word_score: Callable[[Token, Token], float],
) -> list[QualifierEffect]:
    """The evidence effects of one pairing (see the module docstring), caps excluded.

    ``words`` is the matcher's pairing of ``query`` with ``record``; ``word_score`` scores one
    query word against one record word.
    """
    effects: list[QualifierEffect] = []
    known = record_gender in {Gender.FEMALE, Gender.MALE}
    for word in words:
        if word.matched is None or not known:
            continue
        if _form_conflict(word.query, word.matched, record_gender):
            effects.append(
                QualifierEffect(
                    "gendered_form",
                    "conflicts",
                    GENDERED_FORM_CONFLICT,
                    f"“{word.query}” is the other-gender form of “{word.matched}”",
                )
            )
            break
    asked, recorded = _parents(query), _parents(record)
    if asked and recorded:
        # Word for word: Ghulam Nabi is not Ghulam Sarwar (`ncen.search.parents.names_agree`).
        agree = names_agree(
            asked,
            recorded,
            lambda q, r: (
                (word_score(q, r) >= PATRONYMIC_AGREES_MIN and not other_names(q, r))
                or gendered_pair(q.text, r.text) is not None
                or same_father(q, r)
            ),
        )
        if not agree:
            effects.append(
                QualifierEffect(
                    "patronymic",
                    "conflicts",
                    PATRONYMIC_CONFLICT,
                    f"patronymic “{recorded[0].text}”, not “{asked[0].text}”",
                )
            )
    return effects


def _met(query: Sequence[Token], words: Sequence[WordMatch]) -> list[WordMatch]:
    tokens = {t.text: t for t in query}
    return [
        w
        for w in words
        if w.matched is not None and not getattr(tokens.get(w.query), "optional", False)
    ]


def matched_pairs(
    query: Sequence[Token], record: Sequence[Token], words: Sequence[WordMatch]
) -> list[tuple[WordMatch, Token, Token]]:
    """The words of the pairing that met, each with its query and record token (words of the
    query's own name only: a parent's or patronymic word left optional is not counted)."""
    tokens = {t.text: t for t in query}
    record_tokens = {t.text: t for t in record}
    return [
        (w, tokens[w.query], record_tokens[w.matched or ""])
        for w in _met(query, words)
        if w.query in tokens and (w.matched or "") in record_tokens
    ]


def cap_reasons(
    query: Sequence[Token], record: Sequence[Token], words: Sequence[WordMatch]
) -> list[tuple[str, str, str]]:
    """Why the pairing can never be a strong match: (qualifier, outcome, detail) triples."""
    reasons: list[tuple[str, str, str]] = []
    met = _met(query, words)
    written = {t.text for t in record}
    # A compound the matcher joined (Salah Eddine: صلاح الدين) met as one word covers its parts.
    joined = [w.matched for w in met if w.matched and w.matched not in written]
    substantive = sum(
        not t.optional and not any(t.text in j for j in joined) for t in record
    ) + len(joined)
    if substantive > 1 and len(met) == 1:
        reasons.append(("name_words", "too_few", f"only “{met[0].query}” of the name matched"))
    pairs = matched_pairs(query, record, words)
    for w, q, r in pairs:
        if _other_syllable(w, q, r):
            reasons.append(
                ("syllable", "too_weak", f"“{w.query}” and “{w.matched}” are other syllables")
            )
            break
    for w, q, r in pairs:
        if _sound_only(w, q, r):
            reasons.append(
                ("sound_only", "too_weak", f"“{w.query}” and “{w.matched}” only sound alike")
            )
            break
    own_left = [t for t in record if not t.optional and t.text not in {w.matched for w in met}]
    for w, q, r in pairs:
        fathers = r.parent or (r.optional and is_patronymic(r.text))
        if fathers and not q.parent and not q.optional and own_left:
            # Dzhavadov Vugar against Джавадов Эльшан Вугар оглы: Vugar is the father; so is
            # Valentina against the patronymic of Никитина Нина Валентиновна.
            reasons.append(
                ("parent_name", "too_weak", f"“{w.query}” matched only the parent's name")
            )
            break
    return reasons


def capped(score: float, reasons: Sequence[tuple[str, str, str]]) -> list[QualifierEffect]:
    """The effects that bring ``score`` (name score plus the other deltas) under the strong
    threshold for ``reasons``; the first reason carries the delta, the others show as 0."""
    effects = []
    delta = min(0.0, CAP - score)
    for qualifier, outcome, detail in reasons:
        effects.append(QualifierEffect(qualifier, outcome, round(delta, 4), detail))
        delta = 0.0
    return effects

"""Re-ranking: how well one analysed name form matches an analysed query, in [0, 1].

Each query word is scored against each word of the name form (rapidfuzz for the edit
distances), the best one-to-one pairing is kept, and the name score is the mean over the query
words, an unmatched word counting 0:

- exact 1.0 (transliteration when the words were written in different scripts), nickname or
  listed variant 0.95;
- shared phonetic codes: transliteration 0.88–0.98 against Arabic script (which only ever
  meets Latin through its consonants), 0.80–0.98 across other scripts, phonetic 0.65–0.95
  within one script, the more the closer the spellings (Indel similarity); not for pinyin,
  whose short syllables share consonants too easily;
- typo: 0.55 + 0.4 × optimal string alignment similarity when that is at least 0.75, or
  0.5 + 0.4 × Indel similarity (at least 0.6, 0.45 against Arabic script) when the phonetic
  codes are one edit apart (a typo on top of a transliteration);
- an unmatched query word that reads as a patronymic is left out of the mean (× 0.98), and
  each word of the name form the query did not mention costs × 0.96 unless it is optional;
- word order never costs anything: it is only reported.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from rapidfuzz.distance import OSA, Indel

from ncen.search import conventions
from ncen.search.explain import Transformation, WordMatch
from ncen.search.keys import Token
from ncen.search.parentage import notes as parentage_notes
from ncen.search.phonetic import latin_codes, near_codes
from ncen.search.tokens import reads_as
from ncen.search.transliterate import ABJAD_SCRIPTS, HAN
from ncen.search.variants import COMPOUND_FIRSTS, COMPOUND_SECONDS, variants_of

TYPO_MIN = 0.75
NEAR_MIN = 0.6
NEAR_MIN_ABJAD = 0.45  # vowel-less readings are less like any Latin spelling
SHORT_CODE_MIN = 0.5
EXTRA_WORD_FACTOR = 0.96
OMITTED_PATRONYMIC_FACTOR = 0.98


@dataclass(frozen=True, slots=True)
class NameComparison:
    """The outcome of comparing a query with one name form."""

    score: float
    words: tuple[WordMatch, ...]
    transformations: tuple[Transformation, ...]


@dataclass
class Matcher:
    """Compares a query with many name forms; remembers word scores across forms."""

    query: Sequence[Token]
    phonetic: bool = True
    _cache: dict[tuple[str, str, str, str], tuple[float, Transformation | None]] = field(
        default_factory=dict
    )

    def word(self, q: Token, r: Token) -> tuple[float, Transformation | None]:
        """Score and transformation of query word ``q`` against record word ``r``."""
        key = (q.text, q.script, r.text, r.script)
        found = self._cache.get(key)
        if found is None:
            found = self._cache[key] = self._word(q, r)
        return found

    def _word(self, q: Token, r: Token) -> tuple[float, Transformation | None]:  # noqa: PLR0911
        convention = conventions.match(q, r)  # Wade–Giles, Palladius, Uyghur, Turkic Latin...
        if convention is not None:
            return convention
        if q.text == r.text or reads_as(q.text, r) or reads_as(r.text, q):
            cross = q.script != r.script
            return 1.0, Transformation.TRANSLITERATION if cross else Transformation.EXACT
        if q.text in variants_of(r.text):
            return 0.95, Transformation.NICKNAME
        # Pinyin is one standard spelling: its short syllables share consonant codes too easily.
        phonetic = self.phonetic and HAN not in (q.script, r.script)
        if phonetic and _share_code(q, r):
            return _phonetic(q, r)
        similarity = OSA.normalized_similarity(q.text, r.text)
        if similarity >= TYPO_MIN and min(len(q.text), len(r.text)) >= 4:
            return 0.55 + 0.4 * similarity, Transformation.TYPO
        if phonetic and near_codes(q.codes, r.codes):
            # A typo on top of another transliteration: the consonants are one edit apart and
            # the spellings still mostly agree.
            similarity = Indel.normalized_similarity(q.text, r.text)
            abjad = q.script in ABJAD_SCRIPTS or r.script in ABJAD_SCRIPTS
            if similarity >= (NEAR_MIN_ABJAD if abjad else NEAR_MIN):
                return 0.5 + 0.4 * similarity, Transformation.TYPO
        return 0.0, None

    def compare(self, record: Sequence[Token]) -> NameComparison:
        """Pair the query's words with ``record``'s words and score the name form."""
        written_record, written = record, len(record)
        query, record = _join_split_words(list(self.query), list(record))
        spacing = len(query) != len(self.query) or len(record) != written
        # When both name a parent (oglu, s/o, bin), a word of the parent's name meets the
        # other's parent's name first: Kamil oğlu is compared with Kamil oğlu, and the own
        # given name with the own given name (never rescued by a father of that name). A
        # family name written after the parent's (Imran s/o Hassan Baig) still meets.
        apart = any(t.parent for t in query) and any(t.parent for t in record)
        cells = sorted(
            ((*self.word(q, r), i, j) for i, q in enumerate(query) for j, r in enumerate(record)),
            key=lambda cell: (-cell[0], apart and query[cell[2]].parent != record[cell[3]].parent),
        )
        pairs: dict[int, tuple[int, float, Transformation]] = {}
        used: set[int] = set()
        for score, via, i, j in cells:
            if via is None or i in pairs or j in used:
                continue
            pairs[i] = (j, score, via)
            used.add(j)
        return _with_markers(self.query, written_record, _aggregate(query, record, pairs, spacing))


def _with_markers(
    query: Sequence[Token], record: Sequence[Token], comparison: NameComparison
) -> NameComparison:
    """Name the parentage markers of either side in the comparison (they were never words)."""
    markers = parentage_notes(query, record)
    if not markers:
        return comparison
    return NameComparison(
        comparison.score,
        comparison.words + markers,
        (*comparison.transformations, Transformation.PARENTAGE_MARKER),
    )


def _share_code(q: Token, r: Token) -> bool:
    """True when the words share a phonetic code that says something: one of two consonant
    classes or more, or a shorter one (which half the dictionary shares) with spellings that
    are at least half alike."""
    shared = set(q.codes).intersection(r.codes)
    if any(len(code.removeprefix("A")) >= 2 for code in shared):
        return True
    return bool(shared) and Indel.normalized_similarity(q.text, r.text) >= SHORT_CODE_MIN


def _phonetic(q: Token, r: Token) -> tuple[float, Transformation]:
    """Score of two words with a phonetic code in common."""
    similarity = Indel.normalized_similarity(q.text, r.text)
    if q.script in ABJAD_SCRIPTS or r.script in ABJAD_SCRIPTS:
        return 0.88 + 0.1 * similarity, Transformation.TRANSLITERATION
    if q.script != r.script:
        return 0.80 + 0.18 * similarity, Transformation.TRANSLITERATION
    return 0.65 + 0.3 * similarity, Transformation.PHONETIC


def _join_split_words(query: list[Token], record: list[Token]) -> tuple[list[Token], list[Token]]:
    """Join two adjacent words of one side when together they are a word of the other side,
    or (words of a name that is pinyin and Cantonese alike, Wai San) the Cantonese spelling
    of one (偉新 waisan)."""
    for side, other in ((query, record), (record, query)):
        texts = {t.text for t in other} | {e for t in other for e in t.extra}
        spelt = {c for t in other for c in t.cantonese}
        i = 0
        while i < len(side) - 1:
            first, second = side[i], side[i + 1]
            joined = first.text + second.text
            alike = first.cantonese == (first.text,) and second.cantonese == (second.text,)
            if joined in texts:
                side[i : i + 2] = [Token(joined, first.script, first.codes, first.optional)]
            elif alike and joined in spelt:
                side[i : i + 2] = [
                    Token(joined, first.script, first.codes, first.optional, cantonese=(joined,))
                ]
            elif _compound(first, second, other):
                # The article of the element assimilates when written as one (ad-din: eddine).
                short = first.text + second.text[2:] if second.text.startswith("al") else ""
                codes = tuple(
                    dict.fromkeys((*latin_codes(joined), *latin_codes(short), *first.codes))
                )
                side[i : i + 2] = [Token(joined, first.script, codes, first.optional)]
            i += 1
    return query, record


def _compound(first: Token, second: Token, other: Sequence[Token]) -> bool:
    """True when two words are the parts of a compound name that the other side writes as one
    word (Sami Ullah ~ سمیع‌الله, Nour Eddine ~ Noureddine, Ghulam Reza ~ Gholamreza): the
    second is a theophoric element (ullah, uddin) or the first a "servant of" (ghulam), and
    the other side does not write that element apart."""
    if first.parent != second.parent or first.optional != second.optional:
        return False
    if second.text in COMPOUND_SECONDS:
        element = second.text
    elif first.text in COMPOUND_FIRSTS:
        element = first.text
    else:
        return False
    return all(t.text != element for t in other) and len(other) > 0


def _aggregate(
    query: list[Token],
    record: list[Token],
    pairs: dict[int, tuple[int, float, Transformation]],
    spacing: bool,
) -> NameComparison:
    words: list[WordMatch] = []
    seen: list[Transformation] = []
    total = weight = 0.0
    factor = 1.0
    omitted = False
    for i, q in enumerate(query):
        pair = pairs.get(i)
        if pair is None:
            words.append(WordMatch(q.text, None, None, 0.0))
            if q.optional:
                omitted = True
                factor *= OMITTED_PATRONYMIC_FACTOR
            else:
                weight += 1
            continue
        j, score, via = pair
        words.append(WordMatch(q.text, record[j].text, via, score))
        total += score
        weight += 1
        if via not in seen:
            seen.append(via)
    matched = {j for j, _, _ in pairs.values()}
    unmatched_query = sum(1 for i, q in enumerate(query) if i not in pairs and not q.optional)
    surplus = -unmatched_query  # an unmatched record word facing an unmatched query word is
    for j, r in enumerate(record):  # already paid for by the query word's zero
        if j not in matched:
            if r.optional:
                omitted = True
            else:
                surplus += 1
    factor *= EXTRA_WORD_FACTOR ** max(0, surplus)
    order = [pairs[i][0] for i in sorted(pairs)]
    if order != sorted(order):
        seen.append(Transformation.ORDER_SWAP)
    if spacing:
        seen.append(Transformation.SPACING)
    if omitted:
        seen.append(Transformation.PATRONYMIC_OMITTED)
    score = (total / weight if weight else 0.0) * factor
    return NameComparison(round(min(1.0, score), 4), tuple(words), tuple(seen))

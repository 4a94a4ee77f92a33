"""What the store itself says about a name: how many people bear it, and which spellings are
names of their own.

Two facts that no comparison of two names can know, read from the node's own records at
search time:

- **Namesakes.** When `COMMON_NAME_MIN` persons or more bear the query's name (their best
  form scores at least `NAMESAKE_SCORE` on the name alone: Wang Wei, Ivan Petrov), the name
  does not single anyone out, and none of them is a strong match on the name alone: a hit is
  strong only with something else that agrees (the birth date, a shared document, the same
  parent). The others stay listed, in order, capped just under the threshold (`common_name`).
- **Other names on record.** A query word that is itself a name on record (a term of the
  ``name_terms`` vocabulary) and met a record word only as a slip (Sadia ~ Nadia, Butt ~
  Bhatti) or only by sound with spellings little alike (Shahid ~ Sadia) names someone else,
  not a misspelling of this person: never a strong match (`other_name`). A query word that
  is no name on record (Nadja, a typo) keeps its typo match. Cantonese given names (Wai Tung
  ~ Wai Hung) differ in a whole syllable, so another character: `other_name` too.

Both are caps (`ncen.search.evidence.capped`), shown in the explanation.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from rapidfuzz.distance import Indel
from sqlalchemy import select
from sqlalchemy.orm import Session

from ncen.search.cantonese import CANTONESE
from ncen.search.evidence import capped
from ncen.search.explain import QualifierEffect, Transformation, WordMatch
from ncen.search.models import NameTerm
from ncen.search.tokens import Token
from ncen.search.transliterate import LATIN
from ncen.search.variants import variants_of

NAMESAKE_SCORE = 0.95  # a name score at which two persons bear the same name
COMMON_NAME_MIN = 5  # namesakes from which a name alone singles nobody out
LITTLE_ALIKE = 0.6  # Indel similarity under which two spellings met by sound are two names
# The qualifiers whose agreement singles a namesake out.
SINGLING_OUT = frozenset({"birth_date", "identifier", "parentage"})


@dataclass(frozen=True, slots=True)
class StoreEvidence:
    """What the store says about one query: the query words that are names on record, and
    how many candidates bear the query's name."""

    attested: frozenset[str] = field(default_factory=frozenset)
    namesakes: int = 0


def attested_words(session: Session, tokens: Sequence[Token]) -> frozenset[str]:
    """The words of ``tokens`` that are terms of the name vocabulary (one primary-key probe)."""
    words = sorted({t.text for t in tokens})
    if not words:
        return frozenset()
    return frozenset(session.scalars(select(NameTerm.term).where(NameTerm.term.in_(words))))


def count_namesakes(candidates: Iterable[tuple[float, Sequence[QualifierEffect]]]) -> int:
    """How many candidates could be the person asked for by name: their best form scores at
    least `NAMESAKE_SCORE` on the name alone and nothing conflicts (not the birth date, the
    gendered form, the patronymic or the parent). ``candidates``: (name score, effects)."""
    return sum(
        score >= NAMESAKE_SCORE and not any(e.outcome == "conflicts" for e in effects)
        for score, effects in candidates
    )


def with_common_name(
    store: StoreEvidence, name_score: float, effects: tuple[QualifierEffect, ...]
) -> tuple[QualifierEffect, ...]:
    """``effects`` of one hit, capped (`common_name`) when its name is borne by
    `COMMON_NAME_MIN` persons or more that could be the one asked for and nothing singles it
    out (`SINGLING_OUT` agreeing); unchanged otherwise."""
    if store.namesakes < COMMON_NAME_MIN:
        return effects
    if any(e.qualifier in SINGLING_OUT and e.outcome == "agrees" for e in effects):
        return effects
    reason = ("common_name", "too_common", f"{store.namesakes} persons could bear this name")
    return (*effects, *capped(name_score + sum(e.delta for e in effects), [reason]))


def other_name_reason(
    store: StoreEvidence, pairs: Sequence[tuple[WordMatch, Token, Token]]
) -> tuple[str, str, str] | None:
    """The cap reason of a pairing in which a query word met another name (see the module
    docstring); None when none did. ``pairs`` are the matched words with their tokens."""
    for word, q, r in pairs:
        if q.text == r.text or q.text in variants_of(r.text):
            continue
        if q.via == r.via == CANTONESE and _other_syllables(q, r, word):
            return ("other_name", "too_weak", f"“{q.text}” and “{r.text}” are other syllables")
        if q.script != LATIN or r.script != LATIN or q.text not in store.attested:
            continue
        slip = word.via is Transformation.TYPO
        sound = (
            word.via is Transformation.PHONETIC
            and Indel.normalized_similarity(q.text, r.text) < LITTLE_ALIKE
        )
        if slip or sound:
            return ("other_name", "too_weak", f"“{q.text}” is another name on record")
    return None


def _other_syllables(q: Token, r: Token, word: WordMatch) -> bool:
    """True when two Cantonese given names of as many syllables met only approximately: a
    syllable that differs is another character (Wai Tung, Wai Hung)."""
    if word.via not in {Transformation.TYPO, Transformation.PHONETIC}:
        return False
    return len(q.parts) == len(r.parts) > 0 and q.parts != r.parts

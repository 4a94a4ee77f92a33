"""Evidence that two person records are, or are not, one person, and the duplicate score.

A duplicate candidate starts from the name score of its best pair of name forms (the search
matcher's, `ncen.search.matching`) and adds evidence, each piece an `Evidence` with a signed
delta and a note a supervisor can check:

- **for**: a shared identity document number (+0.30), a shared phone or e-mail (+0.15), a
  shared address (+0.10), a shared seizure (+0.05), the same full date of birth (+0.05), the
  same birth year (+0.02), a shared nationality (+0.02);
- **against**: another known gender (-0.30), a conflicting full date of birth or birth years
  more than `BIRTH_YEAR_TOLERANCE` apart (-0.30), birth years one apart (-0.10), another birth
  month in the same year (-0.20), a conflicting patronymic (-0.25), a conflicting gendered
  surname or patronymic ending (Ivanov / Ivanova, -ovich / -ovna: -0.20, unless both records
  carry the same known gender, where the ending is a spelling slip), no nationality in common
  (-0.10).

A name alone never makes a strong duplicate: without a corroborating fact (a shared document,
contact or address, or the same full date of birth) the score is capped just below
`STRONG_DUPLICATE`, so namesakes with nothing else recorded are listed for review but never
presented as the same person.

The patronymic and gendered-ending comparisons are implemented here because the search
qualifiers (`ncen.search.qualifiers`) do not have them yet; when they do, these should call
them. Pure: the facts are gathered in bulk by `ncen.merging.facts`.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from ncen.persons.models import Gender
from ncen.search.evidence import CAP, gendered_pair
from ncen.search.keys import Token
from ncen.search.matching import Matcher
from ncen.search.results import STRONG_MATCH

# The score from which a pair is presented as "probably the same person": the search's strong
# match itself (one threshold, docs/search.md), and a name alone is capped just under it as a
# capped search hit is.
STRONG_DUPLICATE = STRONG_MATCH
UNCORROBORATED_CAP = CAP
BIRTH_YEAR_TOLERANCE = 1
PATRONYMIC_AGREES = 0.8  # a word score at which two patronymics are one (cross-script too)

SHARED_DOCUMENT = 0.30
SHARED_CONTACT = 0.15
SHARED_ADDRESS = 0.10
SHARED_SEIZURE = 0.05
SAME_BIRTH_DATE = 0.05
SAME_BIRTH_YEAR = 0.02
SAME_NATIONALITY = 0.02
GENDER_CONFLICT = -0.30
BIRTH_CONFLICT = -0.30
BIRTH_YEAR_CLOSE = -0.10
BIRTH_MONTH_CONFLICT = -0.20
PATRONYMIC_CONFLICT = -0.25
ENDING_CONFLICT = -0.20
NATIONALITY_CONFLICT = -0.10


# What each piece of evidence says, in English (the web page has its own translated labels
# for the same codes, `web.merging.EVIDENCE`).
NOTES = {
    "same_document": "same identity document",
    "same_contact": "same phone or e-mail",
    "same_address": "same address",
    "same_seizure": "named in the same seizure",
    "same_birth_date": "same date of birth",
    "same_birth_year": "same birth year",
    "same_nationality": "a nationality in common",
    "other_gender": "another gender",
    "other_birth_date": "another date of birth",
    "birth_years_apart": "birth years too far apart",
    "birth_year_close": "birth years a year apart",
    "other_birth_month": "another birth month",
    "other_patronymic": "another patronymic",
    "other_gender_form": "a name in the other gender's form",
    "other_nationality": "no nationality in common",
    "name_only": "only the name agrees: no shared document, contact or address, nor the same "
    "full date of birth",
}


@dataclass(frozen=True, slots=True)
class Evidence:
    """One fact about a pair: ``code`` (a key of `NOTES`), its signed ``delta`` to the score,
    and the data behind it (``detail``: dates, numbers, names; may be empty)."""

    code: str
    delta: float
    detail: str = ""

    @property
    def direction(self) -> str:
        """ "for" the pair being one person, or "against"."""
        return "for" if self.delta > 0 else "against"

    @property
    def note(self) -> str:
        """The evidence in English, with its detail."""
        return f"{NOTES[self.code]} ({self.detail})" if self.detail else NOTES[self.code]

    def as_dict(self) -> dict[str, object]:
        """The evidence as JSON."""
        return {"code": self.code, "delta": self.delta, "detail": self.detail}


@dataclass(frozen=True, slots=True)
class PersonFacts:
    """What the evidence needs to know about one person (see `ncen.merging.facts`)."""

    gender: Gender
    birth: tuple[int | None, int | None, int | None]
    nationalities: frozenset[str]
    patronymics: tuple[Token, ...]
    words: frozenset[str]  # Latin readings of every name word, for the gendered endings
    documents: frozenset[str] = frozenset()
    contacts: frozenset[str] = frozenset()
    addresses: frozenset[str] = frozenset()
    seizures: frozenset[uuid.UUID] = frozenset()


@dataclass(frozen=True, slots=True)
class Judgement:
    """The duplicate score of a pair and the evidence behind it."""

    name_score: float
    score: float
    evidence: tuple[Evidence, ...] = field(default=())

    @property
    def for_(self) -> tuple[Evidence, ...]:
        """The evidence for the pair being one person."""
        return tuple(e for e in self.evidence if e.direction == "for")

    @property
    def against(self) -> tuple[Evidence, ...]:
        """The evidence against."""
        return tuple(e for e in self.evidence if e.direction == "against")


def _date(birth: tuple[int | None, int | None, int | None]) -> str:
    year, month, day = birth
    return "-".join(f"{part:02d}" for part in (year, month, day) if part is not None)


def birth_evidence(a: PersonFacts, b: PersonFacts) -> Evidence | None:
    """Agreement or conflict of two (possibly partial) dates of birth; None if one is unknown."""
    (ya, ma, da), (yb, mb, db) = a.birth, b.birth
    if ya is None or yb is None:
        return None
    note = f"{_date(a.birth)} / {_date(b.birth)}"
    if None not in (ma, da, mb, db):
        if (ya, ma, da) == (yb, mb, db):
            return Evidence("same_birth_date", SAME_BIRTH_DATE, _date(a.birth))
        return Evidence("other_birth_date", BIRTH_CONFLICT, note)
    return _partial_birth(ya - yb, ma, mb, note)


def _partial_birth(gap: int, ma: int | None, mb: int | None, note: str) -> Evidence:
    """Dates of which one at least lacks its day: the years within a tolerance, then months."""
    if abs(gap) > BIRTH_YEAR_TOLERANCE:
        return Evidence("birth_years_apart", BIRTH_CONFLICT, note)
    if gap:
        return Evidence("birth_year_close", BIRTH_YEAR_CLOSE, note)
    if ma is not None and mb is not None and ma != mb:
        return Evidence("other_birth_month", BIRTH_MONTH_CONFLICT, note)
    return Evidence("same_birth_year", SAME_BIRTH_YEAR, note)


def patronymic_evidence(a: PersonFacts, b: PersonFacts) -> Evidence | None:
    """A conflict when both records have a patronymic (or parent's name) and none agree."""
    if not a.patronymics or not b.patronymics:
        return None
    matcher = Matcher(a.patronymics, phonetic=True)
    best = max(matcher.word(p, q)[0] for p in a.patronymics for q in b.patronymics)
    if best >= PATRONYMIC_AGREES:
        return None
    first = " ".join(t.text for t in a.patronymics)
    second = " ".join(t.text for t in b.patronymics)
    return Evidence("other_patronymic", PATRONYMIC_CONFLICT, f"{first} / {second}")


def ending_evidence(a: PersonFacts, b: PersonFacts) -> Evidence | None:
    """A conflict when a name word of one record is the other gender's form of a word of the
    other (Ivanov / Ivanova, Aliyev / Aliyeva, -ovich / -ovna), unless both records carry the
    same known gender (then the ending is a slip) or another gender (counted by `score`)."""
    known = (Gender.FEMALE, Gender.MALE)
    if a.gender in known and b.gender in known:
        return None
    # One rule for "the other gender's form" with the name search (`ncen.search.evidence`).
    for word_a in a.words:
        if word_a in b.words:
            continue  # the same form on both sides: the other one is a second surname
        for word_b in b.words:
            if word_b not in a.words and gendered_pair(word_a, word_b) is not None:
                return Evidence("other_gender_form", ENDING_CONFLICT, f"{word_a} / {word_b}")
    return None


def _shared(a: PersonFacts, b: PersonFacts) -> list[Evidence]:
    found = []
    if a.documents & b.documents:
        number = sorted(a.documents & b.documents)[0]
        found.append(Evidence("same_document", SHARED_DOCUMENT, number))
    if a.contacts & b.contacts:
        found.append(Evidence("same_contact", SHARED_CONTACT))
    if a.addresses & b.addresses:
        found.append(Evidence("same_address", SHARED_ADDRESS))
    if a.seizures & b.seizures:
        found.append(Evidence("same_seizure", SHARED_SEIZURE))
    return found


def _nationality(a: PersonFacts, b: PersonFacts) -> Evidence | None:
    if not a.nationalities or not b.nationalities:
        return None
    if a.nationalities & b.nationalities:
        return Evidence("same_nationality", SAME_NATIONALITY)
    first, second = ",".join(sorted(a.nationalities)), ",".join(sorted(b.nationalities))
    return Evidence("other_nationality", NATIONALITY_CONFLICT, f"{first} / {second}")


CORROBORATING = frozenset({"same_document", "same_contact", "same_address", "same_birth_date"})


def judge(name_score: float, a: PersonFacts, b: PersonFacts) -> Judgement:
    """The duplicate score of two persons whose best name forms score ``name_score``.

    The score is the name score plus every delta, clamped to [0, 1], and capped at
    `UNCORROBORATED_CAP` when no fact corroborates the name (see the module docstring).
    """
    evidence: list[Evidence] = _shared(a, b)
    known = (Gender.FEMALE, Gender.MALE)
    if a.gender in known and b.gender in known and a.gender != b.gender:
        evidence.append(Evidence("other_gender", GENDER_CONFLICT))
    for check in (birth_evidence, patronymic_evidence, ending_evidence, _nationality):
        found = check(a, b)
        if found is not None:
            evidence.append(found)
    score = max(0.0, min(1.0, name_score + sum(e.delta for e in evidence)))
    corroborated = any(e.code in CORROBORATING for e in evidence)
    if not corroborated and score > UNCORROBORATED_CAP:
        evidence.append(Evidence("name_only", round(UNCORROBORATED_CAP - score, 4)))
        score = UNCORROBORATED_CAP
    order = sorted(evidence, key=lambda e: -abs(e.delta))
    return Judgement(round(name_score, 4), round(score, 4), tuple(order))
